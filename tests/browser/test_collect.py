"""Collection on a phone: the demo enumerator fills interviews screen by screen, loses the
connection, and sends twice without storing twice; staff type in a paper questionnaire.

The server is the real gunicorn of conftest.py; what is stored is read back through the API
(the same session), never through the ORM.
"""

import math

import pytest

from aimak.surveys.expressions import evaluate, expression_compile

from .conftest import sign_in
from .pages import DEMO_ROUND

pytestmark = pytest.mark.browser

COLLECT = f"/surveys/rounds/{DEMO_ROUND}/collect/"
INTERVIEWS = f"/api/v1/rounds/{DEMO_ROUND}/interviews"
OUTBOX_KEY = f"aimak:collect:{DEMO_ROUND}:demo-enumerator:outbox"
AK_KORGON_VILLAGE = "41703204804010"
SELECTS = ("select_one", "select_multiple", "rating", "yes_no", "village")


def open_form(new_context, lang="en"):
    context = new_context()
    page = context.new_page()
    sign_in(page, "demo-enumerator", lang=lang)
    page.goto(f"/{lang}{COLLECT}")
    page.locator("#interview .screen:not([hidden]) .q").first.wait_for()
    return context, page


def question(page, name):
    return page.locator(f"#interview .q[data-k='{name}']")


def choose(page, name, value):
    page.locator(f"#interview input[data-k='{name}'][value='{value}']").check()


def stored(page) -> int:
    """Interviews of the demo enumerator stored on the server (the API, same session)."""
    return page.request.get(f"/api/v1/rounds/{DEMO_ROUND}/progress").json()["total"]["done"]


def times_stored(page, interview_id: str) -> int:
    found, offset = 0, 0
    while True:
        batch = page.request.get(f"{INTERVIEWS}?limit=1000&offset={offset}").json()
        found += sum(1 for item in batch["items"] if item["id"] == interview_id)
        offset += len(batch["items"])
        if not batch["items"] or offset >= batch["count"]:
            return found


def outbox_ids(page) -> list[str]:
    return page.evaluate(f"(JSON.parse(localStorage.getItem('{OUTBOX_KEY}')) || []).map(i => i.id)")


def wait_all_sent(page):
    page.wait_for_function(
        f"!(JSON.parse(localStorage.getItem('{OUTBOX_KEY}')) || []).length", timeout=15_000
    )


FIRST_BLANK = """(selects) => {
  for (const q of document.querySelectorAll('#interview .screen:not([hidden]) .q')) {
    if (q.offsetParent === null) continue;
    const inputs = [...q.querySelectorAll('input, textarea')];
    if (selects.includes(q.dataset.type)) {
      if (!inputs.some(i => i.checked)) return {key: q.dataset.k, type: q.dataset.type, value: inputs[0].value};
    } else if (!inputs[0].value) return {key: q.dataset.k, type: q.dataset.type};
  }
  return null;
}"""
TYPED = {
    "integer": "12",
    "decimal": "150,5",
    "text": "Суу түнкүсүн гана келет",
    "date": "2026-05-10",
}


def answer_what_is_shown(page):
    """Answer every question shown on the current screen (first choice, plausible values),
    as new questions appear."""
    for _ in range(60):
        blank = page.evaluate(FIRST_BLANK, list(SELECTS))
        if blank is None:
            return
        if blank["type"] in SELECTS:
            choose(page, blank["key"], blank["value"])
        else:
            page.locator(f"#interview [data-k='{blank['key']}']:is(input, textarea)").fill(
                TYPED[blank["type"]]
            )
    raise AssertionError("questions keep appearing")


def quick_interview(page):
    """The shortest valid interview: the respondent does not agree to take part."""
    choose(page, "consent", "no")
    assert page.locator("#next").inner_text() == "Save interview"
    page.locator("#next").click()


