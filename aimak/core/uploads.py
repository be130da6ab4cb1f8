"""Uploaded files: what a file really is, read from its first bytes, never from its name.

Every app that accepts documents or photos (event materials, council resolutions, action
plan evidence, practice documents) asks here, so a renamed executable or a text file called
`.pdf` is refused the same way everywhere.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IMAGE_TYPES = frozenset({"jpeg", "png", "gif", "webp"})


def file_type(file: IO[bytes] | Any) -> str:
    """pdf, docx, xlsx, jpeg, png, gif, webp, or "" for anything else; the file's
    position is left at the start."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            names = set()
        finally:
            file.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return ""


def check_upload(*, file: Any, allowed: Iterable[str], max_bytes: int) -> str:
    """Check an uploaded file's real type and size; returns the type (see `file_type`)."""
    allowed = set(allowed)
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": max_bytes // 1024 // 1024}
        )
    kind = file_type(file)
    if kind not in allowed:
        labels = ", ".join(sorted(a.upper() for a in allowed))
        raise ValidationError(
            _("This file is not an accepted type. Accepted: %(types)s.") % {"types": labels}
        )
    return kind
