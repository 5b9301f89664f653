"""A claim repeating another of the same article (the same statement elsewhere): warned about, never refused."""

import json

import pytest

from annotations import services
from annotations.models import Claim
from annotations.repeats import nearly_same, repeats
from tests.factories import RevisionFactory, make_claim
from tests.test_views import selectors

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
SAID = "Russia remains one of the five biggest arms exporters on the planet"
TEXT = f"{SAID}, the minister said on Monday.\n\nLater he repeated it: {SAID}. Nobody asked why, on Monday."
LATER = TEXT.index(SAID, TEXT.index(SAID) + 1)  # the sentence again (ASCII: UTF-16 offsets are the same)
SECOND = json.dumps(
    [
        {"type": "TextPositionSelector", "start": LATER, "end": LATER + len(SAID)},
        {"type": "TextQuoteSelector", "exact": SAID},
    ]
)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (SAID, SAID.upper() + "!", True),  # case and punctuation do not count
        (SAID, SAID.replace("biggest", "largest"), True),  # one word of eleven changed
        ("Russia exports arms", "russia, exports: ARMS", True),
        ("Russia exports arms", "Russia exports grain", False),  # three words: all of them or nothing
        ("on Monday", "on Monday", False),  # too short to be a statement
        (SAID, "Bananas are radioactive, in a small way", False),
        ("", SAID, False),
    ],
)
def test_nearly_the_same_is_a_comparison_of_words(a, b, same):
    assert nearly_same(a, b) is same


@pytest.fixture
def revision(db):
    return RevisionFactory(text=TEXT)


@pytest.fixture
def first(editor, revision):
    return make_claim(revision, editor, SAID, claim_reviewed="")


def test_the_same_sentence_later_in_the_article_is_warned_about_then_made_once_seen(client, editor, first, revision):
    client.force_login(editor)
    post = {"revision": revision.pk, "selectors": SECOND}
    warned = client.post(f"/articles/{revision.article_id}/claims/", post, **FETCH)
    assert warned.status_code == 409
    data = warned.json()
    assert data["message"] == "Not created yet: it repeats a claim already made in this article, see above."
    assert f'name="repeats" value="{first.pk}"' in data["panel"] and f'href="?claim={first.pk}#panel"' in data["panel"]
    assert "This repeats a claim already made in this article:" in data["panel"]
    assert "Create claim anyway" in data["panel"] and Claim.objects.count() == 1
    made = client.post(f"/articles/{revision.article_id}/claims/", {**post, "repeats": [str(first.pk)]}, **FETCH)
    assert made.status_code == 200 and Claim.objects.count() == 2
    assert 'id="claim-repeats"' in made.json()["panel"]  # the new claim's panel names the first one


def test_a_statement_repeating_another_claim_is_warned_about_too(client, editor, first, revision):
    client.force_login(editor)
    post = {
        "revision": revision.pk,
        "selectors": selectors(revision.text, "Nobody asked why"),
        "claim_reviewed": "Russia remains one of the five largest arms exporters on the planet",
    }
    warned = client.post(f"/articles/{revision.article_id}/claims/", post)
    assert warned.status_code == 409 and f'name="repeats" value="{first.pk}"' in warned.content.decode()
    assert Claim.objects.count() == 1


def test_overlapping_distant_and_withdrawn_claims_are_no_repeat(client, editor, first, revision):
    client.force_login(editor)
    post = {"revision": revision.pk, "selectors": selectors(revision.text, "Nobody asked why")}
    assert client.post(f"/articles/{revision.article_id}/claims/", post).status_code == 302
    services.claim_withdraw(actor=editor, claim=first, reason="Said twice.")
    post = {"revision": revision.pk, "selectors": SECOND}
    assert client.post(f"/articles/{revision.article_id}/claims/", post).status_code == 302
    # The claim on the first sentence overlaps it rather than repeating it: named once, as an overlap.
    again = client.post(f"/articles/{revision.article_id}/claims/", post).content.decode()
    assert 'name="overlaps"' in again and 'name="repeats"' not in again


def test_the_panel_of_a_claim_names_the_others_that_say_the_same(client, editor, first, revision):
    second = services.claim_create(
        actor=editor, revision=revision, start=LATER, end=LATER + len(SAID), exact=SAID, claim_reviewed=""
    )
    other = make_claim(revision, editor, "Nobody asked why", claim_reviewed="")
    assert repeats([SAID], [first, second, other], exclude=[first.pk]) == [second]
    client.force_login(editor)
    panel = client.get(f"/articles/{revision.article_id}/?claim={first.pk}").content.decode()
    assert 'id="claim-repeats"' in panel and f'href="?claim={second.pk}#panel"' in panel
    assert (
        'id="claim-repeats"' not in client.get(f"/articles/{revision.article_id}/?claim={other.pk}").content.decode()
    )
