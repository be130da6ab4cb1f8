"""Every read of learning."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from aimak.events.models import Event

from .models import Certificate, Course, Enrollment, Lesson, LessonMaterial, LessonProgress
from .rules import is_content_admin


def courses_visible(*, user: Any) -> QuerySet[Course]:
    """Courses the user may see (paired with the rule `learning.view_course`)."""
    qs = Course.objects.select_related("theme")
    if is_content_admin(user):
        return qs
    if getattr(user, "is_authenticated", False):
        return qs.filter(Q(published=True) | Q(author=user))
    return qs.filter(published=True)


def course_list(*, theme: Any = None) -> QuerySet[Course]:
    """Published courses with their lesson count, newest first."""
    qs = (
        Course.objects.filter(published=True)
        .select_related("theme")
        .annotate(lesson_count=Count("lessons"))
    )
    if theme is not None:
        qs = qs.filter(theme=theme)
    return qs


def course_manage_list() -> QuerySet[Course]:
    return Course.objects.select_related("theme", "author").annotate(
        lesson_count=Count("lessons", distinct=True),
        learner_count=Count("enrollments", distinct=True),
    )


def course_get(*, slug: str, user: Any) -> Course:
    return courses_visible(user=user).get(slug=slug)


def course_lessons(*, course: Course) -> QuerySet[Lesson]:
    return course.lessons.prefetch_related(
        Prefetch("materials", queryset=LessonMaterial.objects.order_by("added_at", "pk"))
    ).order_by("position")


def lesson_get(*, course: Course, position: int) -> Lesson:
    return course_lessons(course=course).get(position=position)


def course_events(*, course: Course) -> list[Event]:
    """The course's online events, upcoming first then past (newest first)."""
    return list(course.events.order_by("-starts_at"))


def enrollment_for(*, user: Any, course: Course) -> Enrollment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrollment.objects.filter(user=user, course=course).first()


def completed_lesson_ids(*, user: Any, course: Course) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        LessonProgress.objects.filter(user=user, lesson__course=course).values_list(
            "lesson_id", flat=True
        )
    )


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


@dataclass
class CourseProgress:
    course: Course
    enrollment: Enrollment
    done: int
    total: int
    certificate: Certificate | None

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


def my_learning(*, user: Any) -> list[CourseProgress]:
    """The user's courses with lessons done and total, newest enrolment first (3 queries)."""
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("course", "course__theme")
        .annotate(total=Count("course__lessons", distinct=True))
        .order_by("-started_at")
    )
    done = dict(
        LessonProgress.objects.filter(user=user)
        .values("lesson__course_id")
        .annotate(n=Count("pk"))
        .values_list("lesson__course_id", "n")
    )
    certificates = {c.course_id: c for c in Certificate.objects.filter(user=user)}
    return [
        CourseProgress(
            course=e.course,
            enrollment=e,
            done=done.get(e.course_id, 0),
            total=e.total,  # type: ignore[attr-defined]
            certificate=certificates.get(e.course_id),
        )
        for e in enrollments
    ]


@dataclass
class LearnerRow:
    name: str
    email: str
    category: str
    started_at: datetime.datetime
    completed_at: datetime.datetime | None
    last_activity: datetime.datetime | None
    done: int
    total: int
    certificate: str

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


def learner_progress(*, course: Course) -> list[LearnerRow]:
    """One row per enrolled learner (the course author's and content admin's table)."""
    total = course.lessons.count()
    progress: dict[int, dict[str, Any]] = {
        row["user_id"]: dict(row)
        for row in LessonProgress.objects.filter(lesson__course=course)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"), last=Max("completed_at"))
    }
    certificates = dict(Certificate.objects.filter(course=course).values_list("user_id", "number"))
    rows = []
    for e in (
        Enrollment.objects.filter(course=course)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    ):
        p: dict[str, Any] = progress.get(e.user_id, {})
        rows.append(
            LearnerRow(
                name=e.user.display_name,
                email=e.user.email,
                category=e.user.get_audience_category_display(),  # type: ignore[attr-defined]
                started_at=e.started_at,
                completed_at=e.completed_at,
                last_activity=p.get("last"),
                done=p.get("n", 0),
                total=total,
                certificate=certificates.get(e.user_id, ""),
            )
        )
    return rows


def certificate_get(*, code: str) -> Certificate:
    return Certificate.objects.select_related("course", "user").get(code=code)


def certificate_for(*, user: Any, course: Course) -> Certificate | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Certificate.objects.filter(user=user, course=course).first()


def training_events() -> QuerySet[Event]:
    """Events a course may link to: trainings, newest first."""
    return Event.objects.filter(kind="training").order_by("-starts_at")


# --- portal indicators (contract with aimak.audience) ---------------------------------------


def active_user_ids(*, since: datetime.datetime, until: datetime.datetime) -> QuerySet:
    """Users who enrolled in a course or completed a lesson in [since, until): one column,
    `user_id`, one row per user (a plain query, not a UNION, so it can be combined)."""
    from django.contrib.auth import get_user_model

    enrolled = Enrollment.objects.filter(started_at__gte=since, started_at__lt=until)
    completed = LessonProgress.objects.filter(completed_at__gte=since, completed_at__lt=until)
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=enrolled.values("user_id")) | Q(pk__in=completed.values("user_id"))
        )
        .order_by()
        .values(user_id=F("pk"))
    )


def activity_by_category(*, since: datetime.datetime, until: datetime.datetime) -> dict[str, int]:
    """{audience category: lessons completed in the window}."""
    rows = (
        LessonProgress.objects.filter(completed_at__gte=since, completed_at__lt=until)
        .values("user__audience_category")
        .annotate(n=Count("pk"))
        .values_list("user__audience_category", "n")
    )
    return dict(rows)
