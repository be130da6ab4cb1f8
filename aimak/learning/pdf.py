"""The certificate as a one-page PDF (reportlab, DejaVu fonts bundled by aimak.reports)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from .models import Certificate

FONTS = Path(__file__).resolve().parent.parent / "reports" / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


@cache
def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "DejaVuSans.ttf")))
    if FONT_BOLD not in registered:
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))


def certificate_language(certificate: Certificate) -> str:
    lang = getattr(certificate.user, "preferred_language", "") or "ky"
    return lang if lang in ("ky", "ru", "en") else "ky"


def course_title(certificate: Certificate, lang: str) -> str:
    course = certificate.course
    for code in (lang, "ru", "ky", "en"):
        title = getattr(course, f"title_{code}", "") or ""
        if title:
            return title
    return course.slug


def verification_url(certificate: Certificate, lang: str) -> str:
    with translation.override(lang):
        path = reverse("learning:verify", args=[certificate.code])
    return f"{settings.SITE_URL}{path}"


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def certificate_pdf(certificate: Certificate, *, lang: str | None = None) -> bytes:
    """A4 landscape: the learner's name, the course title in the learner's language, the
    date, the number and the public address that confirms the certificate."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    _register_fonts()
    lang = lang or certificate_language(certificate)
    width, height = landscape(A4)
    out = io.BytesIO()
    with translation.override(lang):
        title = _("Certificate")
        pdf = canvas.Canvas(out, pagesize=(width, height))
        pdf.setTitle(f"{title} {certificate.number}")
        pdf.setAuthor(_("Aimak"))
        pdf.setLineWidth(2)
        pdf.setStrokeColorRGB(0.11, 0.30, 0.55)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        center = width / 2
        y = height - 45 * mm
        pdf.setFont(FONT_BOLD, 34)
        pdf.drawCentredString(center, y, title.upper())
        y -= 14 * mm
        pdf.setFont(FONT, 14)
        pdf.drawCentredString(center, y, _("This certifies that"))
        y -= 14 * mm
        pdf.setFont(FONT_BOLD, 24)
        pdf.drawCentredString(center, y, certificate.learner_name)
        y -= 13 * mm
        pdf.setFont(FONT, 14)
        pdf.drawCentredString(center, y, _("has completed the course"))
        y -= 11 * mm
        pdf.setFont(FONT_BOLD, 18)
        for line in _wrap(f"«{course_title(certificate, lang)}»", FONT_BOLD, 18, width - 60 * mm):
            pdf.drawCentredString(center, y, line)
            y -= 9 * mm
        y -= 6 * mm
        pdf.setFont(FONT, 12)
        date = formats.date_format(certificate.issued_at.date(), "DATE_FORMAT")
        pdf.drawCentredString(center, y, _("Date: %(date)s") % {"date": date})
        y -= 7 * mm
        pdf.drawCentredString(
            center, y, _("Certificate number: %(number)s") % {"number": certificate.number}
        )
        pdf.setFont(FONT, 10)
        pdf.drawCentredString(center, 26 * mm, _("Check this certificate at:"))
        pdf.drawCentredString(center, 20 * mm, verification_url(certificate, lang))
        pdf.showPage()
        pdf.save()
    return out.getvalue()
