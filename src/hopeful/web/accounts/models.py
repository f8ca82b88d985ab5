"""The user model: people sign in with their email address; URLs name them by a UUID."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # The whole address is lowercased: mailboxes are case-insensitive in practice, and
        # "Ana@X.org" and "ana@x.org" must not become two accounts.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("a user needs an email address")
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if extra["is_staff"] is not True or extra["is_superuser"] is not True:
            raise ValueError("a superuser needs is_staff=True and is_superuser=True")
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]  # Django's way to drop an inherited field
    email = models.EmailField(_("email address"), unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("How the person is greeted and shown to others."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=Language.choices,
        default=Language.ENGLISH,
    )
    is_network_staff = models.BooleanField(
        _("HOPE network staff"),
        default=False,
        help_text=_(
            "Sees cross-organization aggregates; reaches an organization's records only "
            "through a time-limited, audited support grant."
        ),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # no usernames: not auth's UserManager

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def get_short_name(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.email


class AttemptKind(models.TextChoices):
    PASSWORD = "password", _("Password")
    TWO_FACTOR = "two_factor", _("Two-factor code")
    PASSWORD_RESET = "password_reset", _("Password reset request")


class SignInAttempt(models.Model):
    """One counted attempt: a wrong password, a wrong two-factor code or a reset request.

    Throttling counts these rows (per email and per IP address) in the database, so every web
    process sees the same counters. A successful sign-in deletes the account's failures.
    """

    kind = models.CharField(max_length=16, choices=AttemptKind.choices)
    email = models.CharField(max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["kind", "email", "created_at"], name="attempt_email_time"),
            models.Index(fields=["kind", "ip_address", "created_at"], name="attempt_ip_time"),
            models.Index(fields=["created_at"], name="attempt_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} attempt for {self.email or '-'} from {self.ip_address or '-'}"


class RecoveryCodeDevice(Device):  # type: ignore[misc]  # django-otp ships no type information
    """A person's set of single-use recovery codes, as one django-otp device.

    Being a device, a code verified through ``django_otp.verify_token`` marks the session as
    verified (``OTPMiddleware``, ``user.is_verified()``) exactly as a TOTP code does. Only
    keyed digests of the codes are stored (:mod:`hopeful.web.accounts.recovery`).
    """

    if TYPE_CHECKING:
        # The untyped base hides this model from the django-stubs plugin, which would
        # otherwise declare these: its managers (django-otp's ``DeviceManager``), the
        # ``Device.user`` foreign key and the reverse relation of ``RecoveryCode.device``.
        objects: ClassVar[models.Manager[RecoveryCodeDevice]]
        _default_manager: ClassVar[models.Manager[RecoveryCodeDevice]]
        user: User
        codes: RelatedManager[RecoveryCode]

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token: Any) -> bool:
        from hopeful.web.accounts import recovery

        normalized = recovery.normalize(str(token))
        if normalized is None:
            return False
        candidates = recovery.digests(user_public_id=str(self.user.public_id), code=normalized)
        # One conditional UPDATE: two requests racing with the same code cannot both win.
        used = RecoveryCode.objects.filter(
            device=self, digest__in=candidates, used_at__isnull=True
        ).update(used_at=timezone.now())
        return used == 1

    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class RecoveryCode(models.Model):
    """One recovery code: its keyed digest, and when it was used (never twice)."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique"),
        ]

    def __str__(self) -> str:
        return f"recovery code {self.pk} ({'used' if self.used_at else 'unused'})"


class UserSession(models.Model):
    """Where a person is signed in: one row per signed-in browser session.

    Written when someone signs in, its ``session_key`` and ``last_active_at`` kept current by
    :class:`hopeful.web.accounts.middleware.SessionRecordMiddleware` (at most once a minute),
    deleted at sign-out, when its owner ends it, and when it has expired. The row is found
    from the session through ``public_id`` (kept in the session's data), because the session
    key changes at sign-in and again after the second factor.

    Privacy: the browser and system are kept as the user agent said them (shortened); of the
    IP address only its network (/24 for IPv4, /48 for IPv6), never the whole address.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_network = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_active_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["user", "last_active_at"], name="user_session_user_active"),
        ]

    def __str__(self) -> str:
        return f"session of {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"
