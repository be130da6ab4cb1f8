"""Small pages for slow connections: weight, no third-party requests, no sideways scrolling."""

import pytest

from .conftest import is_local
from .pages import LANGUAGES, PUBLIC_PAGES, SIGNED_IN_PAGES

pytestmark = pytest.mark.browser

MAX_BYTES = 100 * 1024
VIEWPORT_WIDTH = 360


def first_visit(new_context, path: str) -> tuple[int, dict[str, int]]:
    """Open path in a fresh context with the cache off; return total and per-URL bytes.

    Bytes are what went over the wire (compressed bodies plus headers), as Chromium reports
    them in Network.loadingFinished (encodedDataLength), for every response of the page.
    """
    context = new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    started: dict[str, str] = {}
    finished: dict[str, int] = {}

    def on_request(event):
        started[event["requestId"]] = event["request"]["url"]
        redirect = event.get("redirectResponse")
        if redirect:  # the redirect's own bytes are reported here, not in loadingFinished
            finished[event["requestId"] + ":redirect"] = int(redirect["encodedDataLength"])

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.on("Network.loadingFinished",
           lambda event: finished.__setitem__(event["requestId"],
                                              int(event["encodedDataLength"])))
    cdp.on("Network.loadingFailed",
           lambda event: finished.__setitem__(event["requestId"], 0))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    for _ in range(100):  # until every request started has finished (or failed)
        if started and all(request_id in finished for request_id in started):
            break
        page.wait_for_timeout(20)
    unfinished = [url for request_id, url in started.items() if request_id not in finished]
    assert not unfinished, f"{path}: requests never finished: {unfinished}"
    by_url: dict[str, int] = {}
    for request_id, size in finished.items():
        url = started.get(request_id.removesuffix(":redirect"), request_id)
        by_url[url] = by_url.get(url, 0) + size
    cdp.detach()
    context.close()
    return sum(by_url.values()), by_url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_public_page_weighs_at_most_100_kb_on_a_first_visit(new_context, lang):
    too_heavy = {}
    for name, path in PUBLIC_PAGES.items():
        total, by_url = first_visit(new_context, f"/{lang}{path}")
        # The page itself, its stylesheet and the htmx script are all counted.
        assert any("/static/css/" in url for url in by_url), f"{name}: no stylesheet counted"
        if total > MAX_BYTES:
            too_heavy[name] = (total, by_url)
    assert not too_heavy, "\n".join(
        f"{name}: {total} bytes: {by_url}" for name, (total, by_url) in too_heavy.items())


def test_static_files_are_served_compressed_and_cacheable(page):
    page.goto("/ky/")
    css = page.locator("link[rel=stylesheet]").get_attribute("href")
    assert css and css.startswith("/static/css/aimak.") and css != "/static/css/aimak.css", (
        "the stylesheet should have a hashed (manifest) name")
    response = page.request.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.ok
    assert response.headers.get("content-encoding") == "gzip"
    assert "max-age" in response.headers.get("cache-control", "")


def test_no_request_leaves_the_server(new_context):
    """Every public and signed-in page, and the live search, load only from 127.0.0.1."""
    context = new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    for lang in LANGUAGES:
        for path in PUBLIC_PAGES.values():
            page.goto(f"/{lang}{path}", wait_until="load")
    page.goto("/ky/territories/")
    page.fill("#q", "kosh")
    page.locator("#results a").first.wait_for()
    page.goto("/ky/accounts/login/")
    page.fill("#id_username", "demo-admin")
    page.fill("#id_password", "aimak-demo-2026")
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_url("**/accounts/profile/")
    for path in SIGNED_IN_PAGES.values():
        page.goto(f"/ky{path}", wait_until="load")
    assert any("/static/" in url for url in requested)
    external = sorted({url for url in requested if not is_local(url)})
    assert external == [], f"requests to other hosts: {external}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_fit_a_360_px_screen_without_sideways_scrolling(page, lang):
    too_wide = {}
    for name, path in {**PUBLIC_PAGES}.items():
        page.goto(f"/{lang}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORT_WIDTH:
            too_wide[name] = width
    assert not too_wide, f"pages wider than {VIEWPORT_WIDTH} px: {too_wide}"


def test_signed_in_pages_fit_a_360_px_screen(admin_page):
    too_wide = {}
    for lang in LANGUAGES:
        for name, path in SIGNED_IN_PAGES.items():
            admin_page.goto(f"/{lang}{path}")
            width = admin_page.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORT_WIDTH:
                too_wide[f"{lang} {name}"] = width
    assert not too_wide, f"pages wider than {VIEWPORT_WIDTH} px: {too_wide}"
