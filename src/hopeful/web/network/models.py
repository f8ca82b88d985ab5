"""The network view's counts, kept in the database (:mod:`hopeful.web.network.counts`)."""

from __future__ import annotations

from django.db import models


class NetworkCount(models.Model):
    """Counted submissions of one organization, questionnaire, month, score output and output
    value (only those of families whose current consent covers program improvement), with the
    sum of their record keys. Derived data: rebuilt from the submissions whenever they change."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    instrument_id = models.CharField(max_length=64)
    month = models.DateField(help_text="The first day of the month (local time).")
    output = models.CharField(max_length=64)
    value = models.CharField(
        max_length=64, help_text='The output\'s stored value, as text ("null" for none).'
    )
    n = models.PositiveIntegerField()
    key_sum = models.BigIntegerField()

    class Meta:
        indexes = (
            models.Index(fields=["instrument_id", "output", "month"], name="network_count_read"),
        )

    def __str__(self) -> str:
        return f"{self.organization_id} {self.instrument_id} {self.month} {self.output}"


class NetworkCountState(models.Model):
    """One row: how far :class:`NetworkCount` has been brought up to date (the highest ids read
    and the numbers of rows then)."""

    submission_id = models.BigIntegerField(default=0)
    consent_id = models.BigIntegerField(default=0)
    score_id = models.BigIntegerField(default=0)
    submissions = models.BigIntegerField(default=0)
    consents = models.BigIntegerField(default=0)
    scores = models.BigIntegerField(default=0)
    generation = models.BigIntegerField(default=0, help_text="Counts every change of the counts.")

    def __str__(self) -> str:
        return f"network counts, generation {self.generation}"
