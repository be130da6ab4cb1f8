"""PDF writers (reportlab, pure Python): the analytical report from a `Document`, and the
one-page scorecard. Text is set in DejaVu Sans, bundled in aimak/reports/fonts/ and embedded
(subset) in every file, because reportlab's standard fonts have no Cyrillic and a fallback
glyph for ң ө ү must never be trusted."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _

from .content import (
    Bullets,
    Chart,
    Document,
    Heading,
    Paragraph,
    Scorecard,
    Table,
    change_words,
    format_value,
    interval,
    pct,
    small,
)

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, alignment=TA_LEFT)
    return {
        "body": base,
        "lead": ParagraphStyle("lead", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=14),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10.5, textColor="#333333"),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=24, leading=30),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=19),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=19,
            spaceBefore=10,
            spaceAfter=6,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=9.5,
            leading=12,
            spaceBefore=6,
            spaceAfter=3,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=3
        ),
    }


def _p(text: str, style: Any) -> Any:
    from reportlab.platypus import Paragraph as P

    return P(escape(text), style)


def _widths(table: Table, width: float) -> list[float]:
    """Each column as wide as its longest word or value needs; the first (labels) the rest."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    needs = []
    for c, column in enumerate(table.columns):
        words = [stringWidth(w, FONT_BOLD, 8) for w in column.label.split()]
        values = [
            stringWidth(format_value(row[c], column.kind) + "*", FONT, 8) for row in table.rows
        ]
        needs.append(max([*words, *values, 20.0]) + 14)
    rest = sum(needs[1:])
    first = max(width - rest, width * 0.25)
    scale = min(1.0, (width - first) / rest) if rest else 1.0
    return [first, *[n * scale for n in needs[1:]]]


