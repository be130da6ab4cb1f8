"""Every write to the legal-acts database. Each one keeps the search fields up to date."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction

from aimak.core.cache import public_content_changed

from .loader import legal_acts_read
from .models import IssuingBody, LegalAct, LegalActAttachment, LegalActLink
from .text import FOLD_FROM, FOLD_TO, SIMPLE_MARK, fold, index_terms


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def legal_act_index(*, act_ids: list[int]) -> None:
    """Recompute the search fields of these acts (the stems, the folded text, the vector)."""
    acts = LegalAct.objects.filter(pk__in=act_ids).only(
        "title_ru", "title_ky", "title_en", "text_ru", "text_ky"
    )
    changed = []
    for act in acts:
        titles = (act.title_ru or "", act.title_ky or "", act.title_en or "")
        act.search_title = index_terms(*titles)
        act.search_text = index_terms(act.text_ru, act.text_ky)
        act.search_folded = fold(" ".join(t for t in titles if t))
        changed.append(act)
    LegalAct.objects.bulk_update(
        changed, ["search_title", "search_text", "search_folded"], batch_size=500
    )
    if _postgres():
        _search_rows_write(act_ids=act_ids)


_MARKED = "regexp_replace({0}, '([[:alnum:]]+)', '" + SIMPLE_MARK + "\\1', 'g')"
_FOLDED_KY = "translate(lower(coalesce(a.{0}, '')), '" + FOLD_FROM + "', '" + FOLD_TO + "')"
_TITLE_VECTOR = (
    "setweight(to_tsvector('russian', coalesce(a.title_ru, '') || ' ' || "
    + _FOLDED_KY.format("title_ky")
    + "), 'A') || setweight(to_tsvector('simple', "
    + _MARKED.format("coalesce(a.search_folded, '')")
    + "), 'A')"
)
_TEXT_VECTOR = (
    "to_tsvector('russian', coalesce(a.text_ru, '')) || to_tsvector('simple', "
    + _MARKED.format(_FOLDED_KY.format("text_ky"))
    + ")"
)
# `russian` stems Russian, `simple` keeps every word (Kyrgyz, numbers); Kyrgyz is folded
# (ң ө ү → н о у) everywhere, as is the query, so a query with or without those letters
# matches the same acts. The title vector (weight A, with positions) is small and tells
# title matches apart; `vector` (title and text, stripped of positions and weights) only
# matches. The filter columns are copies, so a search never reads the wide acts table.
_SEARCH_ROWS_UPSERT = f"""
INSERT INTO legal_legalactsearch
    (act_id, date, act_type, body_id, status, title_vector, vector, folded_title)
SELECT a.id, a.date, a.act_type, a.body_id, a.status, t.vector,
       strip(t.vector || {_TEXT_VECTOR}), a.search_folded
FROM legal_legalact a, LATERAL (SELECT {_TITLE_VECTOR} AS vector) t
WHERE a.id = ANY(%s)
ON CONFLICT (act_id) DO UPDATE SET
    date = EXCLUDED.date, act_type = EXCLUDED.act_type, body_id = EXCLUDED.body_id,
    status = EXCLUDED.status, title_vector = EXCLUDED.title_vector,
    vector = EXCLUDED.vector, folded_title = EXCLUDED.folded_title
"""  # noqa: S608 (constants only; the ids are a parameter)


# The words of these acts' titles for spelling correction (LegalWord), four letters or more.
_WORDS_INSERT = """
INSERT INTO legal_legalword (word)
SELECT DISTINCT w FROM legal_legalactsearch s,
    regexp_split_to_table(s.folded_title, '[^[:alnum:]]+') AS w
WHERE s.act_id = ANY(%s) AND char_length(w) >= 4
ON CONFLICT (word) DO NOTHING
"""


def _search_rows_write(*, act_ids: list[int]) -> None:
    """PostgreSQL: write the narrow search rows (LegalActSearch) of these acts, and add
    their title words to the spelling-correction words (LegalWord)."""
    with connection.cursor() as cursor:
        cursor.execute(_SEARCH_ROWS_UPSERT, [list(act_ids)])
        cursor.execute(_WORDS_INSERT, [list(act_ids)])


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links: int = 0


ACT_FIELDS = (
    "act_type",
    "number",
    "date",
    "title_ru",
    "title_ky",
    "text_ru",
    "text_ky",
    "status",
    "status_note",
    "partial",
    "source_url",
    "note",
)


@transaction.atomic
def legal_acts_load(*, paths: list[Path]) -> LoadResult:
    """Load acts from JSON-lines files: all or nothing, and a second run changes nothing."""
    data = legal_acts_read(paths=paths)
    result = LoadResult()
    bodies: dict[str, IssuingBody] = {}
    for key, name_ky, name_ru, name_en, _prefixes in data.bodies:
        names = {"name_ky": name_ky, "name_ru": name_ru, "name_en": name_en}
        body, created = IssuingBody.objects.get_or_create(slug=key, defaults=names)
        if not created and any(getattr(body, f) != v for f, v in names.items()):
            IssuingBody.objects.filter(pk=body.pk).update(**names)
            result.updated += 1
        bodies[key] = body
    existing = {a.key: a for a in LegalAct.objects.filter(key__in=[r.key for r in data.acts])}
    touched: list[int] = []
    for record in data.acts:
        values = {f: getattr(record, f) for f in ACT_FIELDS}
        act = existing.get(record.key)
        if act is None:
            act = LegalAct(key=record.key, body=bodies[record.body], **values)
            act.save()
            result.created += 1
            touched.append(act.pk)
            continue
        differs = [f for f, v in values.items() if getattr(act, f) != v]
        if act.body_id != bodies[record.body].pk:
            act.body = bodies[record.body]
            differs.append("body")
        if differs:
            for name in differs:
                if name != "body":
                    setattr(act, name, values[name])
            act.save()
            result.updated += 1
            touched.append(act.pk)
        else:
            result.unchanged += 1
    acts = dict(LegalAct.objects.filter(key__in=[k for s, _, t in data.links for k in (s, t)])
                .values_list("key", "pk"))  # fmt: skip
    for source, kind, target in data.links:
        if source in acts and target in acts:
            _link, created = LegalActLink.objects.get_or_create(
                source_id=acts[source], target_id=acts[target], kind=kind
            )
            result.links += int(created)
    if touched:
        legal_act_index(act_ids=touched)
    if touched or result.links:
        public_content_changed()
    return result


@transaction.atomic
def legal_act_link_add(*, source: LegalAct, target: LegalAct, kind: str) -> LegalActLink:
    link, _created = LegalActLink.objects.get_or_create(source=source, target=target, kind=kind)
    public_content_changed()
    return link


@transaction.atomic
def legal_act_attachment_add(
    *, act: LegalAct, name: str, language: str, file: UploadedFile
) -> LegalActAttachment:
    attachment = LegalActAttachment(act=act, name=name, language=language)
    attachment.file.save(file.name or name, file, save=False)
    attachment.full_clean()
    attachment.save()
    public_content_changed()
    return attachment


@transaction.atomic
def legal_act_save(*, act: LegalAct) -> LegalAct:
    """Save an act edited as a whole (the admin), then refresh its search fields."""
    act.full_clean()
    act.save()
    legal_act_index(act_ids=[act.pk])
    public_content_changed()
    return act
