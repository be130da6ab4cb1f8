"""Translations: complete catalogues, matching placeholders, local formats, translated pages.

The catalogues in locale/ are the project's; `make messages` regenerates them from the code
and every new entry must then be translated into Kyrgyz and Russian (and copied in English).
"""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db.models import Q
from django.utils import formats, translation

from aimak.territories.models import Territory
from aimak.territories.selectors import territory_level_counts

ROOT = Path(settings.BASE_DIR)
LANGS = [code for code, _name in settings.LANGUAGES]
NBSP = "\xa0"
DEMO_MUNICIPALITY = "41703204804000"

# Exactly the Makefile's `messages` target (one locale suffices: the msgids are shared).
MAKEMESSAGES_IGNORES = [".venv/*", "tests/*", "bench/*", "var/*", "*/tests/*"]
PLURAL_FORMS = {
    "ky": "nplurals=1; plural=0;",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "en": "nplurals=2; plural=(n != 1);",
}


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))


def keys(po: polib.POFile) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in po if not e.obsolete}


def describe(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}"


# --- (a) every entry translated, nothing fuzzy --------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_fully_translated_and_not_fuzzy(lang):
    po = catalogue(lang)
    assert len(po) > 0
    assert po.metadata.get("Language") == lang
    assert po.metadata.get("Plural-Forms") == PLURAL_FORMS[lang]
    nplurals = int(PLURAL_FORMS[lang].split(";")[0].split("=")[1])
    untranslated = [describe(e) for e in po.untranslated_entries()]
    fuzzy = [describe(e) for e in po.fuzzy_entries()]
    assert not untranslated, f"{lang}: untranslated entries: {untranslated}"
    assert not fuzzy, f"{lang}: fuzzy entries: {fuzzy}"
    wrong_plurals = [
        describe(e)
        for e in po
        if e.msgid_plural and sorted(e.msgstr_plural) != list(range(nplurals))
    ]
    assert not wrong_plurals, f"{lang}: plural entries without {nplurals} forms: {wrong_plurals}"


def test_all_catalogues_hold_the_same_entries():
    reference = keys(catalogue(LANGS[0]))
    for lang in LANGS[1:]:
        assert keys(catalogue(lang)) == reference, f"{lang} differs from {LANGS[0]}"


# --- (b) nothing in the code is missing from the catalogues -------------------------------


def _copy_ignore(directory: str, names: list[str]) -> set[str]:
    top = Path(directory).resolve() == ROOT.resolve()
    skipped = {"__pycache__", ".git", "node_modules", ".mypy_cache", ".ruff_cache"}
    if top:
        skipped |= {".venv", "var", "bench", "tests"}
    return {name for name in names if name in skipped or name.endswith((".mo", ".pyc"))}


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext (xgettext) is not installed: cannot extract messages",
)
def test_no_string_in_the_code_is_missing_from_the_catalogues(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=_copy_ignore)
    command = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        "ky",
        "--no-obsolete",
        "--no-location",
    ]
    for pattern in MAKEMESSAGES_IGNORES:
        command += ["-i", pattern]
    ours_before = (ROOT / "locale" / "ky" / "LC_MESSAGES" / "django.po").read_bytes()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aimak.settings.test",
        "AIMAK_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    # The copy, not the project, was scanned and written (python puts the copy first on the path).
    assert (ROOT / "locale" / "ky" / "LC_MESSAGES" / "django.po").read_bytes() == ours_before
    extracted = keys(polib.pofile(str(copy / "locale" / "ky" / "LC_MESSAGES" / "django.po")))
    ours = keys(catalogue("ky"))
    missing = sorted(extracted - ours, key=str)
    assert not missing, (
        "Strings in the code are missing from locale/: run `make messages`, then translate "
        f"them in ky, ru and en: {missing}"
    )


# --- (c) placeholders and markup survive translation --------------------------------------

PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcu%]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text: str) -> Counter:
    found = Counter()
    for match in PLACEHOLDER.finditer(text):
        spec = match.group(0)
        if spec == "%%":
            continue
        found[match.group(1) or spec] += 1
    return found


def _mismatches(lang: str) -> list[str]:
    problems = []
    for e in catalogue(lang):
        if e.obsolete:
            continue
        if e.msgid_plural:
            # Any form may serve the singular or the plural source (ky has one form for all).
            expected = set(placeholders(e.msgid)) | set(placeholders(e.msgid_plural))
            tags = Counter(TAG.findall(e.msgid_plural))
            translations = list(e.msgstr_plural.values())
        else:
            expected = set(placeholders(e.msgid))
            tags = Counter(TAG.findall(e.msgid))
            translations = [e.msgstr]
        for text in translations:
            if set(placeholders(text)) != expected:
                problems.append(f"{describe(e)} → {text!r}: placeholders differ")
            if Counter(TAG.findall(text)) != tags:
                problems.append(f"{describe(e)} → {text!r}: HTML differs")
        if (
            "python-format" in e.flags
            and not e.msgid_plural
            and placeholders(e.msgstr) != placeholders(e.msgid)
        ):
            problems.append(f"{describe(e)} → {e.msgstr!r}: placeholder counts differ")
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_and_markup_match_the_source(lang):
    problems = _mismatches(lang)
    assert not problems, "\n".join(problems)