def test_an_interview_screen_by_screen_with_skips_and_checks(new_context):
    _context, page = open_form(new_context)
    before = stored(page)
    sex = question(page, "sex")
    assert page.locator("#screen-count").inner_text() == "Screen 1 of 1"
    assert sex.is_hidden()

    # Skip conditions apply as the answers change.
    choose(page, "consent", "yes")
    assert sex.is_visible()
    choose(page, "consent", "no")
    assert sex.is_hidden()
    choose(page, "consent", "yes")
    choose(page, "sex", "female")
    page.locator("#interview .q[data-k='age_group'] input").first.check()
    choose(page, "village", AK_KORGON_VILLAGE)
    page.fill("#interview input[data-k='household_size']", "45")
    choose(page, "vulnerable", "none")
    choose(page, "water_uses", "yes")
    choose(page, "waste_uses", "no")
    assert page.locator("#screen-count").inner_text() == "Screen 1 of 2"

    # A broken constraint keeps the enumerator on the screen, next to the question.
    page.locator("#next").click()
    household = question(page, "household_size")
    error = household.locator(".q-error")
    assert error.is_visible()
    assert "1 to 30" in error.inner_text()
    assert household.locator("input").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.dataset.k") == "household_size"
    assert page.locator("#screen-count").inner_text() == "Screen 1 of 2"
    page.fill("#interview input[data-k='household_size']", "4")
    assert error.is_hidden()

    # A required question left blank on the next screen is named too.
    page.locator("#next").click()
    assert page.locator("#screen-count").inner_text() == "Screen 2 of 2"
    assert page.locator("#interview .screen:not([hidden]) h2").inner_text() == (
        "Drinking water supply"
    )
    page.locator("#next").click()
    assert question(page, "water_access").locator(".q-error").inner_text() == (
        "An answer is required."
    )
    answer_what_is_shown(page)
    # Back and forth keeps the answers.
    page.locator("#back").click()
    assert page.locator("#interview input[data-k='household_size']").input_value() == "4"
    page.locator("#next").click()
    assert page.locator("#next").inner_text() == "Save interview"
    page.locator("#next").click()

    wait_all_sent(page)
    assert stored(page) == before + 1
    page.wait_for_function(
        f"document.querySelector('#stored-done').textContent.replace(/\\D/g, '') === '{before + 1}'"
    )
    # A new interview begins at once, blank, on the first screen.
    assert page.locator("#screen-count").inner_text() == "Screen 1 of 1"
    assert not page.locator("#interview input[data-k='consent']:checked").count()
    assert (
        "Every interview saved on this phone has been sent."
        in page.locator("#outbox-count").inner_text()
    )


def test_offline_the_interview_waits_and_goes_when_the_connection_returns(new_context):
    context, page = open_form(new_context)
    before = stored(page)
    context.set_offline(True)
    quick_interview(page)
    count = page.locator("#outbox-count")
    page.wait_for_function("document.querySelector('#outbox-count').textContent.includes('1')")
    assert "waiting to be sent: 1" in count.inner_text()
    assert "No connection" in page.locator("#collect-status").inner_text()
    [interview_id] = outbox_ids(page)
    assert stored(page) == before  # (the test's own requests are not cut off)

    context.set_offline(False)  # the browser's `online` event sends the outbox
    wait_all_sent(page)
    assert "has been sent" in count.inner_text()
    assert stored(page) == before + 1
    assert times_stored(page, interview_id) == 1


def test_the_outbox_and_the_interview_in_progress_survive_a_reload(new_context):
    _context, page = open_form(new_context)
    before = stored(page)
    page.route(f"**{INTERVIEWS}", lambda route: route.abort("internetdisconnected"))
    quick_interview(page)
    page.wait_for_function("document.querySelector('#outbox-count').textContent.includes('1')")
    [interview_id] = outbox_ids(page)
    # The next interview is half done when the page is reloaded.
    choose(page, "consent", "yes")
    choose(page, "sex", "male")
    page.reload()
    page.locator("#interview .q").first.wait_for()
    assert "waiting to be sent: 1" in page.locator("#outbox-count").inner_text()
    assert page.locator("#interview input[data-k='sex'][value='male']").is_checked()
    assert stored(page) == before

    page.unroute(f"**{INTERVIEWS}")
    page.locator("#send-now").click()
    wait_all_sent(page)
    assert times_stored(page, interview_id) == 1
    assert page.locator("#interview input[data-k='sex'][value='male']").is_checked()


