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
    "news": "/news/",
    "news-item": "/news/demo-budget-hearing-2026/",
    "news-category": "/news/category/water/",
    "magazine": "/news/magazine/",
    "magazine-issue": "/news/magazine/1/",
    "site-search": "/search/?q=бюджет",
    "practices": "/practices/?q=бюджет",
    "practice": "/practices/tarify-pastbishchnogo-komiteta-po-pogolovyu-skota-demo/",
    "experts": "/practices/experts/",
    "expert": "/practices/experts/marat-isakov-demo/",
    "inclusion-indicators": "/inclusion/indicators/?start=2025-01-01&end=2026-12-31",
    "inclusion-drilldown": "/inclusion/indicators/hearings/?start=2025-01-01&end=2026-12-31",
    "inclusion-municipality": f"/inclusion/{DEMO_MUNICIPALITY}/",
    "inclusion-budget": f"/inclusion/{DEMO_MUNICIPALITY}/budgets/1/",
    "action-plans": "/plans/",
    "action-plan": f"/plans/{DEMO_MUNICIPALITY}/",
    "recommendation": "/plans/recommendations/1/",
    "events": "/events/",
    "events-past": "/events/?when=past&kind=hearing_priorities",
    "event": "/events/6/",  # the demo's priorities hearing (aimak/demo/events.py)
    "event-register": "/events/8/register/",
    "council-resolutions": f"/council/municipality/{DEMO_MUNICIPALITY}/",
    "council-resolution": "/council/4/",
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
    "news-manage": "/news/manage/",
    "news-new": "/news/manage/new/",
    "news-log": "/news/manage/log/",
    "notifications": "/notifications/",
    "notification-settings": "/notifications/settings/",
    "practice-submit": "/practices/submit/",
    "practice-moderation": "/practices/moderation/",
    "practice-review": "/practices/razrabotka-pser-vmeste-s-jitelyami-demo/",
    "practice-target": "/practices/target/",
    "practice-themes": "/practices/themes/",
    "expert-edit": "/practices/experts/marat-isakov-demo/edit/",
    "inclusion-budget-upload": f"/inclusion/{DEMO_MUNICIPALITY}/budgets/upload/",
    "inclusion-budget-tags": f"/inclusion/{DEMO_MUNICIPALITY}/budgets/1/tags/",
    "plan-manage": f"/plans/{DEMO_MUNICIPALITY}/manage/",
    "recommendation-new": f"/plans/{DEMO_MUNICIPALITY}/new/?round={PUBLISHED_ROUND}"
    "&service=drinking-water&index=water_quality",
    "action-statuses": "/plans/statuses/",
    "event-new": "/events/new/",
    "event-participants": "/events/3/participants/",
    "event-attendance": "/events/6/attendance/",
    "event-materials": "/events/6/materials/",
    "resolution-new": f"/council/municipality/{DEMO_MUNICIPALITY}/new/",
}
