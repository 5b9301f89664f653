"""The web UI through Django's test client: every role against every action, and bad input that must not hurt."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.demo import SEED_FILE
from annotations.models import Article, Claim, Evidence, Source, Verdict
from annotations.selectors import current_revision

from .conftest import make_user
from .factories import ARTICLE_TEXT, RatingFactory, SourceFactory, add_evidence

pytestmark = pytest.mark.django_db
QUOTE = "among the top five arms exporters in the world"


def selectors(text, quote, *, utf16=True):
    start = text.index(quote)
    end = start + len(quote)
    if utf16:  # what a browser reports
        start = len(text[:start].encode("utf-16-le")) // 2
        end = start + len(quote.encode("utf-16-le")) // 2
    return json.dumps(
        [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {"type": "TextQuoteSelector", "exact": quote},
        ]
    )


@pytest.fixture
def world(db):
    revision = services.article_import(
        actor=None,
        title="Russia among top arms exporters",
        text=ARTICLE_TEXT,
        url="https://news.example/a",
        origin="pasted",
    ).revision
    users = {
        "editor": make_user("editor", "Editors"),
        "reviewer": make_user("reviewer", "Reviewers"),
        "admin": make_user("admin", "Admins"),
        "roleless": make_user("roleless", None),
    }
    rating = RatingFactory(label="True", value=5)
    start = revision.text.index(QUOTE)
    author = make_user("author", "Editors")
    claim = services.claim_create(
        actor=author,
        revision=revision,
        start=start,
        end=start + len(QUOTE),
        exact=QUOTE,
        claim_reviewed="Russia is among the top five arms exporters",
    )
    add_evidence(claim, author)
    verdict = services.verdict_save(actor=author, claim=claim, rating=rating, explanation="Third place.")
    verdict = services.verdict_submit(actor=author, verdict=verdict)
    source = SourceFactory()
    # Approval covers the evidence, so evidence is added to a claim whose verdict is not in review.
    draft = services.claim_create(actor=author, revision=revision, start=0, end=6, exact=revision.text[:6])
    return {
        "users": users,
        "revision": revision,
        "claim": claim,
        "draft_claim": draft,
        "verdict": verdict,
        "rating": rating,
        "source": source,
    }


def client_for(client, world, who):
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client


# (action, method, url builder, data builder, allowed roles). "allowed" means the service ran (2xx or 3xx).
ACTIONS = [
    ("article list", "get", lambda w: "/articles/", None, {"editor", "reviewer", "admin"}),
    ("reader", "get", lambda w: f"/articles/{w['revision'].article_id}/", None, {"editor", "reviewer", "admin"}),
    ("import form", "get", lambda w: "/articles/import/", None, {"editor", "reviewer", "admin"}),
    (
        "import",
        "post",
        lambda w: "/articles/import/",
        lambda w: {"title": "T", "text": "Body."},
        {"editor", "reviewer", "admin"},
    ),
    (
        "create claim",
        "post",
        lambda w: f"/articles/{w['revision'].article_id}/claims/",
        lambda w: {"revision": w["revision"].pk, "selectors": selectors(w["revision"].text, "Vladimir Putin")},
        {"editor", "reviewer", "admin"},
    ),
    (
        "add evidence",
        "post",
        lambda w: f"/claims/{w['draft_claim'].pk}/evidence/",
        lambda w: {"url": "https://www.sipri.org/a", "stance": "supports"},
        {"editor", "reviewer", "admin"},
    ),
    ("review queue", "get", lambda w: "/review/", None, {"reviewer", "admin"}),
    (
        "approve",
        "post",
        lambda w: f"/verdicts/{w['verdict'].pk}/approve/",
        lambda w: {"confirm": "on", "version": w["verdict"].version},
        {"reviewer", "admin"},
    ),
    (
        "request changes",
        "post",
        lambda w: f"/verdicts/{w['verdict'].pk}/request-changes/",
        lambda w: {"comment": "More context.", "version": w["verdict"].version},
        {"reviewer", "admin"},
    ),
    ("source list", "get", lambda w: "/sources/", None, {"editor", "reviewer", "admin"}),
    (
        "add source",
        "post",
        lambda w: "/sources/new/",
        lambda w: {"name": "New", "domain": "new.example", "kind": "ngo", "reliability": "mixed"},
        {"admin"},
    ),
    (
        "block source",
        "post",
        lambda w: f"/sources/{w['source'].pk}/",
        lambda w: {"name": "S", "domain": w["source"].domain, "kind": "other", "reliability": "low", "blocked": "on"},
        {"admin"},
    ),
    (
        "public page index",
        "get",
        lambda w: "/fact-checks/",
        None,
        {"anonymous", "roleless", "editor", "reviewer", "admin"},
    ),
]
ROLES = ["anonymous", "roleless", "editor", "reviewer", "admin"]


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_role_action_matrix(client, world, who, action):
    name, method, url, data, allowed = action
    client = client_for(client, world, who)
    response = getattr(client, method)(url(world), data(world) if data else None)
    if who in allowed:
        assert response.status_code in {200, 302}, (name, who, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response.url
    elif who == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == 403, (name, who, response.status_code)
        assert "Not allowed" in response.content.decode()  # the readable 403 page


def test_publish_is_for_reviewers_only(client, world):
    reviewer = world["users"]["reviewer"]
    services.verdict_approve(actor=reviewer, verdict=world["verdict"])
    url = f"/verdicts/{world['verdict'].pk}/publish/"
    version = {"version": Verdict.objects.get().version}
    client.force_login(world["users"]["editor"])
    assert client.post(url, version).status_code == 403
    client.force_login(reviewer)
    unconfirmed = client.post(url, version)
    assert unconfirmed.status_code == 400
    assert "Read the checklist and confirm to publish." in unconfirmed.content.decode()
    assert Verdict.objects.get().status == "approved"
    assert client.post(url, {"confirm": "on", **version}).status_code == 302
    assert Verdict.objects.get().status == "published"


def test_claim_create_converts_utf16_offsets(client, world):
    editor = world["users"]["editor"]
    text = "Emoji 🎉 before: the claim 🚀 itself, then more."
    revision = services.article_import(actor=editor, title="E", text=text, origin="pasted").revision
    client.force_login(editor)
    response = client.post(
        f"/articles/{revision.article_id}/claims/",
        {"revision": revision.pk, "selectors": selectors(text, "the claim 🚀 itself")},
    )
    assert response.status_code == 302
    claim = Claim.objects.get(article=revision.article)
    assert claim.exact == "the claim 🚀 itself" and claim.start == text.index("the claim")


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        "{}",
        "[]",
        json.dumps([{"type": "TextPositionSelector", "start": 0, "end": 6}]),
        json.dumps([{"type": "TextPositionSelector", "start": "a", "end": 6}, {"type": "TextQuoteSelector"}]),
        json.dumps(
            [{"type": "TextPositionSelector", "start": 6, "end": 2}, {"type": "TextQuoteSelector", "exact": "x"}]
        ),
        json.dumps(
            [
                {"type": "TextPositionSelector", "start": 0, "end": 10**9},
                {"type": "TextQuoteSelector", "exact": "Russia"},
            ]
        ),
        json.dumps(
            [{"type": "TextPositionSelector", "start": 0, "end": 6}, {"type": "TextQuoteSelector", "exact": "Rossia"}]
        ),
        json.dumps(
            [
                {"type": "TextPositionSelector", "start": 0, "end": 60000},
                {"type": "TextQuoteSelector", "exact": "Russia"},
            ]
        ),
    ],
)
def test_bad_selections_are_refused_with_a_message(client, world, payload):
    client.force_login(world["users"]["editor"])
    before = Claim.objects.count()
    response = client.post(
        f"/articles/{world['revision'].article_id}/claims/", {"revision": world["revision"].pk, "selectors": payload}
    )
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert Claim.objects.count() == before


def test_selection_from_another_article_is_refused(client, world):
    other = services.article_import(actor=None, title="Other", text="Other text here.", origin="pasted")
    client.force_login(world["users"]["editor"])
    response = client.post(
        f"/articles/{world['revision'].article_id}/claims/",
        {"revision": other.revision.pk, "selectors": selectors("Other text here.", "text")},
    )
    assert response.status_code == 400 and "another article" in response.content.decode()


def test_verdict_conflict_keeps_the_users_text(client, world):
    editor = world["users"]["editor"]
    claim = services.claim_create(actor=editor, revision=world["revision"], start=0, end=6, exact="Russia")
    verdict = services.verdict_save(actor=editor, claim=claim, rating=world["rating"], explanation="First.")
    services.verdict_save(
        actor=world["users"]["reviewer"],
        claim=claim,
        rating=world["rating"],
        explanation="Someone else's edit.",
        version=verdict.version,
    )
    client.force_login(editor)
    response = client.post(
        f"/claims/{claim.pk}/verdict/",
        {"rating": world["rating"].pk, "explanation": "My careful rewrite.", "version": verdict.version},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed by someone else" in body and "My careful rewrite." in body and "Someone else&#x27;s edit." in body
    assert Verdict.objects.get(claim=claim).explanation == "Someone else's edit."
    # Saving again after seeing the conflict carries the new version and succeeds.
    response = client.post(
        f"/claims/{claim.pk}/verdict/",
        {"rating": world["rating"].pk, "explanation": "My careful rewrite.", "version": verdict.version + 1},
    )
    assert response.status_code == 302
    assert Verdict.objects.get(claim=claim).explanation == "My careful rewrite."


def test_request_changes_without_comment_is_refused(client, world):
    client.force_login(world["users"]["reviewer"])
    response = client.post(
        f"/verdicts/{world['verdict'].pk}/request-changes/", {"comment": "  ", "version": world["verdict"].version}
    )
    assert response.status_code == 400 and "Say what needs to change" in response.content.decode()
    assert Verdict.objects.get().status == "in_review"


def test_unknown_transition_is_a_404_not_a_crash(client, world):
    client.force_login(world["users"]["reviewer"])
    assert client.post(f"/verdicts/{world['verdict'].pk}/delete/").status_code == 404
    assert client.post("/verdicts/999999/approve/").status_code == 404


def test_author_sees_requested_changes_and_resubmits(client, world):
    services.verdict_request_changes(
        actor=world["users"]["reviewer"], verdict=world["verdict"], comment="Mention the 64% fall."
    )
    author = get_user_model().objects.get(username="author")
    client.force_login(author)
    assert "Mention the 64% fall." in client.get("/my-verdicts/").content.decode()
    page = client.get(f"/articles/{world['revision'].article_id}/?claim={world['claim'].pk}").content.decode()
    assert "Changes requested:" in page and "Resubmit for review" in page
    verdict = Verdict.objects.get()
    assert client.post(f"/verdicts/{verdict.pk}/submit/", {"version": verdict.version}).status_code == 302
    assert Verdict.objects.get().status == "in_review"


def test_review_queue_is_oldest_first_with_counts(client, world):
    reviewer = world["users"]["reviewer"]
    author = get_user_model().objects.get(username="author")
    newer = services.claim_create(
        actor=author, revision=world["revision"], start=0, end=6, exact="Russia", claim_reviewed="Russia"
    )
    verdict = services.verdict_save(actor=author, claim=newer, rating=world["rating"], explanation="Newer.")
    services.verdict_submit(actor=author, verdict=verdict)
    client.force_login(reviewer)
    body = client.get("/review/").content.decode()
    assert body.index("Russia is among the top five arms exporters") < body.index(">Russia<")
    assert 'Waiting for review <span class="count">2</span>' in body
    assert client.get("/review/?state=approved").status_code == 200
    assert client.get("/review/?state=bogus&rating=x").status_code == 200


def test_article_search_and_filters(client, world):
    editor = world["users"]["editor"]
    services.article_import(actor=editor, title="Weather report", text="Rain in Oslo tomorrow.", origin="pasted")
    client.force_login(editor)
    body = client.get("/articles/", {"q": "arms exporters"}).content.decode()
    assert world["revision"].article.title in body and "Weather report" not in body
    body = client.get("/articles/", {"q": "oslo"}).content.decode()
    assert "Weather report" in body and world["revision"].article.title not in body
    body = client.get("/articles/", {"status": "in_review"}).content.decode()
    assert world["revision"].article.title in body and "Weather report" not in body
    body = client.get("/articles/", {"rating": world["rating"].pk}).content.decode()
    assert world["revision"].article.title in body
    bad = client.get("/articles/", {"outlet": "nope", "page": "999"})
    assert bad.status_code == 400  # a filter that cannot apply is named, not silently dropped
    assert "outlet" in bad.context["form"].errors


def test_import_form_pasted_and_file(client, world):
    client.force_login(world["users"]["editor"])
    response = client.post(
        "/articles/import/", {"title": "Pasted", "text": "Line one.\r\nLine two.", "url": "https://news.example/p"}
    )
    assert response.status_code == 302
    assert current_revision(Article.objects.get(title="Pasted")).text == "Line one.\nLine two."
    upload = SimpleUploadedFile("seed.txt", SEED_FILE.read_bytes(), content_type="text/plain")
    response = client.post("/articles/import/", {"file": upload})
    assert response.status_code == 302
    assert Article.objects.filter(url__startswith="https://sputnikglobe.com/").exists()


def test_import_form_errors_are_shown_next_to_fields(client, world):
    client.force_login(world["users"]["editor"])
    before = Article.objects.count()
    response = client.post("/articles/import/", {"title": "", "text": ""})
    assert response.status_code == 400
    assert response.content.decode().count('class="errorlist') >= 2
    bad = SimpleUploadedFile("bad.txt", b"\x89PNG\x00\x00binary", content_type="image/png")
    response = client.post("/articles/import/", {"file": bad})
    assert response.status_code == 400 and "binary" in response.content.decode()
    response = client.post("/articles/import/", {"title": "T", "text": "x", "url": "javascript:alert(1)"})
    assert response.status_code == 400
    assert Article.objects.count() == before


def test_blocked_source_refuses_evidence_with_a_message(client, world):
    Source.objects.create(name="Bad", domain="bad.example", blocked=True)
    client.force_login(world["users"]["editor"])
    response = client.post(
        f"/claims/{world['claim'].pk}/evidence/", {"url": "https://news.bad.example/x", "stance": "refutes"}
    )
    assert response.status_code == 400 and "blocked in the source registry" in response.content.decode()
    assert not Evidence.objects.filter(url__contains="bad.example").exists()


def test_admin_edits_registry_with_field_errors(client, world):
    client.force_login(world["users"]["admin"])
    response = client.post(
        "/sources/new/", {"name": "Dup", "domain": world["source"].domain, "kind": "ngo", "reliability": "high"}
    )
    assert response.status_code == 400 and "already in the registry" in response.content.decode()
    response = client.post(
        "/sources/new/", {"name": "X", "domain": "not a domain", "kind": "ngo", "reliability": "high"}
    )
    assert response.status_code == 400 and "is not a domain name" in response.content.decode()


def test_reader_query_count_does_not_grow_with_claims(client, world):
    editor = world["users"]["editor"]
    text = world["revision"].text
    client.force_login(editor)
    url = f"/articles/{world['revision'].article_id}/"

    def queries_after_adding(words) -> int:
        for word in words:
            start = text.index(word)
            claim = services.claim_create(
                actor=editor, revision=world["revision"], start=start, end=start + len(word), exact=word
            )
            services.evidence_add(actor=editor, claim=claim, url="https://www.sipri.org/a", stance="context")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)  # warm up (content types are cached per process)
    one = queries_after_adding(["Russia"])
    six = queries_after_adding(["Putin", "Friday", "orders", "military", "interest"])
    assert one == six


def test_login_page_and_csrf(client, world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["users"]["editor"])
    response = strict.post("/articles/import/", {"title": "T", "text": "x"})
    assert response.status_code == 403
    assert client.get("/accounts/login/").status_code == 200


def test_import_by_url_alone_starts_a_capture(client, world, django_capture_on_commit_callbacks):
    from annotations.models import Capture

    client.force_login(world["users"]["editor"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/articles/import/", {"url": "https://www.sipri.org/fact-sheet"})
    capture = Capture.objects.get(url="https://www.sipri.org/fact-sheet")
    assert response.status_code == 302 and response.url == f"/captures/{capture.pk}/"
    assert capture.status == "pending" and len(callbacks) == 1  # the fetch is enqueued after commit
    response = client.post("/articles/import/", {"url": "http://127.0.0.1:8080/admin"})
    assert response.status_code == 400 and not Capture.objects.filter(url__contains="127.0.0.1").exists()
