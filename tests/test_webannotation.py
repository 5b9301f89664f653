import pytest

from annotations.models import Claim
from annotations.webannotation import ANNO_CONTEXT, MEDIA_TYPE

from .api_support import QUOTE, client_for, make_claim, make_published
from .factories import RevisionFactory

pytestmark = pytest.mark.django_db


def annotation(source, *selectors, **extra):
    return {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "target": {"source": source, "selector": list(selectors)},
        **extra,
    }


def quote(exact, prefix="", suffix=""):
    return {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}


def position(start, end):
    return {"type": "TextPositionSelector", "start": start, "end": end}


def post_annotation(user, document, content_type=MEDIA_TYPE):
    import json

    return client_for(user).post("/annotations/", json.dumps(document), content_type=content_type)


def test_claim_is_exported_as_web_annotation(editor, reviewer, revision, rating):
    verdict = make_published(editor, reviewer, revision, rating)
    response = client_for(editor).get(f"/annotations/{verdict.claim_id}")
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    document = response.json()
    assert document["@context"] == ANNO_CONTEXT
    assert document["id"].endswith(f"/annotations/{verdict.claim_id}")
    assert document["type"] == "Annotation"
    assert document["motivation"] == "assessing"
    assert document["creator"] == {"type": "Person", "nickname": "ed"}
    assert document["created"].endswith("Z") and document["modified"] >= document["created"]
    target = document["target"]
    assert target["source"] == revision.article.url
    start = revision.text.index(QUOTE)
    assert target["selector"] == [
        {
            "type": "TextQuoteSelector",
            "exact": QUOTE,
            "prefix": "Russia continues to be ",
            "suffix": revision.text[start + len(QUOTE) :][:32],
        },
        {"type": "TextPositionSelector", "start": start, "end": start + len(QUOTE)},
    ]
    purposes = [body.get("purpose") for body in document["body"]]
    assert purposes == ["describing", "classifying", "assessing", "linking"]
    assert document["body"][1]["value"] == rating.label
    assert document["body"][3]["source"] == "https://www.sipri.org/x"


