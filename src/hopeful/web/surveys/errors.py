"""The errors of the survey's services: each carries the message to show and the HTTP status
to answer with."""

from __future__ import annotations


class SurveyError(Exception):
    """A request the survey cannot accept; ``status`` is the HTTP status to answer with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CampaignError(SurveyError):
    """A campaign action that is not allowed in the campaign's state."""


class InvalidSubmissionError(SurveyError):
    status = 400


class SubmissionConflictError(SurveyError):
    status = 409


class RateLimitedError(SurveyError):
    status = 429

    def __init__(self, message: str, *, retry_after: int = 60) -> None:
        super().__init__(message)
        #: Whole seconds until the link takes answers again (the ``Retry-After`` header).
        self.retry_after = retry_after


class LinkGoneError(SurveyError):
    status = 410
