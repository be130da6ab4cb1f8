"""Forms of the library and the directory: filters, the practice form with ky/ru/en side
by side, attachments, moderation, experts and themes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aimak.territories.selectors import municipality_list, municipality_lookup

from .models import Country, Currency, Theme
from .selectors import ExpertFilters, PracticeFilters, theme_list
from .services import (
    EXPERT_LANGUAGES,
    LANGS,
    ExpertData,
    PracticeData,
    rich_text_for_editing,
)

LANGUAGE_NAMES = {
    "ky": _("Kyrgyz"),
    "ru": _("Russian"),
    "en": _("English"),
    "uz": _("Uzbek"),
    "tg": _("Tajik"),
    "kk": _("Kazakh"),
    "de": _("German"),
    "fr": _("French"),
    "tr": _("Turkish"),
    "zh": _("Chinese"),
}


class PracticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Words to find"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    international = forms.ChoiceField(
        label=_("Origin"),
        required=False,
        choices=[
            ("", _("Kyrgyzstan and abroad")),
            ("no", _("Kyrgyzstan")),
            ("yes", _("International")),
        ],
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    municipality = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, themes: list[Theme], regions: list[Any], years: list[int],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.themes, self.regions = themes, regions
        fields: dict = self.fields
        fields["theme"].choices = [("", _("All themes")), *((t.slug, t.name) for t in themes)]
        fields["region"].choices = [("", _("All regions")), *((r.code, r.name) for r in regions)]
        fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]

    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""

    def filters(self) -> PracticeFilters:
        data = self.cleaned_data if self.is_valid() else {}
        municipality = None
        if data.get("municipality"):
            municipality = (
                municipality_list(include_ended=True).filter(code=data["municipality"]).first()
            )
        theme = next((t for t in self.themes if t.slug == data.get("theme")), None)
        region = next((r for r in self.regions if r.code == data.get("region")), None)
        intl = {"yes": True, "no": False}.get(data.get("international") or "")
        return PracticeFilters(
            theme=theme,
            region=region,
            municipality=municipality,
            international=intl,
            year=data.get("year"),
        )


class ExpertFilterForm(forms.Form):
    q = forms.CharField(label=_("Words to find"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Area of expertise"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, themes: list[Theme], regions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.themes, self.regions = themes, regions
        fields: dict = self.fields
        fields["theme"].choices = [("", _("All areas")), *((t.slug, t.name) for t in themes)]
        fields["language"].choices = [("", _("Any language")), *LANGUAGE_NAMES.items()]
        fields["region"].choices = [("", _("All regions")), *((r.code, r.name) for r in regions)]

    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""

    def filters(self) -> ExpertFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ExpertFilters(
            theme=next((t for t in self.themes if t.slug == data.get("theme")), None),
            language=data.get("language") or None,
            region=next((r for r in self.regions if r.code == data.get("region")), None),
        )


RICH_HELP = _(
    "A blank line starts a new paragraph; simple HTML (bold, lists, links) is kept, "
    "anything else is removed."
)


def _lang_fields(form: forms.Form, name: str, label: Any, *, textarea: bool, max_length: int | None = None) -> None:  # fmt: skip
    for lang in LANGS:
        widget = forms.Textarea(attrs={"rows": 6}) if textarea else forms.TextInput()
        form.fields[f"{name}_{lang}"] = forms.CharField(
            label=f"{label} ({LANGUAGE_NAMES[lang]})",
            required=False,
            max_length=max_length,
            widget=widget,
            help_text=RICH_HELP if textarea and lang == "ky" else "",
        )


class PracticeForm(forms.Form):
    """The practice's content. Texts per language side by side; the author may write in
    one language (the content administrator completes Kyrgyz and Russian before
    publishing)."""

    TEXTS = (
        ("title", _("Title"), False, 300),
        ("problem", _("Problem"), True, None),
        ("solution", _("Solution"), True, None),
        ("results", _("Results"), True, None),
        ("cost_note", _("Note on the cost"), False, 500),
    )

    themes = forms.MultipleChoiceField(
        label=_("Themes"), widget=forms.CheckboxSelectMultiple, required=True
    )
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices, initial="KG")
    municipality = forms.CharField(
        label=_("Municipality (SOATE code or name)"),
        required=False,
        max_length=200,
        help_text=_("Leave empty for a practice abroad or one of the whole country."),
    )
    country_name = forms.CharField(
        label=_("Place abroad (city, region or country)"), required=False, max_length=100
    )
    cost_amount = forms.DecimalField(
        label=_("Cost"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    cost_currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    period_start = forms.DateField(
        label=_("Started"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Ended"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contacts = forms.CharField(
        label=_("Contacts"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label, textarea, max_length in self.TEXTS:
            _lang_fields(self, name, label, textarea=textarea, max_length=max_length)
        self.theme_objects = list(theme_list())
        fields: dict = self.fields
        fields["themes"].choices = [(t.slug, t.name) for t in self.theme_objects]

    def lang_rows(self) -> list[tuple[str, list[Any]]]:
        return [
            (str(label), [self[f"{name}_{lang}"] for lang in LANGS])
            for name, label, _t, _m in self.TEXTS
        ]

    def clean_municipality(self) -> Any:
        value = (self.cleaned_data.get("municipality") or "").strip()
        if not value:
            return None
        found = municipality_lookup(query=value, limit=3)
        if len(found) != 1:
            raise forms.ValidationError(
                _("No single municipality matches “%(value)s”; give its SOATE code."),
                params={"value": value},
            )
        return found[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{lang}") for lang in LANGS):
            self.add_error("title_ky", _("Give the practice a title in at least one language."))
        if data.get("country") and data.get("country") != "KG" and data.get("municipality"):
            self.add_error(
                "municipality", _("An international practice cannot have a Kyrgyz municipality.")
            )
        return data

    def to_data(self) -> PracticeData:
        d = self.cleaned_data
        texts = {
            name: {lang: d.get(f"{name}_{lang}") or "" for lang in LANGS}
            for name, *_rest in self.TEXTS
        }
        return PracticeData(
            **texts,
            cost_amount=d.get("cost_amount"),
            cost_currency=d.get("cost_currency") or "KGS",
            municipality=d.get("municipality"),
            country=d.get("country") or "KG",
            country_name=d.get("country_name") or "",
            themes=[t for t in self.theme_objects if t.slug in (d.get("themes") or [])],
            period_start=d.get("period_start"),
            period_end=d.get("period_end"),
            contacts=d.get("contacts") or "",
        )

    @classmethod
    def initial_for(cls, practice: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name, *_rest in cls.TEXTS:
            for lang in LANGS:
                initial[f"{name}_{lang}"] = rich_text_for_editing(
                    getattr(practice, f"{name}_{lang}") or ""
                )
        initial.update(
            themes=[t.slug for t in practice.themes.all()],
            country=practice.country,
            municipality=practice.municipality.code if practice.municipality else "",
            country_name=practice.country_name,
            cost_amount=practice.cost_amount,
            cost_currency=practice.cost_currency,
            period_start=practice.period_start,
            period_end=practice.period_end,
            contacts=practice.contacts,
        )
        return initial


class DocumentForm(forms.Form):
    name = forms.CharField(label=_("Name of the document"), required=False, max_length=300)
    file = forms.FileField(label=_("Document (PDF, DOCX or XLSX, up to 20 MB)"))


class PhotoForm(forms.Form):
    alt = forms.CharField(
        label=_("What the photo shows (for people who cannot see it)"), max_length=300
    )
    file = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"))


class VideoForm(forms.Form):
    url = forms.URLField(label=_("Video address (YouTube, Vimeo or another site)"), max_length=500)
    title = forms.CharField(label=_("Title of the video"), required=False, max_length=300)


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("review", "review"), ("return", "return"), ("publish", "publish")]
    )
    comment = forms.CharField(
        label=_("Comment to the author"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("Name of the expert"), max_length=200)
    themes = forms.MultipleChoiceField(
        label=_("Areas of expertise"), widget=forms.CheckboxSelectMultiple, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[(c, LANGUAGE_NAMES[c]) for c in EXPERT_LANGUAGES],
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"), widget=forms.CheckboxSelectMultiple, required=False
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    show_email = forms.BooleanField(label=_("The expert allows showing the e-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    show_phone = forms.BooleanField(label=_("The expert allows showing the phone"), required=False)
    website = forms.URLField(label=_("Website"), required=False)
    username = forms.CharField(
        label=_("User account (user name, optional)"), required=False, max_length=150
    )
    photo = forms.FileField(label=_("Photo (optional)"), required=False)
    active = forms.BooleanField(label=_("Listed in the directory"), required=False, initial=True)

    def __init__(self, *args: Any, regions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _lang_fields(self, "organisation", _("Organisation"), textarea=False, max_length=300)
        _lang_fields(self, "bio", _("About the expert"), textarea=True)
        self.theme_objects = list(theme_list())
        self.region_objects = regions
        fields: dict = self.fields
        fields["themes"].choices = [(t.slug, t.name) for t in self.theme_objects]
        fields["regions"].choices = [(r.code, r.name) for r in regions]

    def lang_rows(self) -> list[tuple[str, list[Any]]]:
        return [
            (str(label), [self[f"{name}_{lang}"] for lang in LANGS])
            for name, label in (("organisation", _("Organisation")), ("bio", _("About the expert")))
        ]

    def clean_username(self) -> Any:
        username = (self.cleaned_data.get("username") or "").strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("There is no user with this name."))
        return user

    def to_data(self, *, slug: str = "") -> ExpertData:
        d = self.cleaned_data
        return ExpertData(
            name=d["name"],
            organisation={lang: d.get(f"organisation_{lang}") or "" for lang in LANGS},
            bio={lang: d.get(f"bio_{lang}") or "" for lang in LANGS},
            themes=[t for t in self.theme_objects if t.slug in (d.get("themes") or [])],
            languages=list(d.get("languages") or []),
            regions=[r for r in self.region_objects if r.code in (d.get("regions") or [])],
            email=d.get("email") or "",
            phone=d.get("phone") or "",
            website=d.get("website") or "",
            show_email=bool(d.get("show_email")),
            show_phone=bool(d.get("show_phone")),
            user=d.get("username"),
            active=bool(d.get("active")),
            slug=slug,
        )

    @classmethod
    def initial_for(cls, expert: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            f"{name}_{lang}": rich_text_for_editing(getattr(expert, f"{name}_{lang}") or "")
            for name in ("organisation", "bio")
            for lang in LANGS
        }
        initial.update(
            name=expert.name,
            themes=[t.slug for t in expert.themes.all()],
            languages=expert.languages,
            regions=[r.code for r in expert.regions.all()],
            email=expert.email,
            show_email=expert.show_email,
            phone=expert.phone,
            show_phone=expert.show_phone,
            website=expert.website,
            username=expert.user.username if expert.user else "",
            active=expert.active,
        )
        return initial


class ThemeForm(forms.Form):
    slug = forms.SlugField(label=_("Key"), max_length=60)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    name_ky = forms.CharField(label=_("Name (Kyrgyz)"), max_length=200)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
