"""Kyrgyz and Russian Cyrillic to Latin, and the folded "skeleton" used by search.

`latin()` gives a readable romanisation for names that have no English form in the
sources (marked as derived wherever shown). `skeleton()` folds any spelling (Kyrgyz,
Russian, English, with or without ң ө ү, any case, hyphens or none) to one key, so a
search for "Kosh-Dobo", "Кош-Добо" or "кош дөбө" finds «Кош-Дөбө».
"""

from __future__ import annotations

import re
import unicodedata

_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "ң": "ng",
    "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ү": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

_KY_AIMAK_SUFFIX = re.compile(r"\s+айыл\s+аймагы$", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_FOLDS = (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("ng", "n"), ("y", "i"))
_REPEATS = re.compile(r"(.)\1+")


def latin(text: str) -> str:
    """Romanise Cyrillic text, keeping case, hyphens and spaces."""
    out = []
    for char in text:
        low = char.lower()
        if low in _CYR_TO_LAT:
            lat = _CYR_TO_LAT[low]
            out.append(lat.capitalize() if char != low else lat)
        else:
            out.append(char)
    return "".join(out)


def english_name(*, name_ky: str, name_ru: str, level: str) -> str:
    """Derive an English name from the Kyrgyz name (preferred) or the Russian one."""
    if level == "aimak" and name_ky:
        base = _KY_AIMAK_SUFFIX.sub("", name_ky.strip())
        return f"{latin(base)} ayil aimak"
    return latin((name_ky or name_ru).strip())


def skeleton(text: str) -> str:
    """Fold any spelling of a name to a lowercase Latin key without separators."""
    text = latin(text.lower())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _NON_ALNUM.sub("", text)
    for old, new in _FOLDS:
        text = text.replace(old, new)
    return _REPEATS.sub(r"\1", text)


def search_key(*names: str) -> str:
    """The stored key of a unit: the skeleton of each of its names, joined by "|"."""
    parts = dict.fromkeys(skeleton(n) for n in names if n)
    return "|" + "|".join(p for p in parts if p) + "|"
