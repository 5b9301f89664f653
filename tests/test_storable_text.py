"""Text PostgreSQL cannot store (NUL, unpaired surrogates) is refused with a 400 naming the field, wherever it comes
in; CSV cells that a spreadsheet would run as a formula are neutralised, also after leading whitespace."""

import csv
import io
import json

import pytest

from annotations.api.export import _cell
from annotations.models import Claim, Source
from annotations.webannotation import ANNO_CONTEXT, MEDIA_TYPE

from .api_support import QUOTE, client_for, make_claim

pytestmark = pytest.mark.django_db


def annotation(source, **extra):
    return {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "target": {"source": source, "selector": [{"type": "TextQuoteSelector", "exact": QUOTE}]},
        **extra,
    }


def post_raw(user, path, body: str, content_type="application/json"):
    return client_for(user).post(path, body.encode(), content_type=content_type)


# --- The web UI ------------------------------------------------------------------------------------------------------


def test_nul_in_the_source_search_is_400_naming_q(client, editor):
    client.force_login(editor)
    response = client.get("/sources/?q=sipri%00")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<strong>q</strong>" in page and "NUL character" in page


def test_nul_in_a_form_field_name_is_400(client, editor):
    client.force_login(editor)
    response = client.post("/sources/new/", {"name\x00": "x"})
    assert response.status_code == 400
    assert "name\\u0000" in response.content.decode()


def test_unpaired_surrogate_in_the_selectors_json_is_refused(client, editor, revision):
    client.force_login(editor)
    start = revision.text.index(QUOTE)
    # What a script (not the page) can post: the JSON escape decodes to a lone surrogate.
    selectors = (
        f'[{{"type": "TextPositionSelector", "start": {start}, "end": {start + len(QUOTE)}}}, '
        '{"type": "TextQuoteSelector", "exact": "among\\ud800"}]'
    )
    response = client.post(
        f"/articles/{revision.article_id}/claims/", {"revision": revision.pk, "selectors": selectors}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "[1].exact: This value contains an unpaired UTF-16 surrogate (U+D800)" in page
    assert not Claim.objects.exists()


# --- The W3C container -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"bodyValue": "Russia\u0000 exports"}, "bodyValue"),
        ({"body": [{"type": "TextualBody", "purpose": "describing", "value": "a\u0000"}]}, "body[0].value"),
    ],
)
def test_nul_in_an_annotation_body_is_400_naming_it(editor, revision, extra, field):
    response = post_raw(editor, "/annotations/", json.dumps(annotation(revision.article.url, **extra)), MEDIA_TYPE)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert "NUL character" in response.json()[field][0]
    assert not Claim.objects.exists()


def test_nul_in_an_annotation_target_source_is_400(editor, revision):
    response = post_raw(editor, "/annotations/", json.dumps(annotation(revision.article.url + "\u0000")), MEDIA_TYPE)
    assert response.status_code == 400
    assert list(response.json()) == ["target.source"]


def test_unpaired_surrogate_in_an_annotation_is_400(editor, revision):
    body = json.dumps(annotation(revision.article.url, bodyValue="x")).replace('"x"', '"\\udc00"')
    response = post_raw(editor, "/annotations/", body, MEDIA_TYPE)
    assert response.status_code == 400
    assert "U+DC00" in response.json()["bodyValue"][0]


# --- The API ---------------------------------------------------------------------------------------------------------


def test_api_json_fields_and_keys_are_checked(editor, revision):
    claim = make_claim(editor, revision)
    api = client_for(editor)
    claimant = api.patch(f"/api/claims/{claim.pk}/", {"claimant": "V\u0000"}, format="json")
    assert claimant.status_code == 400 and list(claimant.json()) == ["claimant"]
    source = post_raw(editor, "/api/sources/", '{"name": "S", "domain": "a.example", "notes": "\\ud83d"}')
    assert source.status_code == 400 and "surrogate" in source.json()["notes"][0]
    key = post_raw(editor, "/api/sources/", '{"name": "S", "domain": "a.example", "\\ud800": 1}')
    assert key.status_code == 400 and "Its name" in key.json()["\\ud800"][0]
    assert not Source.objects.filter(name="S").exists()
    claim.refresh_from_db()
    assert claim.claimant == ""


def test_api_query_parameters_are_checked(editor):
    response = client_for(editor).get("/api/claims/?claimant=%00")
    assert response.status_code == 400
    assert list(response.json()) == ["claimant"]


def test_a_deeply_nested_document_still_gets_the_parsers_message(editor):
    deep = client_for(editor).post(
        "/api/sources/", ("[" * 100_000 + "]" * 100_000).encode(), content_type="application/json"
    )
    assert deep.status_code == 400


def test_ordinary_text_passes(admin_user):
    response = client_for(admin_user).post(
        "/api/sources/", {"name": "Ünïcode 🚀", "domain": "u.example", "notes": "tab\there"}, format="json"
    )
    assert response.status_code == 201, response.json()


# --- CSV -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", ' =HYPERLINK("x")', "\n=1", "  \n @x", "\u00a0-2", "\tplain"],
)
def test_csv_cells_that_could_run_as_formulas_are_neutralised(value):
    assert _cell(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", " plain", "a=b", "", "\nline"])
def test_csv_cells_that_cannot_run_are_kept(value):
    assert _cell(value) == value


def test_export_neutralises_a_claimant_after_a_newline(editor, revision):
    claim = make_claim(editor, revision)
    # The services strip what users type; stored text may still start with a line break (an imported title...).
    Claim.objects.filter(pk=claim.pk).update(claimant="\n=cmd|' /C calc'!A0")
    response = client_for(editor).get("/api/exports/claims.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["claimant"] == "'\n=cmd|' /C calc'!A0"
