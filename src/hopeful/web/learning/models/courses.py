"""Courses and lessons are pages of the public site's CMS, so staff write, review, schedule
and translate them with Wagtail and wagtail-localize; what learners do with them (progress,
quiz attempts, completions) lives in ``progress.py``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from hopeful.web.cms.blocks import TEXT_FEATURES
from hopeful.web.cms.models.base import SitePage
from hopeful.web.learning.blocks import QuizBlock
from hopeful.web.learning.vocab import Audience

if TYPE_CHECKING:
    from hopeful.web.cms.models import ResourceDocument

#: Course slugs that would hide behind the learning app's own addresses when the course
#: index's slug is "learn" (the app's URLs are matched before the site's pages).
RESERVED_SLUGS = frozenset({"join", "me", "profile", "lessons"})


class CourseIndexPage(SitePage):
    """Where courses live in the page tree (one per home page). Its address shows the
    catalogue, which the learning app serves with filters."""

    intro: models.TextField[str, str] = models.TextField(
        _("introduction"), max_length=600, blank=True
    )

    content_panels: ClassVar[list[Any]] = [*SitePage.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[Any]] = ["cms.HomePage"]
    subpage_types: ClassVar[list[Any]] = ["learning.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course index")

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # One catalogue, with its filters, whatever the index's slug is.
        return HttpResponseRedirect(reverse("learning:catalogue"))


class LearnerPage(SitePage):
    """A page that shows the signed-in learner's own progress: never cached as shared."""

    class Meta:
        abstract = True

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().serve(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class CoursePage(LearnerPage):
    """A self-paced course: its lessons are its child pages, in the order of the tree."""

    audience: models.CharField[str, str] = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices
    )
    summary: models.TextField[str, str] = models.TextField(_("summary"), max_length=600)
    description = RichTextField(_("description"), features=TEXT_FEATURES, blank=True)
    ce_hours: models.DecimalField[Decimal, Decimal] = models.DecimalField(
        _("continuing-education hours"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    pass_mark: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        _("pass mark (percent)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The score a learner needs on each lesson's quiz."),
    )
    max_attempts: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        _("attempts per quiz"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    estimated_minutes: models.PositiveIntegerField[int, int] = models.PositiveIntegerField(
        _("estimated time (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(6000)],
    )

    content_panels: ClassVar[list[Any]] = [
        *SitePage.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("ce_hours"),
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("estimated_minutes"),
            ],
            heading=_("Course rules"),
        ),
    ]
    search_fields: ClassVar[list[Any]] = [
        *SitePage.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("audience"),
    ]
    parent_page_types: ClassVar[list[Any]] = ["learning.CourseIndexPage"]
    subpage_types: ClassVar[list[Any]] = ["learning.LessonPage"]
    template = "learning/course_page.html"

    class Meta:
        verbose_name = _("course")

    def clean(self) -> None:
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address is taken by the learning hub.")})

    def lessons(self) -> models.QuerySet[LessonPage]:
        """The live lessons, in the order staff gave them."""
        lessons: models.QuerySet[LessonPage] = (
            LessonPage.objects.child_of(self).live().order_by("path")
        )
        return lessons


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    explanation: str
    choices: tuple[Choice, ...]

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.choices if c.correct)


class LessonPage(LearnerPage):
    body = RichTextField(_("lesson"), features=TEXT_FEATURES)
    video_url: models.URLField[str, str] = models.URLField(
        _("video link"),
        blank=True,
        help_text=_("A link to the video (shown as a link: the site embeds no players)."),
    )
    handout: models.ForeignKey[ResourceDocument | None, ResourceDocument | None] = (
        models.ForeignKey(
            settings.WAGTAILDOCS_DOCUMENT_MODEL,
            verbose_name=_("handout"),
            null=True,
            blank=True,
            on_delete=models.SET_NULL,
            related_name="+",
        )
    )
    quiz = StreamField(
        QuizBlock(),
        blank=True,
        help_text=_("Leave empty for a lesson learners mark complete themselves."),
    )

    content_panels: ClassVar[list[Any]] = [
        *SitePage.content_panels,
        FieldPanel("body"),
        FieldPanel("video_url"),
        FieldPanel("handout"),
        FieldPanel("quiz"),
    ]
    search_fields: ClassVar[list[Any]] = [*SitePage.search_fields, index.SearchField("body")]
    parent_page_types: ClassVar[list[Any]] = ["learning.CoursePage"]
    subpage_types: ClassVar[list[Any]] = []
    template = "learning/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    def questions(self) -> list[Question]:
        """The quiz as plain data. Ids are the blocks' own ids, which stay the same across
        edits and translations; an unsaved block falls back to its position."""
        out: list[Question] = []
        for q_index, block in enumerate(self.quiz):
            if block.block_type != "question":
                continue
            value = block.value
            choices = tuple(
                Choice(
                    id=str(getattr(item, "id", None) or c_index),
                    text=str(item.value["text"]),
                    correct=bool(item.value["correct"]),
                )
                for c_index, item in enumerate(value["choices"].bound_blocks)
            )
            out.append(
                Question(
                    id=str(block.id or q_index),
                    text=str(value["text"]),
                    explanation=str(value["explanation"] or ""),
                    choices=choices,
                )
            )
        return out

    @property
    def has_quiz(self) -> bool:
        return bool(self.questions())