def test_an_interview_sent_twice_is_stored_once(new_context):
    _context, page = open_form(new_context)
    before = stored(page)
    statuses: list[tuple[int, int]] = []

    def send_twice(route):  # a retry after a lost answer: the same request again
        first = route.fetch()
        second = route.fetch()
        statuses.append((first.status, second.status))
        route.fulfill(response=second)

    page.route(f"**{INTERVIEWS}", send_twice)
    quick_interview(page)
    [interview_id] = outbox_ids(page)
    wait_all_sent(page)
    assert statuses == [(201, 200)]
    page.unroute(f"**{INTERVIEWS}")

    # And two taps at once, from the page itself.
    both = page.evaluate(
        """async (url) => {
        const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
        const body = JSON.stringify({id: crypto.randomUUID(), answers: {consent: "no"}, source: "phone"});
        const send = () => fetch(url, {method: "POST", body, credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": token}});
        const answers = await Promise.all([send(), send()]);
        return {id: JSON.parse(body).id, statuses: answers.map(r => r.status).sort()};
    }""",
        INTERVIEWS,
    )
    assert both["statuses"] == [200, 201]
    assert times_stored(page, interview_id) == 1
    assert times_stored(page, both["id"]) == 1
    assert stored(page) == before + 2


def test_a_refused_interview_is_kept_to_be_corrected(new_context):
    _context, page = open_form(new_context)

    def refuse(route):
        route.fulfill(
            status=422,
            content_type="application/json",
            body='{"detail": "The interview was not saved: 1 answers need correcting.",'
            ' "problems": [{"question": "consent", "message": "Ask again.", "value": "no"}]}',
        )

    page.route(f"**{INTERVIEWS}", refuse)
    quick_interview(page)
    refused = page.locator("#outbox-refused li").first
    refused.wait_for()
    assert "Ask again." in refused.inner_text()
    page.unroute(f"**{INTERVIEWS}")
    refused.locator("button").click()
    assert question(page, "consent").locator(".q-error").inner_text() == "Ask again."
    assert page.locator("#interview input[data-k='consent'][value='no']").is_checked()
    page.locator("#next").click()
    wait_all_sent(page)
    assert page.locator("#outbox-refused li").count() == 0


# Repeated groups ------------------------------------------------------------------------

REPEAT_FORM = [
    {
        "kind": "group",
        "name": "household",
        "label": "Household",
        "relevant": None,
        "repeat": False,
        "items": [
            {
                "kind": "question",
                "name": "size",
                "type": "integer",
                "label": "How many people?",
                "hint": "",
                "required": True,
                "relevant": None,
                "constraint": expression_compile(". >= 1"),
                "constraint_message": "",
            }
        ],
    },
    {
        "kind": "group",
        "name": "members",
        "label": "Members",
        "relevant": expression_compile("${size} > 1"),
        "repeat": True,
        "items": [
            {
                "kind": "question",
                "name": "age",
                "type": "integer",
                "label": "Age",
                "hint": "",
                "required": True,
                "relevant": None,
                "constraint": None,
                "constraint_message": "",
            },
            {
                "kind": "question",
                "name": "works",
                "type": "yes_no",
                "label": "Works?",
                "hint": "",
                "required": True,
                "relevant": expression_compile("${age} >= 16"),
                "constraint": None,
                "constraint_message": "",
                "choices": [["yes", "Yes"], ["no", "No"]],
            },
        ],
    },
]
REPEAT_PAGE = """<!doctype html><html lang="en"><body>
<p id="outbox-count"></p><button id="send-now" type="button">Send now</button>
<ul id="outbox-refused"></ul><p id="collect-status"></p>
<div id="interview-app" data-round="0" data-user="repeat-test" data-api="/nowhere/">
<form id="interview" novalidate></form></div>
<script id="interview-form" type="application/json">%s</script>
<script id="interview-strings" type="application/json">{"next": "Next", "back": "Back",
"save": "Save interview", "add": "Add another", "remove": "Remove", "row": "{group}, row {row}",
"required": "An answer is required.", "screen": "Screen {n} of {total}",
"waiting": "Waiting: {n}"}</script>
<script src="/static/js/interview.js"></script></body></html>"""


