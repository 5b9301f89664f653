"""The dashboard's page, CSV exports and API: who may see them, bad input, the CSV's cells, the SVG's markup."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from annotations.models import Source
from dashboard.period import Period

from . import dashboard_data as data
from .api_support import client_for

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Co'
FORMULA = '=HYPERLINK("https://evil.example","click")'


@pytest.fixture
def desk(editor, reviewer, reviewer2):
    """Twelve weeks of history, plus fact-checks of outlets with a hostile name and a formula for a name."""
    period = Period.last(12)
    data.history(editor, reviewer, reviewer2, period.week_starts)
    ratings = data.scale()
    for name, domain in ((HOSTILE, "hostile.example"), (FORMULA, "formula.example")):
        revision = data.article(Source.objects.create(name=name, domain=domain))
        week = period.week_starts[-2]
        data.published(revision, editor, reviewer, ratings["False"], data.at(week, 1), data.at(week, 20))
    return period


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(markup) for markup in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


# --- Who sees it ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/export.csv?section=throughput"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/export.csv?section=throughput"])
def test_editors_are_refused_with_the_reason(client, editor, url):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 403
    assert "Only reviewers and admins see the desk dashboard." in response.content.decode()


def test_reviewers_and_admins_see_it_and_their_nav_links_it(client, reviewer, admin_user, editor):
    for user in (reviewer, admin_user):
        client.force_login(user)
        response = client.get("/dashboard/")
        assert response.status_code == 200
        assert 'id="dashboard-link"' in client.get("/claims/").content.decode()
    client.force_login(editor)
    assert 'id="dashboard-link"' not in client.get("/claims/").content.decode()


def test_api_refuses_anonymous_401_and_editors_403(editor):
    assert client_for().get("/api/dashboard/").status_code == 401
    response = client_for(editor).get("/api/dashboard/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only reviewers and admins see the desk dashboard."}


# --- Bad input -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("weeks", ["3", "105", "twelve", "12.5", "-4"])
def test_a_bad_number_of_weeks_is_a_400_naming_it(client, reviewer, weeks):
    client.force_login(reviewer)
    page = client.get("/dashboard/", {"weeks": weeks})
    assert page.status_code == 400
    assert "Weeks: Choose a whole number of weeks from 4 to 104." in page.content.decode()
    assert "<svg" not in page.content.decode()
    export = client.get("/dashboard/export.csv", {"weeks": weeks, "section": "throughput"})
    assert export.status_code == 400 and export.json() == {"weeks": ["Choose a whole number of weeks from 4 to 104."]}
    api = client_for(reviewer).get("/api/dashboard/", {"weeks": weeks})
    assert api.status_code == 400 and api.json() == {"weeks": ["Choose a whole number of weeks from 4 to 104."]}


def test_an_unknown_or_missing_section_is_a_400_naming_the_choices(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/dashboard/export.csv", {"section": "salaries"})
    assert response.status_code == 400
    assert response.json()["section"][0].startswith("There is no section salaries; choose one of: throughput,")
    response = client.get("/dashboard/export.csv")
    assert response.status_code == 400 and response.json()["section"][0].startswith("Name the section to export")


# --- The page ------------------------------------------------------------------------------------------------------


def test_the_page_draws_a_well_formed_svg_per_chart_with_its_table(client, reviewer, desk):
    client.force_login(reviewer)
    response = client.get("/dashboard/")
    html = response.content.decode()
    charts = svgs(html)
    names = [chart.get("id") for chart in charts]
    assert names == [
        "chart-throughput",
        "chart-time-to-publication",
        "chart-ratings-by-outlet",
        "chart-ratings-over-time",
        "chart-agreement-by-month",
        "chart-capture-failures",
        "chart-link-rot",
    ]
    for chart in charts:
        assert chart.get("role") == "img" and chart.get("viewBox").startswith("0 0 ")
        title, desc = chart.find(f"{SVG}title"), chart.find(f"{SVG}desc")
        assert title.text and desc.text
        assert chart.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert chart.find(f".//{SVG}rect") is not None or chart.find(f".//{SVG}path") is not None
        assert not [element for element in chart.iter() if "style" in element.attrib]
    # every chart is followed by its numbers in a table, and every section has its CSV
    assert html.count('<table class="figures"') == 9 and html.count("export.csv?section=") == 9
    assert "style=" not in html and "<style" not in html
    assert "<script>" not in html.split("<main>")[1].split("</main>")[0]


def test_hostile_outlet_names_are_escaped_in_the_charts_and_tables(client, reviewer, desk):
    client.force_login(reviewer)
    html = client.get("/dashboard/").content.decode()
    assert HOSTILE not in html and "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    outlets = next(chart for chart in svgs(html) if chart.get("id") == "chart-ratings-by-outlet")
    # parsed back, the tooltips say the names as they are (the labels cut them short)
    tooltips = [element.text for element in outlets.iter(f"{SVG}title")]
    assert HOSTILE in tooltips and 'Daily <b>Bugle</b> & "Co"' in tooltips
    assert not list(outlets.iter(f"{SVG}script")) and not list(outlets.iter(f"{SVG}b"))


def test_the_page_costs_a_fixed_number_of_queries(client, reviewer, editor, reviewer2):
    client.force_login(reviewer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/").status_code == 200
        return len(captured)

    empty = queries()
    data.history(editor, reviewer, reviewer2, Period.last(12).week_starts)
    # session, user, permissions and role groups, the metrics' eleven, the nav's counts
    assert queries() == empty == 15


# --- CSV -----------------------------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_each_section_downloads_as_csv(client, reviewer, desk):
    client.force_login(reviewer)
    from dashboard.figures import SECTIONS

    for section in SECTIONS:
        response = client.get("/dashboard/export.csv", {"section": section, "weeks": 12})
        assert response.status_code == 200, section
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith(f'attachment; filename="dashboard-{section}-12-weeks-to-')
        assert len(read_csv(response)) >= 2, section


def test_the_throughput_csv_has_the_pages_numbers(client, reviewer, desk):
    client.force_login(reviewer)
    rows = read_csv(client.get("/dashboard/export.csv", {"section": "throughput", "weeks": 12}))
    assert rows[0] == ["Week", "Opened", "Published", "Median hours to publication", "90th percentile hours"]
    assert [row[0] for row in rows[1:13]] == [week.isoformat() for week in desk.week_starts]
    assert rows[-1][0] == "All 12 weeks"
    assert sum(int(row[1]) for row in rows[1:13]) == int(rows[-1][1])
    page = client_for(reviewer).get("/api/dashboard/", {"weeks": 12}).json()
    assert int(rows[-1][2]) == page["throughput"]["published"]
    assert float(rows[-1][3]) == round(page["throughput"]["median_hours"], 1)


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(client, reviewer, desk):
    client.force_login(reviewer)
    rows = read_csv(client.get("/dashboard/export.csv", {"section": "ratings-by-outlet"}))
    outlets = [row[0] for row in rows[1:]]
    assert "'" + FORMULA in outlets and FORMULA not in outlets
    assert HOSTILE in outlets  # not a formula: as it is (a CSV file is not HTML)


def test_the_overdue_csv_links_the_work(client, reviewer, desk):
    client.force_login(reviewer)
    rows = read_csv(client.get("/dashboard/export.csv", {"section": "overdue"}))
    assert rows[0] == ["Due", "Days overdue", "Work", "Work URL", "Kind", "Checker", "Reviewer"]
    assert [row[1] for row in rows[1:]] == ["9", "3", "1"]
    assert rows[1][2] == "Late by 9 days" and rows[1][3].startswith("http") and "?claim=" in rows[1][3]


# --- API -----------------------------------------------------------------------------------------------------------


def test_the_api_gives_the_same_numbers(reviewer, desk):
    response = client_for(reviewer).get("/api/dashboard/", {"weeks": 12})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"period", "throughput", "ratings", "agreement", "captures", "overdue"}
    assert body["period"]["weeks"] == 12 and body["period"]["first_week"] == desk.first_week.isoformat()
    assert len(body["throughput"]["weeks"]) == 12
    assert body["throughput"]["opened"] == sum(week["opened"] for week in body["throughput"]["weeks"])
    outlets = {row["outlet"]: row for row in body["ratings"]["by_outlet"]}
    assert outlets[HOSTILE]["counts"]["False"] == 1 and outlets[HOSTILE]["total"] == 1
    assert body["agreement"]["level"] == "ordinal"
    assert 0 < body["agreement"]["overall"]["alpha"] <= 1 and body["agreement"]["left_out"] > 0
    assert body["overdue"]["count"] == 3 and body["overdue"]["items"][0]["days_overdue"] == 9
    assert body["captures"]["latest"]["gone"] > 0


def test_the_schema_documents_the_dashboard():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/dashboard/"]["get"]
    assert operation["operationId"] == "dashboard_retrieve"
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    assert [parameter["name"] for parameter in operation["parameters"]] == ["weeks"]
