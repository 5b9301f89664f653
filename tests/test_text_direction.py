"""`lang` and `dir` from the article's language wherever a claim or an article title is shown; the page itself stays
in the site's language. The browser side (computed direction) is in test_browser_phone.py."""

import re

import pytest

from annotations import services

from .factories import add_evidence, make_claim

ARABIC = "قال الرئيس إن روسيا لا تزال من بين أكبر خمسة مصدرين للأسلحة في العالم، وإن الطلب يتزايد."
QUOTE = "أكبر خمسة مصدرين للأسلحة"
STATEMENT = "روسيا من أكبر خمسة مصدرين"
TITLE = "صادرات الأسلحة"
RTL = 'lang="ar" dir="rtl"'


@pytest.fixture
def arabic_claim(editor, reviewer, rating):
    article = services.article_import(actor=editor, title=TITLE, text=ARABIC, origin="pasted", language="ar").article
    claim = make_claim(article.revisions.get(), editor, QUOTE, claimant="الرئيس", claim_reviewed=STATEMENT)
    add_evidence(claim, editor)
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="Third, says SIPRI.")
    services.verdict_submit(actor=editor, verdict=verdict)
    return claim


def publish(claim, reviewer):
    verdict = claim.verdict
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    return services.verdict_publish(actor=reviewer, verdict=verdict)


def tags_around(html: str, text: str) -> list[str]:
    """The opening tag of every element in the body whose text starts with `text`, outside the article text (whose
    own lang and dir test_languages.py checks; its highlights inherit them)."""
    body = html.split("<body", 1)[1]
    body = re.sub(r'<div id="article-text".*?</div>', "", body, flags=re.S)
    return re.findall(r"<[a-z0-9]+[^>]*>(?=" + re.escape(text) + ")", body)


def assert_rtl(html: str, text: str):
    tags = tags_around(html, text)
    assert tags, f"{text!r} is not in the page"
    assert all(RTL in tag for tag in tags), tags


def test_the_reader_marks_the_claim_list_and_the_panel(client, editor, arabic_claim):
    client.force_login(editor)
    listing = client.get(f"/articles/{arabic_claim.article_id}/").content.decode()
    assert '<html lang="en">' in listing
    assert_rtl(listing, STATEMENT)
    assert_rtl(listing, TITLE)
    panel = client.get(f"/articles/{arabic_claim.article_id}/?claim={arabic_claim.pk}").content.decode()
    assert_rtl(panel, QUOTE)
    assert_rtl(panel, STATEMENT)
    assert '<span lang="ar" dir="auto">الرئيس</span>' in panel  # the claimant: whatever script it is written in


def test_the_review_queue_and_my_verdicts_mark_the_claim(client, editor, reviewer, arabic_claim):
    client.force_login(reviewer)
    queue = client.get("/review/").content.decode()
    assert_rtl(queue, STATEMENT)
    assert_rtl(queue, TITLE)
    client.force_login(editor)
    assert_rtl(client.get("/my-verdicts/").content.decode(), STATEMENT)


def test_public_pages_mark_the_claim_and_the_article_title(client, reviewer, arabic_claim, rating):
    verdict = publish(arabic_claim, reviewer)
    page = client.get(f"/fact-checks/{arabic_claim.pk}/").content.decode()
    assert '<html lang="en">' in page
    assert_rtl(page, STATEMENT)
    assert_rtl(page, TITLE)
    assert re.search(r'<blockquote class="in-context" lang="ar" dir="rtl">', page)
    listing = client.get("/fact-checks/").content.decode()
    assert_rtl(listing, STATEMENT)
    assert_rtl(listing, TITLE)

    services.verdict_correct(actor=reviewer, verdict=verdict, note="The share is 7.8%, not 8%.")
    corrections = client.get("/corrections/").content.decode()
    assert_rtl(corrections, STATEMENT)
    assert_rtl(corrections, TITLE)


def test_an_article_in_a_left_to_right_language_says_ltr(client, editor, rating):
    article = services.article_import(
        actor=editor, title="Arms", text="Russia is among the top five exporters.", origin="pasted", language="en"
    ).article
    make_claim(article.revisions.get(), editor, "among the top five exporters")
    client.force_login(editor)
    listing = client.get(f"/articles/{article.pk}/").content.decode()
    assert tags_around(listing, "among the top five exporters")
    assert all('lang="en" dir="ltr"' in tag for tag in tags_around(listing, "among the top five exporters"))


def test_the_new_claim_form_and_the_anchoring_review_mark_the_article_language(client, editor, arabic_claim):
    client.force_login(editor)
    listing = client.get(f"/articles/{arabic_claim.article_id}/").content.decode()  # the cached reader page
    assert re.search(r'<blockquote id="claim-preview" class="quote" lang="ar" dir="rtl">', listing)
    from annotations.services.revisions import revision_edit

    article = arabic_claim.article
    revision_edit(actor=editor, article=article, text="مقدمة. " + ARABIC, base_revision_id=article.revisions.get().pk)
    review = client.get(f"/articles/{arabic_claim.article_id}/anchoring/").content.decode()
    assert_rtl(review, STATEMENT)


def test_the_revision_pages_show_and_edit_the_text_right_to_left(client, editor, arabic_claim):
    from annotations.services.revisions import revision_edit

    article = arabic_claim.article
    revision_edit(actor=editor, article=article, text="مقدمة. " + ARABIC, base_revision_id=article.revisions.get().pk)
    client.force_login(editor)
    editor_page = client.get(f"/articles/{article.pk}/revisions/new/").content.decode()
    assert re.search(r'<textarea[^>]*lang="ar"[^>]*dir="rtl"|<textarea[^>]*dir="rtl"[^>]*lang="ar"', editor_page)
    for url in (f"/articles/{article.pk}/revisions/2/", f"/articles/{article.pk}/revisions/1/diff/2/"):
        assert 'class="revision-body' in (html := client.get(url).content.decode()) and RTL in html, url
