"""Small pages for slow connections: weight, no third-party requests, no sideways scrolling."""

import pytest

from .conftest import is_local
from .pages import LANGUAGES, PUBLIC_PAGES, SIGNED_IN_PAGES

pytestmark = pytest.mark.browser

MAX_BYTES = 100 * 1024
VIEWPORT_WIDTH = 360


class Meter:
    """Bytes over the wire per page, as Chromium reports them through the DevTools protocol.

    For every response of a page (HTML, CSS, JS, icons): Network.loadingFinished's
    encodedDataLength, i.e. compressed body plus headers (a redirect's bytes come with the
    next request). The browser cache is disabled, so each page is measured as on a first
    visit; the context is fresh (no cookies) for each language.
    """

    def __init__(self, context):
        self.page = context.new_page()
        self.cdp = context.new_cdp_session(self.page)
        self.started: dict[str, str] = {}
        self.finished: dict[str, int] = {}
        self.cdp.on("Network.requestWillBeSent", self._started)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on(
            "Network.loadingFailed", lambda event: self.finished.__setitem__(event["requestId"], 0)
        )
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _started(self, event):
        self.started[event["requestId"]] = event["request"]["url"]
        redirect = event.get("redirectResponse")
        if redirect:
            self.finished[event["requestId"] + ":redirect"] = int(redirect["encodedDataLength"])

    def _finished(self, event):
        self.finished[event["requestId"]] = int(event["encodedDataLength"])

    def visit(self, path: str) -> dict[str, int]:
        self.started.clear()
        self.finished.clear()
        response = self.page.goto(path, wait_until="load")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        # Until every request started has finished or failed, the icon included (Chromium
        # asks for it just after the load event).
        for _ in range(150):
            urls = self.started.values()
            if all(rid in self.finished for rid in self.started) and any(
                "/favicon." in url for url in urls
            ):
                break
            self.page.wait_for_timeout(20)
        unfinished = [url for rid, url in self.started.items() if rid not in self.finished]
        assert not unfinished, f"{path}: requests never finished: {unfinished}"
        by_url: dict[str, int] = {}
        for request_id, size in self.finished.items():
            url = self.started.get(request_id.removesuffix(":redirect"), request_id)
            by_url[url] = by_url.get(url, 0) + size
        return by_url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_public_page_weighs_at_most_100_kb_on_a_first_visit(new_context, lang):
    meter = Meter(new_context())
    too_heavy = {}
    for name, path in PUBLIC_PAGES.items():
        by_url = meter.visit(f"/{lang}{path}")
        # Everything is counted: the page, its stylesheet and the htmx script.
        assert any("/static/css/" in url for url in by_url), f"{name}: no stylesheet counted"
        assert any("/static/django_htmx/" in url for url in by_url), f"{name}: no htmx counted"
        total = sum(by_url.values())
        if total > MAX_BYTES:
            too_heavy[name] = (total, by_url)
    assert not too_heavy, "\n".join(
        f"{name}: {total} bytes: {by_url}" for name, (total, by_url) in too_heavy.items()
    )


def test_static_files_are_served_compressed_and_cacheable(page):
    page.goto("/ky/")
    css = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert css and css.startswith("/static/css/aimak.") and css != "/static/css/aimak.css", (
        "the stylesheet should have a hashed (manifest) name"
    )
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
    # (Every other browser test checks this too, through the new_context fixture.)
    for path in PUBLIC_PAGES.values():
        page.goto(f"/ky{path}", wait_until="load")
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