def test_annotation_has_etag_and_honours_if_none_match(editor, revision):
    claim = make_claim(editor, revision)
    api = client_for(editor)
    first = api.get(f"/annotations/{claim.pk}")
    tag = first["ETag"]
    assert tag.startswith('"')
    not_modified = api.get(f"/annotations/{claim.pk}", HTTP_IF_NONE_MATCH=tag)
    assert not_modified.status_code == 304 and not_modified["ETag"] == tag and not not_modified.content
    assert api.get(f"/annotations/{claim.pk}", HTTP_IF_NONE_MATCH=f"W/{tag}").status_code == 304  # weak comparison
    assert api.get(f"/annotations/{claim.pk}", HTTP_IF_MATCH='"other"').status_code == 412
    container = api.get("/annotations/")
    assert api.get("/annotations/", HTTP_IF_NONE_MATCH=container["ETag"]).status_code == 304
    api.patch(f"/api/claims/{claim.pk}/", {"claim_reviewed": "Russia is a top-five exporter"}, format="json")
    changed = api.get(f"/annotations/{claim.pk}", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag


def test_content_negotiation(editor, revision):
    claim = make_claim(editor, revision)
    api = client_for(editor)
    for accept, expected in [
        (MEDIA_TYPE, MEDIA_TYPE),
        ("application/ld+json", MEDIA_TYPE),
        ("application/json", "application/json"),
        ("*/*", MEDIA_TYPE),
    ]:
        response = api.get(f"/annotations/{claim.pk}", HTTP_ACCEPT=accept)
        assert response.status_code == 200
        assert response["Content-Type"] == expected, accept
    refused = api.get(f"/annotations/{claim.pk}", HTTP_ACCEPT="text/html")
    assert refused.status_code == 406
    assert "detail" in refused.json()


def test_container_lists_pages_of_annotations(editor, revision, monkeypatch):
    from annotations.api.container import AnnotationContainer

    monkeypatch.setattr(AnnotationContainer, "page_size", 2)
    for word in ("Russia", "top five", "Putin said", "military", "growing"):
        make_claim(editor, revision, word)
    api = client_for(editor)
    container = api.get("/annotations/")
    assert container.status_code == 200
    assert container["Content-Type"] == MEDIA_TYPE
    assert 'ldp#BasicContainer>; rel="type"' in container["Link"]
    assert container["Accept-Post"] == MEDIA_TYPE
    assert "ETag" in container
    body = container.json()
    assert body["type"] == ["BasicContainer", "AnnotationCollection"]
    assert body["total"] == 5
    assert body["first"]["type"] == "AnnotationPage"
    assert len(body["first"]["items"]) == 2
    assert body["last"].endswith("?page=2")
    page = api.get("/annotations/?page=2").json()
    assert page["startIndex"] == 4
    assert [item["target"]["selector"][0]["exact"] for item in page["items"]] == ["growing"]
    assert page["prev"].endswith("?page=1")
    assert "next" not in page
    assert api.get("/annotations/?page=3").status_code == 404
    assert api.get("/annotations/?page=-1").status_code == 400
    iris = api.get(
        "/annotations/?page=0",
        HTTP_PREFER='return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"',
    )
    assert all(isinstance(item, str) and "/annotations/" in item for item in iris.json()["items"])


def test_post_annotation_creates_claim(editor, revision):
    start = revision.text.index(QUOTE)
    document = annotation(
        revision.article.url,
        quote(QUOTE, prefix="continues to be "),
        position(start, start + len(QUOTE)),
        body={"type": "TextualBody", "purpose": "describing", "value": "Russia is a top-five arms exporter"},
        motivation="assessing",
    )
    response = post_annotation(editor, document)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert response["Location"] == created["id"]
    assert response["ETag"]
    claim = Claim.objects.get()
    assert (claim.start, claim.end, claim.exact, claim.author) == (start, start + len(QUOTE), QUOTE, editor)
    assert claim.claim_reviewed == "Russia is a top-five arms exporter"
    assert created["target"]["selector"][1] == position(start, start + len(QUOTE))


def test_post_with_only_a_quote_or_only_a_position(editor, revision):
    assert post_annotation(editor, annotation(revision.article.url, quote("Putin underscored"))).status_code == 201
    start = revision.text.index("military")
    by_position = post_annotation(
        editor, annotation(revision.article.url, position(start, start + 8)), "application/json"
    )
    assert by_position.status_code == 201
    assert by_position.json()["target"]["selector"][0]["exact"] == "military"


def test_post_to_a_revision_api_url(editor, revision):
    newer = RevisionFactory(article=revision.article, number=2, text="Russia is big. " + revision.text)
    source = f"http://127.0.0.1:8000/api/revisions/{revision.pk}/"
    response = post_annotation(editor, annotation(source, quote(QUOTE)))
    assert response.status_code == 201
    assert Claim.objects.get().revision == revision
    by_article = post_annotation(editor, annotation(revision.article.url, quote("Russia is big")))
    assert by_article.status_code == 201
    assert Claim.objects.get(exact="Russia is big").revision == newer


@pytest.mark.parametrize(
    ("document", "field", "reason"),
    [
        ([1], "non_field_errors", "JSON object"),
        ({"type": "Annotation", "target": "x"}, "@context", "anno.jsonld"),
        ({"@context": ANNO_CONTEXT, "type": "Note", "target": {}}, "type", "Annotation"),
        ({"@context": ANNO_CONTEXT, "type": "Annotation"}, "target", "needs a target"),
        (annotation("https://news.example/none", quote("Russia")), "target.source", "No article"),
        (annotation("ART", {"type": "CssSelector", "value": "p"}), "target.selector", "Unsupported selector"),
        (annotation("ART"), "target.selector", "required"),
        (annotation("ART", position(0, 100000)), "target.selector.TextPositionSelector", "not a non-empty span"),
        (annotation("ART", position(5, 2)), "target.selector.TextPositionSelector", "not a non-empty span"),
        (annotation("ART", position("0", 6)), "target.selector.TextPositionSelector.start", "integer"),
        (
            annotation("ART", quote("Russia"), position(7, 13)),
            "target.selector.TextQuoteSelector.exact",
            "does not match",
        ),
        (annotation("ART", quote("not in the text")), "target.selector.TextQuoteSelector.exact", "not in the article"),
        (annotation("ART", quote("Russia")), "target.selector.TextQuoteSelector", "occurs 3 times"),
        (annotation("ART", quote("Russia", prefix="nope ")), "target.selector.TextQuoteSelector", "prefix/suffix"),
        (annotation("ART", quote(QUOTE), position(23, 69), bodyValue="x", body=[]), "bodyValue", "not both"),
        (
            annotation("ART", quote(QUOTE), body={"type": "TextualBody", "purpose": "assessing", "value": "True"}),
            "body",
            "/api/verdicts/",
        ),
        (annotation("ART", quote(QUOTE), extra=1), "extra", "Unknown field"),
        (annotation("ART", quote(QUOTE), body={"value": "x" * 80}), "body", "at most 75"),
    ],
)
def test_malformed_annotation_gets_400_saying_what_is_wrong(editor, revision, document, field, reason):
    if isinstance(document, dict) and "source" in document.get("target", ""):
        document["target"]["source"] = document["target"]["source"].replace("ART", revision.article.url)
    response = post_annotation(editor, document)
    assert response.status_code == 400, response.json()
    assert field in response.json(), response.json()
    assert reason in str(response.json()[field])
    assert not Claim.objects.exists()


def test_posting_needs_a_role(db, revision):
    from .conftest import make_user

    assert post_annotation(None, annotation(revision.article.url, quote(QUOTE))).status_code == 401
    nobody = make_user("nobody", None)
    assert post_annotation(nobody, annotation(revision.article.url, quote(QUOTE))).status_code == 403
