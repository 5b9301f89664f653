"""The desk dashboard in Chromium, as a reviewer with twelve weeks of history: the charts are drawn (and coloured by
the static CSS, under the strict CSP), a CSV downloads, a bad number of weeks is named, and on a phone nothing is
wider than the screen (the charts scale, the tables scroll in their box). SCREENSHOTS=<dir> keeps the pictures
(dashboard-desktop.png, dashboard-phone.png); without it they go to the test's temporary folder."""

import os

import pytest

from dashboard.period import Period

from . import dashboard_data as data
from .browser import login, open_menu
from .conftest import make_user
from .test_browser import no_csp_violations, page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHARTS = 7

# Each chart's drawn size and what it holds, and the fill the stylesheet gave its first bar.
DRAWN = """() => [...document.querySelectorAll("svg.chart")].map((svg) => {
  const box = svg.getBoundingClientRect();
  const bar = svg.querySelector("rect.bar.s0, path.line.s0");
  return { id: svg.id, width: box.width, height: box.height, right: box.right,
           marks: svg.querySelectorAll("rect.bar, circle.point").length,
           paint: bar ? getComputedStyle(bar)[bar.tagName === "path" ? "stroke" : "fill"] : null };
})"""


@pytest.fixture
def desk(transactional_db):
    editor, reviewer, second = (
        make_user(*who) for who in (("editor", "Editors"), ("reviewer", "Reviewers"), ("reviewer2", "Reviewers"))
    )
    data.history(editor, reviewer, second, Period.last(12).week_starts)
    return reviewer


def shot(tab, tmp_path, name: str):
    folder = os.environ.get("SCREENSHOTS") or str(tmp_path)
    path = os.path.join(folder, f"dashboard-{name}.png")
    tab.screenshot(path=path, full_page=True)
    assert os.path.getsize(path) > 10_000


def test_a_reviewer_sees_the_charts_under_the_csp_on_desktop_and_phone(page, live_server, desk, tmp_path):
    page.set_viewport_size(DESKTOP)
    login(page, live_server, "reviewer", "pw-reviewer")
    page.click("#dashboard-link")
    page.wait_for_selector("svg.chart")
    # The charts are in the HTML before their stylesheet is applied: under load, a bar read at once had no colour.
    page.wait_for_load_state("load")
    assert page.title() == "Dashboard · Factcheck"
    charts = page.evaluate(DRAWN)
    assert len(charts) == CHARTS
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 100, chart
        assert chart["marks"] > 0, chart
        # the series colour comes from dashboard.css (s0), which the CSP let load: not the default black
        assert chart["paint"] == "rgb(31, 95, 168)", chart
    assert page.locator(".legend .swatch.s1").first.evaluate("e => getComputedStyle(e).backgroundColor") == (
        "rgb(217, 130, 43)"
    )
    assert page.inner_text("#dashboard-summary").count("\n") >= 6
    # the numbers of each chart are in a table below it
    assert page.locator("section.figure table.figures").count() == 9
    assert "Daily <b>Bugle</b>" in page.inner_text("#ratings-by-outlet table")
    shot(page, tmp_path, "desktop")

    with page.expect_download() as download:
        page.click("#throughput .figure-head a")
    path = download.value.path()
    with open(path, "rb") as downloaded:
        assert downloaded.read().startswith(b"\xef\xbb\xbfWeek,Opened,Published")

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("svg.chart")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for chart in page.evaluate(DRAWN):
        assert chart["right"] <= PHONE["width"] and chart["width"] > 250, chart  # scaled to the column
    scroller = page.locator("#ratings-over-time .table-scroll")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")  # the wide table scrolls in its box
    assert scroller.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    shot(page, tmp_path, "phone")
    open_menu(page)
    assert page.is_visible("#site-menu #dashboard-link")
    no_csp_violations(page)
    assert not page.console_errors


def test_a_bad_number_of_weeks_is_named_on_the_page(page, live_server, desk):
    login(page, live_server, "reviewer", "pw-reviewer")
    page.goto(f"{live_server.url}/dashboard/")
    page.fill("#id_weeks", "200")
    with page.expect_navigation():
        page.click(".dashboard-range button")
    assert "Weeks: Choose a whole number of weeks from 4 to 104." in page.inner_text("#weeks-errors")
    assert page.locator("svg.chart").count() == 0
    page.fill("#id_weeks", "26")
    with page.expect_navigation():
        page.click(".dashboard-range button")
    assert "the last 26 weeks" in page.inner_text("#dashboard-range")
    assert page.locator("svg.chart").count() == CHARTS
    no_csp_violations(page)
