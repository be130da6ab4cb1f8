from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Kind, MagazineIssue, MagazineSection, Status, Tag
from .services import LANGUAGES, ArticleData

LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}


class ArticleForm(forms.Form):
    """The edit form: the three languages side by side (title, lead, text, image text)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=120,
        required=False,
        help_text=_("Latin letters, digits and hyphens; made from the title when empty."),
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    tags: forms.ModelMultipleChoiceField[Tag] = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    issue: forms.ModelChoiceField[MagazineIssue] = forms.ModelChoiceField(
        label=_("Magazine issue"), queryset=MagazineIssue.objects.none(), required=False
    )
    section: forms.ModelChoiceField[MagazineSection] = forms.ModelChoiceField(
        label=_("Magazine section"), queryset=MagazineSection.objects.none(), required=False
    )
    position = forms.IntegerField(label=_("Position in the issue"), min_value=0, initial=0)
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 8 MB; phone sizes are made automatically."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    publish_at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        help_text=_("For a scheduled item: it appears by itself at this time."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("position", "slug")  # type: ignore[attr-defined]
        self.fields["tags"].queryset = Tag.objects.order_by("slug")  # type: ignore[attr-defined]
        self.fields["issue"].queryset = MagazineIssue.objects.order_by("-date")  # type: ignore[attr-defined]
        self.fields["section"].queryset = MagazineSection.objects.select_related(  # type: ignore[attr-defined]
            "issue"
        ).order_by("-issue__date", "position")
        self.fields["section"].label_from_instance = lambda s: f"{s.issue} · {s.title}"  # type: ignore[attr-defined]
        for code in LANGUAGES:
            required = code != "en"
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title"), max_length=300, required=required
            )
            self.fields[f"lead_{code}"] = forms.CharField(
                label=_("Lead"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text (HTML)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 14}),
                help_text=_(
                    "Paragraphs, headings h2–h4, bold, italic, links, lists, quotes, tables "
                    "and images from this site; anything else is removed."
                ),
            )
            self.fields[f"cover_alt_{code}"] = forms.CharField(
                label=_("Cover description"), max_length=300, required=False
            )

    def language_rows(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(code, name, its fields) for the side-by-side columns."""
        return [
            (
                code,
                LANGUAGE_NAMES[code],
                [self[f"{n}_{code}"] for n in ("title", "lead", "body", "cover_alt")],
            )
            for code in LANGUAGES
        ]

    def to_data(self) -> ArticleData:
        d = self.cleaned_data

        def per_language(name: str) -> dict[str, str]:
            return {code: d.get(f"{name}_{code}") or "" for code in LANGUAGES}

        return ArticleData(
            kind=d["kind"],
            slug=d.get("slug") or "",
            title=per_language("title"),
            lead=per_language("lead"),
            body=per_language("body"),
            cover_alt=per_language("cover_alt"),
            category=d.get("category"),
            tags=list(d.get("tags") or []),
            issue=d.get("issue"),
            section=d.get("section"),
            position=d.get("position") or 0,
            status=d["status"],
            publish_at=d.get("publish_at"),
        )


def article_initial(article: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "kind": article.kind,
        "slug": article.slug,
        "category": article.category_id,
        "tags": list(article.tags.values_list("pk", flat=True)),
        "issue": article.issue_id,
        "section": article.section_id,
        "position": article.position,
        "status": article.status,
        "publish_at": article.publish_at,
    }
    for code in LANGUAGES:
        for name in ("title", "lead", "body", "cover_alt"):
            initial[f"{name}_{code}"] = getattr(article, f"{name}_{code}") or ""
    return initial


class IssueForm(forms.Form):
    """A magazine issue with its sections (one per line: Kyrgyz | Russian)."""

    number = forms.IntegerField(label=_("Number"), min_value=1)
    overall_number = forms.IntegerField(label=_("Overall number"), min_value=1)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title_ky = forms.CharField(label=_("Title (Kyrgyz)"), max_length=300)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    sections = forms.CharField(
        label=_("Sections"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, in order: the Kyrgyz name | the Russian name."),
    )
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    cover_alt = forms.CharField(label=_("Cover description"), max_length=300, required=False)
    pdf = forms.FileField(
        label=_("Full issue (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    published = forms.BooleanField(label=_("Published"), required=False)

    def clean_sections(self) -> list[dict[str, str]]:
        rows = []
        for number, line in enumerate((self.cleaned_data.get("sections") or "").splitlines(), 1):
            if not line.strip():
                continue
            ky, _sep, ru = line.partition("|")
            if not ky.strip() or not ru.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: give the Kyrgyz and the Russian name, separated by |.")
                    % {"n": number}
                )
            rows.append({"ky": ky.strip(), "ru": ru.strip()})
        return rows


def issue_initial(issue: Any) -> dict[str, Any]:
    return {
        "number": issue.number,
        "overall_number": issue.overall_number,
        "date": issue.date,
        "title_ky": issue.title_ky,
        "title_ru": issue.title_ru,
        "title_en": issue.title_en,
        "sections": "\n".join(
            f"{s.title_ky or ''} | {s.title_ru or ''}" for s in issue.sections.order_by("position")
        ),
        "cover_alt": issue.cover_alt,
        "published": issue.published,
    }
