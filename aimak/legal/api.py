import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from .models import ActStatus, ActType, IssuingBody, LegalAct
from .selectors import LegalActFilters, legal_act_hits, legal_act_links, legal_act_search

router = Router(tags=["legal acts"])


class BodyOut(Schema):
    slug: str
    name_ky: str | None
    name_ru: str | None
    name_en: str | None


class LegalActOut(Schema):
    id: int
    key: str = Field(description="Stable key of the act in the data files")
    act_type: str
    number: str
    date: datetime.date
    body: BodyOut
    title_ky: str | None
    title_ru: str | None
    title_en: str | None
    status: str = Field(description="in_force, amended, lapsed or unknown")
    partial: bool = Field(description="True when only part of the official text is held")
    source_url: str = Field(description="The official source (the full text when partial)")


class LegalActHitOut(LegalActOut):
    rank: float = Field(description="Relevance, higher first (only meaningful with q)")
    snippet: str = Field(
        description="HTML: a fragment of the text with matched words in <mark>, the rest escaped"
    )


class LinkOut(Schema):
    kind: str = Field(description="amends, replaced_by or based_on")
    direction: str = Field(description="out: this act → other; in: other → this act")
    act_key: str
    act_title: str


class AttachmentOut(Schema):
    name: str
    language: str
    url: str


class LegalActDetailOut(LegalActOut):
    text_ru: str
    text_ky: str
    status_note: str
    links: list[LinkOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_links(obj: LegalAct) -> list[LinkOut]:
        out, into = legal_act_links(act=obj)
        return [
            LinkOut(kind=x.kind, direction="out", act_key=x.target.key, act_title=x.target.title)
            for x in out
        ] + [
            LinkOut(kind=x.kind, direction="in", act_key=x.source.key, act_title=x.source.title)
            for x in into
        ]

    @staticmethod
    def resolve_attachments(obj: LegalAct, context) -> list[AttachmentOut]:
        request = context["request"]
        return [
            AttachmentOut(
                name=a.name, language=a.language, url=request.build_absolute_uri(a.file.url)
            )
            for a in obj.attachments.all()
        ]


class LegalActQuery(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        description="Words to find: Russian (any word form) or Kyrgyz (ң ө ү optional)",
    )
    type: ActType | None = None
    body: str | None = Field(None, description="Slug of the issuing body")
    year: int | None = Field(None, ge=1900, le=2100)
    status: ActStatus | None = None


class _HitPagination(LimitOffsetPagination):
    """Limit/offset over the ranked acts; the snippets are made for the returned page only.
    With `q`, the count is exact up to 300; past that it is 301 and `more` is true."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(
            description="Acts found; with q exact up to 300, else 301 with more=true"
        )
        more: bool = Field(
            description="True when more acts match than were counted (narrow the search)"
        )
        corrected: str = Field(
            "",
            description="When nothing matches q as typed (PostgreSQL): q with its misspelt "
            "words replaced by the most similar title words, whose acts are returned",
        )

    def paginate_queryset(self, queryset, pagination, request, **params):  # type: ignore[override]
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["more"] = bool(getattr(queryset, "more", False))
        page["corrected"] = getattr(queryset, "corrected", "")
        filters = params.get("filters")
        query = (getattr(filters, "q", None) or "") if filters is not None else ""
        query = page["corrected"] or query
        hits = legal_act_hits(acts=list(page["items"]), query=query)
        for hit in hits:
            hit.act.snippet = str(hit.snippet)  # type: ignore[attr-defined]
            hit.act.rank = hit.rank  # type: ignore[attr-defined]
        page["items"] = [hit.act for hit in hits]
        return page


@router.get(
    "/legal-acts",
    response=list[LegalActHitOut],
    summary="Search or list legal acts",
    description="Without q: every act under the filters, newest first. With q: acts whose "
    "title matches first (ranked), then those whose text matches, newest first, each with "
    "a highlighted fragment; the count is exact up to 300 (see more).",
)
@paginate(_HitPagination)
def list_acts(request, filters: Query[LegalActQuery]):
    body = get_object_or_404(IssuingBody, slug=filters.body) if filters.body else None
    return legal_act_search(
        query=filters.q or "",
        filters=LegalActFilters(
            act_type=filters.type, body=body, year=filters.year, status=filters.status
        ),
    )


@router.get("/legal-acts/{key}", response=LegalActDetailOut, summary="One legal act")
def get_act(request, key: str):
    return get_object_or_404(LegalAct.objects.select_related("body"), key=key)
