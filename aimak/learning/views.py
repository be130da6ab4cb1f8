"""Pages of learning (thin: parse, check permission, call a service or selector, render)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.cache import cache_public_page

from .forms import CourseForm, LessonForm, MaterialForm
from .models import Certificate, Course, Lesson, LessonMaterial, MaterialKind
from .pdf import certificate_pdf, course_title
from .selectors import (
    certificate_for,
    certificate_get,
    completed_lesson_ids,
    course_events,
    course_get,
    course_lessons,
    course_list,
    course_manage_list,
    enrollment_for,
    learner_progress,
    lesson_get,
    my_learning,
    percent,
    training_events,
)
from .services import (
    course_save,
    enroll,
    lesson_complete,
    lesson_save,
    material_add,
    material_remove,
)


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _course(request: HttpRequest, slug: str) -> Course:
    try:
        return course_get(slug=slug, user=request.user)
    except Course.DoesNotExist as exc:
        raise Http404(_("There is no such course, or it is not published.")) from exc


def _lesson(course: Course, position: int) -> Lesson:
    try:
        return lesson_get(course=course, position=position)
    except Lesson.DoesNotExist as exc:
        raise Http404(_("There is no such lesson.")) from exc


def _admin(request: HttpRequest) -> None:
    if not request.user.has_perm("learning.manage_courses"):
        raise PermissionDenied(_("This page is for the content administrator."))


@require_GET
@cache_public_page
def course_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/list.html", {"courses": list(course_list())})


@require_GET
@cache_public_page
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    lessons = list(course_lessons(course=course))
    done = completed_lesson_ids(user=request.user, course=course)
    enrollment = enrollment_for(user=request.user, course=course)
    next_lesson = next((lesson for lesson in lessons if lesson.pk not in done), None)
    return render(
        request,
        "learning/course.html",
        {
            "course": course,
            "lessons": lessons,
            "done": done,
            "enrollment": enrollment,
            "percent": percent(len(done), len(lessons)),
            "done_count": len(done),
            "next_lesson": next_lesson,
            "events": course_events(course=course),
            "certificate": certificate_for(user=request.user, course=course),
            "manager": request.user.has_perm("learning.manage_courses"),
            "may_view_learners": request.user.has_perm("learning.view_learners", course),
            "minutes": sum(lesson.duration_minutes for lesson in lessons),
        },
    )


@require_GET
@cache_public_page
def lesson_detail(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    course = _course(request, slug)
    lesson = _lesson(course, position)
    lessons = list(course.lessons.order_by("position"))
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    done = completed_lesson_ids(user=request.user, course=course)
    return render(
        request,
        "learning/lesson.html",
        {
            "course": course,
            "lesson": lesson,
            "materials": list(lesson.materials.all()),
            "previous": lessons[index - 1] if index > 0 else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
            "is_done": lesson.pk in done,
            "done_count": len(done),
            "total": len(lessons),
            "manager": request.user.has_perm("learning.manage_courses"),
        },
    )


@login_required
@require_POST
def enroll_view(request: HttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    enroll(user=request.user, course=course)
    messages.success(request, _("You are enrolled. Your progress is kept on “My learning”."))
    first = course.lessons.order_by("position").first()
    if first is not None:
        return redirect("learning:lesson", slug=course.slug, position=first.position)
    return redirect(course)


@login_required
@require_POST
def complete(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    course = _course(request, slug)
    lesson = _lesson(course, position)
    result = lesson_complete(user=request.user, lesson=lesson)
    if result.course_completed:
        messages.success(
            request, _("You have completed the course. Your certificate is ready to download.")
        )
        return redirect(course)
    messages.success(request, _("Lesson marked as completed."))
    following = course.lessons.filter(position__gt=lesson.position).order_by("position").first()
    if following is not None:
        return redirect("learning:lesson", slug=course.slug, position=following.position)
    return redirect(course)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/mine.html", {"rows": my_learning(user=request.user)})


@login_required
@require_GET
def certificate_download(request: HttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    certificate = certificate_for(user=request.user, course=course)
    if certificate is None:
        raise Http404(_("You have no certificate for this course yet."))
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    try:
        certificate = certificate_get(code=code)
    except Certificate.DoesNotExist:
        return render(request, "learning/verify.html", {"certificate": None}, status=404)
    lang = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "ky"
    return render(
        request,
        "learning/verify.html",
        {"certificate": certificate, "course_title": course_title(certificate, lang)},
    )


@require_GET
def material_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    material = LessonMaterial.objects.select_related("lesson__course").filter(pk=pk).first()
    if material is None or not request.user.has_perm(
        "learning.view_course", material.lesson.course
    ):
        raise Http404(_("There is no such material."))
    if material.kind == MaterialKind.LINK:
        return redirect(material.url)
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=f"{material.name}.{material.kind}",
    )


# --- the course author's and content administrator's pages ---------------------------------


def _learners_course(request: HttpRequest, slug: str) -> Course:
    course = _course(request, slug)
    if not request.user.has_perm("learning.view_learners", course):
        raise PermissionDenied(
            _("Only the course's author and the content administrator see learners.")
        )
    return course


@login_required
@require_GET
def learners(request: HttpRequest, slug: str) -> HttpResponse:
    course = _learners_course(request, slug)
    rows = learner_progress(course=course)
    return render(
        request,
        "learning/learners.html",
        {"course": course, "rows": rows, "completed": sum(1 for r in rows if r.completed_at)},
    )


@login_required
@require_GET
def learners_csv(request: HttpRequest, slug: str) -> HttpResponse:
    course = _learners_course(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="learners-{course.slug}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with the mark
    writer = csv.writer(response)
    writer.writerow(
        [_("Learner"), _("E-mail"), _("Audience category"), _("Started"), _("Lessons completed"),
         _("Lessons"), _("Progress, %"), _("Completed"), _("Last activity"), _("Certificate")]
    )  # fmt: skip

    def when(value):
        return formats.date_format(value, "Y-m-d") if value else ""

    for row in learner_progress(course=course):
        writer.writerow(
            [row.name, row.email, row.category, when(row.started_at), row.done, row.total,
             row.percent, when(row.completed_at), when(row.last_activity), row.certificate]
        )  # fmt: skip
    return response


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    _admin(request)
    return render(request, "learning/manage.html", {"courses": list(course_manage_list())})


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    _admin(request)
    course = _course(request, slug) if slug else None
    events = training_events()
    if request.method == "POST":
        form = CourseForm(request.POST, events=events)
        if form.is_valid():
            try:
                course = course_save(by=request.user, course=course, data=form.to_data())
            except ValidationError as exc:
                _refuse(request, exc)
            else:
                messages.success(request, _("The course is saved."))
                return redirect("learning:course_edit", slug=course.slug)
    else:
        initial = CourseForm.initial_for(course) if course else {}
        form = CourseForm(initial=initial, events=events)
    return render(
        request,
        "learning/course_form.html",
        {"form": form, "course": course,
         "lessons": list(course_lessons(course=course)) if course else []},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, slug: str, position: int | None = None) -> HttpResponse:
    _admin(request)
    course = _course(request, slug)
    lesson = _lesson(course, position) if position is not None else None
    if request.method == "POST":
        form = LessonForm(request.POST, request.FILES)
        if form.is_valid():
            video = form.cleaned_data.get("video_file") or None
            try:
                lesson = lesson_save(
                    by=request.user, course=course, lesson=lesson, data=form.to_data(),
                    video_file=video,
                )  # fmt: skip
            except ValidationError as exc:
                _refuse(request, exc)
            else:
                messages.success(request, _("The lesson is saved."))
                return redirect("learning:lesson_edit", slug=course.slug, position=lesson.position)
    else:
        form = LessonForm(initial=LessonForm.initial_for(lesson) if lesson else {})
    return render(
        request,
        "learning/lesson_form.html",
        {"form": form, "course": course, "lesson": lesson,
         "materials": list(lesson.materials.all()) if lesson else [],
         "material_form": MaterialForm()},
    )  # fmt: skip


@login_required
@require_POST
def material_new(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    _admin(request)
    course = _course(request, slug)
    lesson = _lesson(course, position)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            material_add(
                by=request.user, lesson=lesson, name=form.cleaned_data["name"],
                file=form.cleaned_data.get("file"), url=form.cleaned_data.get("url") or "",
            )  # fmt: skip
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The material is added."))
    return redirect("learning:lesson_edit", slug=course.slug, position=lesson.position)


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    material = LessonMaterial.objects.select_related("lesson__course").filter(pk=pk).first()
    if material is None:
        raise Http404(_("There is no such material."))
    lesson = material.lesson
    material_remove(by=request.user, material=material)
    messages.success(request, _("The material is removed."))
    return redirect("learning:lesson_edit", slug=lesson.course.slug, position=lesson.position)
