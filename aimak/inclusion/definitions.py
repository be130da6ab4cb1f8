"""The wording of the three seed-002 indicators and of how each is counted (one place for
the page, the XLSX export and the API)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def definitions() -> dict[str, dict[str, str]]:
    return {
        "policy": {
            "title": _(
                "Municipalities where a gender- and socially-sensitive service policy is in force"
            ),
            "how": _(
                "Municipalities of the region with a council resolution deciding to adopt a "
                "gender- and socially-sensitive service policy, dated on or before the last "
                "day of the period and not repealed by then. Also shown: how many adopted one "
                "during the period."
            ),
        },
        "hearings": {
            "title": _(
                "Men and women who took part in public hearings on the budget, tariffs and "
                "priorities"
            ),
            "how": _(
                "The attendance counted at public hearings on the budget, on tariffs and on "
                "priorities held during the period in municipalities of the region, from "
                "registered participants or a paper sign-in sheet; people whose sex was not "
                "recorded are shown apart."
            ),
        },
        "mobilising": {
            "title": _(
                "Municipalities covered by initiatives mobilising residents to take part in "
                "decisions"
            ),
            "how": _(
                "Municipalities of the region where, during the period, at least one public "
                "hearing, consultation, open council session, information campaign or focus "
                "group took place, or a citizen report-card round was collecting answers "
                "(its collection dates overlap the period) or was published."
            ),
        },
    }
