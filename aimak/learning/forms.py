"""Forms of learning (the content administrator's course and lesson pages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aimak.practices.models import Theme
from aimak.practices.services import rich_text_for_editing

from .models import Course, Lesson
from .services import LANGS, CourseData, LessonData

LANG_NAMES = {"ky": _("Kyrgyz"), "ru": _("Russian"), "en": _("English")}


def _per_language(form: forms.Form, name: str, label: Any, *, text: bool, max_length: int = 0):
    for lang in LANGS:
        field_label = f"{label} ({LANG_NAMES[lang]})"
        if text:
            form.fields[f"{name}_{lang}"] = forms.CharField(
                label=field_label, required=False, widget=forms.Textarea(attrs={"rows": 6})
            )
        else:
            form.fields[f"{name}_{lang}"] = forms.CharField(
                label=field_label, required=False, max_length=max_length
            )


class CourseForm(forms.Form):
    theme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all()
    )
    published = forms.BooleanField(label=_("Published"), required=False)
    events: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Online events (trainings)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Learners register for them on the event's page."),
    )

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _per_language(self, "title", _("Title"), text=False, max_length=300)
        _per_language(self, "summary", _("Summary"), text=True)
        self.fields["events"].queryset = events  # type: ignore[attr-defined]
        self.order_fields(
            [f"title_{lang}" for lang in LANGS] + [f"summary_{lang}" for lang in LANGS]
        )

    def to_data(self) -> CourseData:
        d = self.cleaned_data
        return CourseData(
            title={lang: d[f"title_{lang}"] for lang in LANGS},
            summary={lang: d[f"summary_{lang}"] for lang in LANGS},
            theme=d["theme"],
            published=d["published"],
            events=list(d["events"]),
        )

    @staticmethod
    def initial_for(course: Course) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "theme": course.theme_id,
            "published": course.published,
            "events": list(course.events.values_list("pk", flat=True)),
        }
        for lang in LANGS:
            initial[f"title_{lang}"] = getattr(course, f"title_{lang}")
            initial[f"summary_{lang}"] = rich_text_for_editing(getattr(course, f"summary_{lang}"))
        return initial


class LessonForm(forms.Form):
    video_url = forms.URLField(
        label=_("Video address (YouTube, Vimeo or another https link)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    video_file = forms.FileField(
        label=_("Or upload a video (MP4 or WebM)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=0, max_value=1000, initial=10
    )
    position = forms.IntegerField(label=_("Position"), min_value=1, max_value=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _per_language(self, "title", _("Title"), text=False, max_length=300)
        _per_language(self, "body", _("Text"), text=True)
        self.order_fields([f"title_{lang}" for lang in LANGS] + [f"body_{lang}" for lang in LANGS])

    def to_data(self) -> LessonData:
        d = self.cleaned_data
        return LessonData(
            title={lang: d[f"title_{lang}"] for lang in LANGS},
            body={lang: d[f"body_{lang}"] for lang in LANGS},
            video_url=d["video_url"] or "",
            duration_minutes=d["duration_minutes"] or 0,
            position=d.get("position"),
            remove_video=d.get("video_file") is False,
        )

    @staticmethod
    def initial_for(lesson: Lesson) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "video_url": lesson.video_url,
            "duration_minutes": lesson.duration_minutes,
            "position": lesson.position,
        }
        for lang in LANGS:
            initial[f"title_{lang}"] = getattr(lesson, f"title_{lang}")
            initial[f"body_{lang}"] = rich_text_for_editing(getattr(lesson, f"body_{lang}"))
        return initial


class MaterialForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    file = forms.FileField(label=_("File (PDF, DOCX or XLSX)"), required=False)
    url = forms.URLField(
        label=_("Or a link"), required=False, max_length=500, assume_scheme="https"
    )