def test_repeated_groups_add_and_remove_rows_with_their_own_skips(page):
    import json

    page.goto("/healthz")  # the server's origin, for localStorage
    page.set_content(REPEAT_PAGE % json.dumps(REPEAT_FORM))
    page.locator("#interview input[data-k='size']").fill("3")
    page.locator("#next").click()
    rows = page.locator("#interview fieldset.row")
    assert rows.count() == 1
    assert rows.first.locator(":scope > legend").inner_text() == "Members, row 1"
    page.locator("#interview input[data-k='members/0/age']").fill("10")
    assert page.locator("#interview .q[data-k='members/0/works']").is_hidden()
    page.get_by_role("button", name="Add another").click()
    assert rows.count() == 2
    assert page.evaluate("document.activeElement.dataset.k") == "members/1/age"
    page.keyboard.type("30")
    page.locator("#interview input[data-k='members/1/works'][value='yes']").check()
    assert page.locator("#interview .q[data-k='members/0/works']").is_hidden()
    rows.first.get_by_role("button", name="Remove").click()
    assert rows.count() == 1
    assert page.locator("#interview input[data-k='members/0/age']").input_value() == "30"
    page.locator("#next").click()  # Save interview
    saved = page.evaluate(
        "JSON.parse(localStorage.getItem('aimak:collect:0:repeat-test:outbox'))[0].answers"
    )
    assert saved == {"size": 3, "members": [{"age": 30, "works": "yes"}]}


# Expressions: the phone evaluates them exactly as the server does -------------------------

PARITY = [
    ("${a} = 'yes'", {"a": "yes"}, None),
    ("${a} = 'yes'", {}, None),
    ("${n} < 5", {}, None),
    ("${n} = ''", {}, None),
    ("${n} = 0", {}, None),
    ("${n} = '3'", {"n": 3}, None),
    ("${n} != 3", {"n": 3.0}, None),
    (". >= 1 and . <= 30", {}, 31),
    (". >= 1 and . <= 30", {}, 4),
    ("not(selected(., 'none') and count-selected(.) > 1)", {}, ["none", "smell"]),
    ("selected(${m}, 'b')", {"m": ["a", "b"]}, None),
    ("selected(${m}, ' b ')", {"m": "a b"}, None),
    ("count-selected(${m})", {"m": ["a", "b", "c"]}, None),
    ("${m} = 'a b'", {"m": ["a", "b"]}, None),
    ("string-length(${t})", {"t": "Көңүл"}, None),
    ("${a} + 2 * 3 div 4", {"a": 1}, None),
    ("7 mod 3", {}, None),
    ("-7 mod 3", {}, None),
    ("1 div 0", {}, None),
    ("-1 div 0", {}, None),
    ("0 div 0", {}, None),
    ("${x} + 1", {"x": "abc"}, None),
    ("-${n} < 0", {"n": 2}, None),
    ("if(${n} > 1, 'many', 'one')", {"n": 3}, None),
    ("coalesce(${x}, 'default')", {}, None),
    ("coalesce(${x}, 'default')", {"x": "given"}, None),
    ("concat('a', ${n}, 'b', 2.5)", {"n": 3}, None),
    ("contains(${t}, 'су')", {"t": "Ичүүчү суу"}, None),
    ("starts-with(${t}, 'Ич')", {"t": "Ичүүчү суу"}, None),
    ("ends-with(${t}, 'x')", {"t": "Ичүүчү суу"}, None),
    ("regex(., '^[0-9]{6}$')", {}, "720001"),
    ("regex(., '^[0-9]{6}$')", {}, "72000"),
    ("round(2.5)", {}, None),
    ("round(-2.5)", {}, None),
    ("round(3.14159, 2)", {}, None),
    ("int(-3.7)", {}, None),
    ("number('4,5')", {}, None),
    ("number(' 2 ') > 1", {}, None),
    ("min(3, ${n}, 1)", {"n": 2}, None),
    ("max(${n}, 10)", {}, None),
    ("string(1.0)", {}, None),
    ("${b} = true()", {"b": "yes"}, None),
    ("${b} = false()", {}, None),
    ("not(${x})", {"x": ""}, None),
    ("${a} != 'x' or ${b} > 2", {"a": "x", "b": 3}, None),
    ("${d} < '2026-06-01'", {"d": "2026-05-01"}, None),
    ("today() = today()", {}, None),
    ("string-length(today())", {}, None),
    ("${n} >= 0 and ${n} <= 24", {"n": 24}, None),
]


