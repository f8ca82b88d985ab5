"""The learning hub's models: profiles and CE hours, course pages, learner progress."""

from hopeful.web.learning.models.courses import (
    Choice,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    Question,
)
from hopeful.web.learning.models.profile import (
    CESource,
    ContinuingEducationRecord,
    LearnerProfile,
)
from hopeful.web.learning.models.progress import CourseCompletion, LessonProgress, QuizAttempt

__all__ = [
    "CESource",
    "Choice",
    "ContinuingEducationRecord",
    "CourseCompletion",
    "CourseIndexPage",
    "CoursePage",
    "LearnerProfile",
    "LessonPage",
    "LessonProgress",
    "Question",
    "QuizAttempt",
]
