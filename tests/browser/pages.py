"""The pages the browser tests visit, by path without the language prefix."""

from .conftest import DEMO_MUNICIPALITY, ENDED_UNIT

LANGUAGES = ("ky", "ru", "en")
# The demo seed makes one round in the fresh database the browser tests start from.
DEMO_ROUND = 1
# ... and then an earlier one, published with results (aimak/demo/seed.py _published_round).
PUBLISHED_ROUND = 2

PUBLIC_PAGES = {
    "home": "/",
    "about": "/about/",
    "registry": "/territories/",
    "oblast": "/territories/41703000000000/",  # Jalal-Abad region
    "rayon": "/territories/41703204000000/",  # Ala-Buka district
    "aimak": f"/territories/{DEMO_MUNICIPALITY}/",
    "village": "/territories/41703204804010/",
    "ended": f"/territories/{ENDED_UNIT}/",
    "search": "/territories/search/?q=kosh-dobo",
    "services": "/services/",
    "municipality-services": f"/services/municipality/{DEMO_MUNICIPALITY}/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password-reset/",
    "legal-acts": "/legal-acts/?q=бюджета",
    "legal-act": "/legal-acts/kr-law-2011-101/",
    "round-results": f"/results/rounds/{PUBLISHED_ROUND}/",
    "service-results": f"/results/rounds/{PUBLISHED_ROUND}/services/drinking-water/",
}

SIGNED_IN_PAGES = {
    "profile": "/accounts/profile/",
    "memberships": "/accounts/memberships/",
    "audit": "/accounts/audit/",
    "questionnaires": "/surveys/",
    "municipality-questionnaires": f"/surveys/municipality/{DEMO_MUNICIPALITY}/",
    "new-questionnaire": f"/surveys/municipality/{DEMO_MUNICIPALITY}/new/",
    "import-questionnaire": f"/surveys/municipality/{DEMO_MUNICIPALITY}/import/",
    "rounds": f"/surveys/municipality/{DEMO_MUNICIPALITY}/rounds/",
    "new-round": f"/surveys/municipality/{DEMO_MUNICIPALITY}/rounds/new/",
    "round": f"/surveys/rounds/{DEMO_ROUND}/",
    "sample-plan": f"/surveys/rounds/{DEMO_ROUND}/plan/",
    "route-sheet": f"/surveys/rounds/{DEMO_ROUND}/route/demo-enumerator/",
    "import-interviews": f"/surveys/rounds/{DEMO_ROUND}/imports/new/",
    "interview-form": f"/surveys/rounds/{DEMO_ROUND}/collect/",
    "paper-entry": f"/surveys/rounds/{DEMO_ROUND}/collect/paper/",
    "collection-progress": f"/surveys/rounds/{DEMO_ROUND}/progress/",
    "round-results-unpublished": f"/results/rounds/{DEMO_ROUND}/?by=village",
    "results-change": f"/results/rounds/{DEMO_ROUND}/change/",
    "results-compare": "/results/compare/",
}