def same(python, js) -> bool:
    if isinstance(python, bool) or isinstance(js, bool):
        return python is js
    if isinstance(python, int | float) and isinstance(js, int | float):
        return (math.isnan(python) and math.isnan(js)) or python == js
    return python == js


def test_the_phone_evaluates_expressions_as_the_server_does(new_context):
    _context, page = open_form(new_context)
    cases = [
        {"tree": expression_compile(text), "answers": answers, "current": current}
        for text, answers, current in PARITY
    ]
    results = page.evaluate(
        "cases => cases.map(c => window.AimakForm.evaluate(c.tree, c.answers, c.current))", cases
    )
    different = {
        text: (python, js)
        for (text, answers, current), js in zip(PARITY, results, strict=True)
        if not same(python := evaluate(expression_compile(text), answers, current), js)
    }
    assert not different, different


# Weight --------------------------------------------------------------------------------


def test_the_interview_form_weighs_under_100_kb_on_first_load(new_context):
    """HTML + CSS + JS of the form's first load, uncompressed (what the phone must parse),
    for the heaviest language (Kyrgyz labels)."""
    from .test_page_budget import MAX_BYTES, Meter

    context = new_context()
    page = context.new_page()
    sign_in(page, "demo-enumerator", lang="ky")
    meter = Meter(context)
    by_url = meter.visit(f"/ky{COLLECT}")
    assert any("/static/js/interview" in url for url in by_url), by_url
    assert sum(by_url.values()) <= MAX_BYTES, by_url  # over the wire (compressed)
    uncompressed = {
        url: len(meter.page.request.get(url).body())
        for url in by_url
        if "/favicon." not in url and not url.endswith(".svg")
    }
    assert sum(uncompressed.values()) <= MAX_BYTES, uncompressed


# Paper entry ---------------------------------------------------------------------------


def test_staff_type_in_a_paper_questionnaire_with_the_keyboard(new_context, unique):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, "demo-monitor", lang="en")
    page.goto(f"/en/surveys/rounds/{DEMO_ROUND}/collect/paper/")
    number = page.locator("#paper-number")
    assert page.evaluate("document.activeElement.id") == "paper-number"
    number.fill(f"P-{unique}")
    # Enter moves on instead of sending the form half typed.
    number.press("Enter")
    assert page.evaluate("document.activeElement.id") == "paper-enumerator"
    page.locator("#p-consent").fill("2")
    page.locator("#p-consent").press("Enter")
    assert page.url.endswith("/collect/paper/")
    # "No": the rest of the questionnaire is skipped, greyed out and out of the way.
    assert page.locator("#p-sex").is_disabled()
    assert page.evaluate("document.activeElement.id") != "p-sex"
    page.locator("#p-consent").fill("1")
    assert page.locator("#p-sex").is_enabled()
    page.locator("#p-consent").fill("2")
    page.locator("main form button.btn[type=submit]").click()
    page.wait_for_load_state()
    assert f"Questionnaire № P-{unique} is saved." in page.locator(".messages").inner_text()
    assert page.evaluate("document.activeElement.id") == "paper-number"
    assert number.input_value() == ""
