"""Word normalisation for the legal-acts search that works on every database.

Russian words are reduced with the Snowball Russian stemmer (snowballstemmer, pure Python),
so "бюджета" and "бюджет" meet at "бюджет". Kyrgyz has no stemmer in PostgreSQL or
Snowball, so Kyrgyz words are folded (ң ө ү → н о у, ё → е, lower case) and lose a common
case or possessive ending ("мыйзамынын" → "мыйзам"); a query word matches any stored word
that begins with its stem. The same functions build the stored words and the query, so
they always agree. Nothing here touches the database.
"""

from __future__ import annotations

import functools
import re

import snowballstemmer

_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁёҢңӨөҮүӉӊ]+")
FOLD_FROM, FOLD_TO = "ңӊөүё", "нн\u043eуе"  # о is Cyrillic
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)
# PostgreSQL: every word that enters a tsvector through the `simple` configuration (the
# folded Kyrgyz, the folded titles) is stored with this mark in front ("kyмыйзамына"), and
# the prefix query carries it too ("kyмыйзам:*"). A prefix then ranges over those words
# only, never over the Russian stems ("закон:*" would: thousands of them, a slow GIN scan).
SIMPLE_MARK = "ky"
# Longest first; only stripped while at least three letters of the stem remain.
_KY_SUFFIXES = sorted(
    {
        # case endings (after folding ө/ү to о/у)
        "нын", "нин", "нун", "дын", "дин", "дун", "тын", "тин", "тун",
        "га", "ге", "го", "ка", "ке", "ко", "на", "не", "но", "а", "е",
        "ны", "ни", "ну", "ды", "ди", "ду", "ты", "ти", "ту",
        "да", "де", "до", "та", "те", "то", "нда", "нде", "ндо",
        "дан", "ден", "дон", "тан", "тен", "тон", "нан", "нен", "нон",
        # possessive and plural
        "ы", "и", "у", "сы", "си", "су",
        "лар", "лер", "лор", "дар", "дер", "дор", "тар", "тер", "тор",
        "ларды", "лерди", "лорду", "дарды", "дерди", "дорду",
        "ларын", "лерин", "лорун", "дарын", "дерин", "дорун",
    },
    key=len,
    reverse=True,
)  # fmt: skip
_MIN_STEM = 3
_russian = snowballstemmer.stemmer("russian")


def fold(text: str) -> str:
    """Lower case, with the Kyrgyz letters ң ө ү (and ё) folded to н о у (е)."""
    return text.lower().translate(_FOLD)


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


@functools.lru_cache(maxsize=65536)
def russian_stem(word: str) -> str:
    return str(_russian.stemWord(fold(word)))


@functools.lru_cache(maxsize=65536)
def kyrgyz_stem(word: str) -> str:
    """Fold the word and strip one common ending (a light stemmer, not a full one)."""
    word = fold(word)
    for suffix in _KY_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def stems(word: str) -> set[str]:
    """The keys a word is known by: its Russian stem and its Kyrgyz stem."""
    return {russian_stem(word), kyrgyz_stem(word)}


def index_terms(*texts: str) -> str:
    """The stored form of texts: every key of every word, space-separated and padded."""
    keys: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            for key in stems(word):
                keys[key] = None
    return " " + " ".join(keys) + " " if keys else ""


def query_terms(query: str, *, limit: int = 10) -> list[str]:
    """The distinct words of a query (at most `limit`), in order, folded."""
    seen: dict[str, None] = {}
    for word in words(query):
        if len(seen) >= limit:
            break
        seen.setdefault(fold(word), None)
    return list(seen)