# --- (d) dates and numbers as each language writes them -----------------------------------


def test_kyrgyz_dates_read_as_in_official_documents():
    with translation.override("ky"):
        assert formats.date_format(date(2025, 3, 14)) == "2025-жылдын 14-марты"
        months = [
            formats.date_format(date(2025, month, 1), "MONTH_DAY_FORMAT") for month in range(1, 13)
        ]
    assert months == [
        "1-январы",
        "1-февралы",
        "1-марты",
        "1-апрели",
        "1-майы",
        "1-июну",
        "1-июлу",
        "1-августу",
        "1-сентябры",
        "1-октябры",
        "1-ноябры",
        "1-декабры",
    ]


def test_russian_dates_use_the_genitive_month():
    with translation.override("ru"):
        assert formats.date_format(date(2025, 3, 14)) == "14 марта 2025 г."
        assert formats.date_format(date(2025, 5, 9)) == "9 мая 2025 г."


def test_english_dates():
    with translation.override("en"):
        assert formats.date_format(date(2025, 3, 14)) == "14 March 2025"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ky", f"1{NBSP}234{NBSP}567,5"),
        ("ru", f"1{NBSP}234{NBSP}567,5"),
        ("en", "1,234,567.5"),
    ],
)
def test_numbers_use_the_local_separators(lang, expected):
    with translation.override(lang):
        assert formats.number_format(1234567.5) == expected
        assert formats.localize(1234567.5) == expected


# --- (e) pages in each language ------------------------------------------------------------


def _translated(lang: str, msgid: str) -> str:
    with translation.override(lang):
        return translation.gettext(msgid)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_pages_are_served_in_the_language_of_their_address(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    for msgid, url in (
        ("Registry", f"/{lang}/territories/"),
        ("Services", f"/{lang}/services/"),
        ("About", f"/{lang}/about/"),
    ):
        label = _translated(lang, msgid)
        assert f'<a href="{url}">{label}</a>' in html, (lang, msgid, label)
    if lang != "en":
        assert f'href="/{lang}/territories/">Registry</a>' not in html


def test_navigation_differs_per_language():
    for msgid in ("Services", "Sign in", "About"):
        labels = {lang: _translated(lang, msgid) for lang in LANGS}
        assert len(set(labels.values())) == len(LANGS), labels
        assert labels["en"] == msgid
    assert _translated("ky", "Registry") == "Реестр"
    assert _translated("ru", "Services") == "Услуги"
    assert _translated("ky", "Services") == "Кызмат көрсөтүүлөр"


@pytest.mark.django_db
def test_plural_counts_on_the_home_page(client):
    html = client.get("/ru/").content.decode()
    count = territory_level_counts()["aimak"]
    with translation.override("ru"):
        label = translation.ngettext("ayil aimak", "ayil aimaks", count)
    assert label in html and label != "ayil aimaks"


# --- (f) content translated field by field -------------------------------------------------


def _h1(html: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert match, "no <h1> on the page"
    return match.group(1).strip()


@pytest.mark.django_db
def test_a_unit_shows_its_name_in_the_language_of_the_page(client, demo_municipality):
    unit = demo_municipality
    assert unit.name_ky == "Ак-Коргон айыл аймагы"
    assert unit.name_ru == "Ак-Коргонский айылный аймак"
    for lang, expected in (("ky", unit.name_ky), ("ru", unit.name_ru), ("en", unit.name_en)):
        response = client.get(f"/{lang}/territories/{unit.code}/")
        assert response.status_code == 200
        assert _h1(response.content.decode()) == expected


@pytest.mark.django_db
def test_a_village_without_a_kyrgyz_name_falls_back_to_russian(client):
    village = (
        Territory.objects.filter(level="village")
        .filter(Q(name_ky="") | Q(name_ky__isnull=True))
        .exclude(Q(name_ru="") | Q(name_ru__isnull=True))
        .order_by("code")
        .first()
    )
    assert village is not None, "the registry should have villages named only in Russian"
    with translation.override("ky"):
        assert Territory.objects.get(pk=village.pk).name == village.name_ru
    response = client.get(f"/ky/territories/{village.code}/")
    assert response.status_code == 200
    assert _h1(response.content.decode()) == village.name_ru
