"""The results protocol as an XLSX workbook (openpyxl): ranking, scores, votes, jury."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Contest
from .selectors import annulled_votes, contest_results, jury_progress, max_total


def protocol_xlsx(*, contest: Contest) -> bytes:
    criteria, rows = contest_results(contest=contest)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Results")[:31]
    bold = Font(bold=True)
    sheet.append([_("Protocol of the contest results")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([contest.title])
    sheet.append([_("Contest number"), contest.number])
    published = contest.results_published_at
    sheet.append(
        [
            _("Results published"),
            timezone.localtime(published).strftime("%d.%m.%Y %H:%M") if published else _("not yet"),
        ]
    )
    sheet.append([_("Maximum jury score"), float(max_total(criteria))])
    sheet.append([_("Annulled votes (not counted)"), annulled_votes(contest=contest)])
    sheet.append([])
    header = [_("Rank"), _("Registration number"), _("Municipality"), _("Project")]
    header += [f"{c.name} (×{c.weight})" for c in criteria]
    header += [_("Jury score"), _("Share of the maximum, %"), _("Jury members counted"),
               _("Conflicts declared"), _("Public votes"), _("Place"), _("Special mention")]  # fmt: skip
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in rows:
        app = row.application
        sheet.append(
            [row.rank, app.registration_number, app.municipality.name, app.title]
            + [float(m) if m is not None else None for m in row.criteria_means]
            + [float(row.jury_total) if row.jury_total is not None else None,
               float(row.jury_percent) if row.jury_percent is not None else None,
               row.jury_count, row.conflicts, row.votes, app.place,
               _("yes") if app.mention else ""]
        )  # fmt: skip
    jury_sheet = book.create_sheet(_("Jury")[:31])
    apps, progress = jury_progress(contest=contest)
    jury_sheet.append([_("Jury member")] + [a.registration_number for a in apps])
    labels = {"conflict": _("conflict of interest"), "scored": _("scored"),
              "declared": _("declared, not scored"), "": _("not yet")}  # fmt: skip
    for p in progress:
        jury_sheet.append(
            [p.member.user.full_name or p.member.user.username] + [str(labels[c]) for c in p.cells]
        )
    for cell in jury_sheet[1]:
        cell.font = bold
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
