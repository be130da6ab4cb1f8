"""The analytical report as an editable DOCX (python-docx): the same `Document` as the PDF,
with real headings (so Word's navigation and table of contents work), tables in the
"Table Grid" style and the charts as PNG pictures."""

from __future__ import annotations

import io
from typing import Any

from .content import Bullets, Chart, Document, Heading, Paragraph, Table, format_value

LANGUAGE_TAGS = {"ky": "ky-KG", "ru": "ru-RU", "en": "en-GB"}
FONT = "Arial"  # in Windows and macOS, and LibreOffice maps it to Liberation Sans: all have ң ө ү


def _set_language(style: Any, tag: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def _table(doc: Any, table: Table) -> None:
    from docx.shared import Pt

    doc.add_paragraph(table.title, style="Caption")
    t = doc.add_table(rows=1, cols=len(table.columns))
    t.style = "Table Grid"
    for cell, column in zip(t.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(column.label)
        run.bold = True
        run.font.size = Pt(8.5)
    for r, row in enumerate(table.rows):
        cells = t.add_row().cells
        for c, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            text = format_value(value, column.kind)
            if (r, c) in table.small and text != "—":
                text += "*"
            run = cells[c].paragraphs[0].add_run(text)
            run.font.size = Pt(8.5)
    if table.note:
        note = doc.add_paragraph(table.note)
        note.runs[0].font.size = Pt(8)


def analytical_docx(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    tag = LANGUAGE_TAGS.get(document.language, document.language)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    _set_language(normal, tag)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Caption"):
        doc.styles[name].font.name = FONT
    props = doc.core_properties
    props.title = document.title
    props.subject = document.subtitle
    props.author = "Aimak"
    props.language = tag

    doc.add_heading(document.title, level=0)
    doc.add_paragraph(document.subtitle, style="Subtitle")
    facts = doc.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for key, value in document.facts:
        cells = facts.add_row().cells
        cells[0].text = ""
        cells[0].paragraphs[0].add_run(key).bold = True
        cells[1].text = value
    doc.add_page_break()
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            p = doc.add_paragraph(block.text)
            if block.style == "lead":
                p.runs[0].bold = True
            elif block.style == "note":
                p.runs[0].font.size = Pt(8.5)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            doc.add_paragraph(block.title, style="Caption")
            doc.add_picture(io.BytesIO(block.image), width=Cm(16))
            caption = doc.add_paragraph(block.caption)
            caption.runs[0].font.size = Pt(8)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