def _table(table: Table, styles: dict[str, Any], width: float) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether, Spacer, TableStyle
    from reportlab.platypus import Table as T

    header = [_p(c.label, styles["cell_bold"]) for c in table.columns]
    body = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            text = format_value(value, column.kind)
            if (r, c) in table.small and text != "—":
                text += "*"
            cells.append(_p(text, styles["cell"]))
        body.append(cells)
    t = T([header, *body], colWidths=_widths(table, width), repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    flow: list[Any] = [_p(table.title, styles["caption"]), t]
    if table.note:
        flow.append(_p(table.note, styles["note"]))
    flow.append(Spacer(1, 4))
    return [KeepTogether(flow)] if len(table.rows) < 25 else flow


def _chart(chart: Chart, styles: dict[str, Any], width: float) -> list[Any]:
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, KeepTogether, Spacer

    reader = ImageReader(io.BytesIO(chart.image))
    w, h = reader.getSize()
    draw_w = min(width, w / 170 * 72)
    draw_h = draw_w * h / w
    image = Image(io.BytesIO(chart.image), width=draw_w, height=draw_h)
    return [
        KeepTogether(
            [
                _p(chart.title, styles["caption"]),
                image,
                _p(chart.caption, styles["note"]),
                Spacer(1, 6),
            ]
        )
    ]


def analytical_pdf(document: Document) -> bytes:
    register_fonts()
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as T

    styles = _styles()
    buffer = io.BytesIO()
    margin = 2 * cm
    footer_text = f"Aimak · {document.title}"

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(margin, 1.2 * cm, footer_text[:110])
        canvas.drawRightString(A4[0] - margin, 1.2 * cm, str(doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=document.title,
        author="Aimak",
        subject=document.subtitle,
        lang=document.language,
    )
    width = A4[0] - 2 * margin
    story: list[Any] = [
        Spacer(1, 4 * cm),
        _p(document.title, styles["title"]),
        Spacer(1, 0.4 * cm),
        _p(document.subtitle, styles["subtitle"]),
        Spacer(1, 1.2 * cm),
    ]
    facts = T(
        [[_p(k, styles["cell_bold"]), _p(v, styles["body"])] for k, v in document.facts],
        colWidths=[width * 0.3, width * 0.7],
    )
    facts.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#999999")]
        )
    )
    story += [facts, PageBreak()]
    first_section = True
    for block in document.blocks:
        if isinstance(block, Heading):
            if block.level == 1 and not first_section and block.text:
                story.append(PageBreak())
            first_section = first_section and block.level != 1
            story.append(_p(block.text, styles["h1" if block.level == 1 else "h2"]))
        elif isinstance(block, Paragraph):
            story.append(_p(block.text, styles[block.style]))
            story.append(Spacer(1, 4))
        elif isinstance(block, Bullets):
            for item in block.items:
                from reportlab.platypus import Paragraph as P

                story.append(P(escape(item), styles["bullet"], bulletText="•"))
        elif isinstance(block, Table):
            story += _table(block, styles, width)
        elif isinstance(block, Chart):
            story += _chart(block, styles, width)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def scorecard_pdf(card: Scorecard) -> bytes:
    """One A4 page, large type, black on white."""
    register_fonts()
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Frame, KeepInFrame, PageTemplate, Spacer, TableStyle
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T
    from reportlab.platypus.doctemplate import BaseDocTemplate

    rows = len(card.rows)
    # Large type for a few services; smaller, down to 62%, for up to the eleven standard ones.
    scale = 1.3 if rows <= 2 else max(0.62, 1.3 - 0.1 * (rows - 2))
    text = min(scale, 1.0)  # words must fit their column; only the figures grow
    base = ParagraphStyle("sc", fontName=FONT, fontSize=11 * text, leading=14 * text)
    title = ParagraphStyle("sct", parent=base, fontName=FONT_BOLD, fontSize=21, leading=26)
    subtitle = ParagraphStyle("scs", parent=base, fontSize=13, leading=17)
    head = ParagraphStyle(
        "sch", parent=base, fontName=FONT_BOLD, fontSize=10 * text, leading=12.5 * text
    )
    service = ParagraphStyle(
        "scv", parent=base, fontName=FONT_BOLD, fontSize=13 * text, leading=16 * text
    )
    big = ParagraphStyle(
        "scb",
        parent=base,
        fontName=FONT_BOLD,
        fontSize=28 * scale,
        leading=32 * scale,
        alignment=TA_CENTER,
    )
    centre = ParagraphStyle(
        "scc", parent=base, alignment=TA_CENTER, fontSize=9.5 * text, leading=12 * text
    )
    arrow = ParagraphStyle(
        "sca",
        parent=base,
        fontName=FONT_BOLD,
        fontSize=22 * scale,
        leading=26 * scale,
        alignment=TA_CENTER,
    )
    note = ParagraphStyle("scn", parent=base, fontSize=8.5, leading=11)

    def e(text: str) -> str:
        return escape(text)

    header = [
        P(e(_("Service")), head),
        P(e(_("Satisfied users")), head),
        P(
            e(_("Change since %(year)s") % {"year": card.facts.previous_start.year})
            if card.facts.previous_start
            else e(_("Change since the last round")),
            head,
        ),
        P(e(_("First priority for improvement")), head),
    ]
    data = [header]
    for row in card.rows:
        estimate = row.satisfied
        value = pct(estimate.value if estimate else None)
        if small(estimate):
            value += "*"
        ci = (
            _("95%% CI %(interval)s") % {"interval": interval(estimate.low, estimate.high)}
            if estimate is not None and estimate.low is not None
            else ""
        )
        mark, words = change_words(row.change)
        priority = row.priority
        if row.priority_share is not None:
            priority += " " + _("(%(share)s of users)") % {"share": pct(row.priority_share)}
        data.append(
            [
                P(e(row.service), service),
                [P(e(value), big), P(e(ci), centre)],
                [P(e(mark), arrow), P(e(words), centre)] if mark else [P(e(words), centre)],
                P(e(priority), base),
            ]
        )
    width = A4[0] - 3 * cm
    table = T(
        data, colWidths=[width * 0.30, width * 0.20, width * 0.20, width * 0.30], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), 6 * scale),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 6 * scale),
            ]
        )
    )
    made = formats.date_format(card.facts.generated_at, "DATE_FORMAT")
    story = [
        P(e(card.title), title),
        Spacer(1, 4),
        P(e(card.subtitle), subtitle),
        Spacer(1, 14),
        table,
        Spacer(1, 8),
        P(
            e(
                _(
                    "▲ up and ▼ down: changes larger than the margin of error; ≈ no clear change. "
                    "* fewer than 30 respondents: read with caution."
                )
            ),
            note,
        ),
        Spacer(1, 10),
        P(e(card.method), note),
        Spacer(1, 4),
        P(e(_("Made with Aimak: %(date)s") % {"date": made}), note),
    ]
    buffer = io.BytesIO()
    margin = 1.5 * cm
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=card.title,
        author="Aimak",
        lang=card.facts.language,
    )
    frame = Frame(margin, margin, A4[0] - 2 * margin, A4[1] - 2 * margin, id="page")
    doc.addPageTemplates([PageTemplate(id="card", frames=[frame])])
    # Whatever the number of services, the page shrinks to fit rather than run onto a second.
    doc.build([KeepInFrame(A4[0] - 2 * margin, A4[1] - 2 * margin, story, mode="shrink")])
    return buffer.getvalue()
