"""The ClaimReview parser (pure: no database): every shape other desks publish, and what it refuses, with where."""

import json
from datetime import date

import pytest

from matching.claimreview_parse import NotAFeed, RecordError, parse
from matching.claimreview_record import FactCheckRecord

from .support import claim_review, data_feed, dumps, html_page


def only_record(data, **hints) -> FactCheckRecord:
    parsed = parse(data, **hints)
    assert parsed.errors == [] and len(parsed.records) == 1
    return parsed.records[0]


def reasons(data, **hints) -> list[str]:
    return [str(error) for error in parse(data, **hints).errors]


# --- Shapes ----------------------------------------------------------------------------------------------------------


def test_one_claimreview_gives_every_field():
    record = only_record(dumps(claim_review(7)))
    assert record == FactCheckRecord(
        url="https://checker.example/fact-checks/7",
        claim_reviewed="Claim number 7 about arms exports doubled last year",
        position="record 1",
        publisher_name="Checker",
        publisher_url="https://checker.example/",
        headline="No, arms exports did not double (7)",
        rating_name="False",
        rating_value=1.0,
        rating_best=5.0,
        rating_worst=1.0,
        date_published=date(2024, 3, 5),
        claimant="A. Politician",
        appearance_urls=["https://social.example/posts/7"],
        language="en",
    )


def test_a_list_a_datafeed_and_a_graph_give_their_claimreviews_in_order():
    reviews = [claim_review(n) for n in (1, 2, 3)]
    as_list = parse(dumps(reviews))
    feed = parse(dumps(data_feed(*reviews)))
    graph = parse(dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, *reviews]}))
    for parsed in (as_list, feed, graph):
        assert parsed.format == "JSON" and parsed.errors == []
        assert [r.url for r in parsed.records] == [r["url"] for r in reviews]
        assert [r.position for r in parsed.records] == ["record 1", "record 2", "record 3"]


def test_datafeed_items_may_be_one_object_a_list_or_the_claimreview_itself():
    feed = {
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": claim_review(1)},
            {"@type": "DataFeedItem", "dateCreated": "2024-01-01", "item": [claim_review(2), claim_review(3)]},
            claim_review(4),
        ],
    }
    assert [r.url[-1] for r in parse(dumps(feed)).records] == ["1", "2", "3", "4"]


def test_type_as_a_list_or_with_a_vocabulary_prefix():
    for kind in (["ClaimReview", "Review"], "schema:ClaimReview", "https://schema.org/ClaimReview"):
        assert only_record(dumps(claim_review(**{"@type": kind}))).url.endswith("/1")


def test_json_lines_one_record_a_line_blank_lines_ignored():
    text = "\n".join([json.dumps(claim_review(1)), "", json.dumps(claim_review(2)), "{not json", ""])
    parsed = parse(text.encode(), name="feed.jsonl")
    assert parsed.format == "JSON Lines"
    assert [(r.position, r.url[-1]) for r in parsed.records] == [("line 1", "1"), ("line 3", "2")]
    assert [e.position for e in parsed.errors] == ["line 4"] and "not JSON" in parsed.errors[0].reason


def test_html_page_ld_json_blocks_other_nodes_passed_over():
    page = html_page(
        {"@context": "https://schema.org", "@type": "Organization", "name": "Checker"},
        {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, claim_review(1)]},
        [claim_review(2), {"@type": "BreadcrumbList"}],
        {"@type": "NewsArticle", "review": claim_review(3)},  # nested in another node
    )
    parsed = parse(page)
    assert parsed.format == "HTML" and parsed.errors == []
    assert [(r.position, r.url[-1]) for r in parsed.records] == [
        ("record 1 (script block 2)", "1"),
        ("record 2 (script block 3)", "2"),
        ("record 3 (script block 4)", "3"),
    ]


def test_html_blocks_wrapped_in_comments_and_a_broken_block_reported():
    wrapped = f"<!--\n{json.dumps(claim_review(1))}\n-->"
    page = (
        "<html><head>"
        f'<script type="application/ld+json">{wrapped}</script>'
        '<script type="Application/LD+JSON; charset=utf-8">{"@type": "ClaimReview",</script>'
        '<script type="text/javascript">var x = {"@type": "ClaimReview"};</script>'
        "</head><body></body></html>"
    )
    parsed = parse(page.encode())
    assert [r.url[-1] for r in parsed.records] == ["1"]
    assert [e.position for e in parsed.errors] == ["script block 2"]
    assert "not JSON" in parsed.errors[0].reason


def test_author_and_publisher_as_object_list_or_name():
    cases = [
        ({"author": [{"@type": "Organization"}, {"@type": "Organization", "name": "Second"}]}, ("Second", "")),
        ({"author": "Plain Name"}, ("Plain Name", "")),
        ({"author": None, "publisher": {"name": "Pub", "url": "https://pub.example"}}, ("Pub", "https://pub.example")),
        ({"author": {"name": "Org", "url": "javascript:alert(1)"}}, ("Org", "")),  # a bad link is left out
        ({"author": None}, ("", "")),
    ]
    for overrides, expected in cases:
        record = only_record(dumps(claim_review(**overrides)))
        assert (record.publisher_name, record.publisher_url) == expected, overrides


def test_rating_variations():
    cases = [
        (
            {"ratingValue": "2", "bestRating": "5", "worstRating": "1", "alternateName": "Mostly false"},
            (2.0, 5.0, 1.0),
        ),
        ({"ratingValue": 3.5}, (3.5, None, None)),
        ({"alternateName": "Misleading"}, (None, None, None)),
        ({"name": "Pants on fire", "ratingValue": ""}, (None, None, None)),
    ]
    for rating, numbers in cases:
        record = only_record(dumps(claim_review(reviewRating={"@type": "Rating", **rating})))
        assert (record.rating_value, record.rating_best, record.rating_worst) == numbers
    assert only_record(dumps(claim_review(reviewRating=[{"alternateName": "First"}]))).rating_name == "First"
    assert only_record(dumps(claim_review(reviewRating={"name": "Pants on fire"}))).rating_name == "Pants on fire"
    assert only_record(dumps(claim_review(reviewRating=None))).rating_name == ""


def test_date_published_as_a_date_or_a_date_and_time():
    for value in ("2024-03-05", "2024-03-05T23:30:00Z", "2024-03-05T23:30:00+05:00", "2024-03-05 10:00"):
        assert only_record(dumps(claim_review(datePublished=value))).date_published == date(2024, 3, 5)
    assert only_record(dumps(claim_review(datePublished=None))).date_published is None


def test_item_reviewed_appearances_and_language():
    item = {
        "@type": "Claim",
        "author": [{"@type": "Person", "name": "Speaker"}],
        "firstAppearance": "https://tv.example/show",
        "appearance": [{"url": "https://a.example/1"}, "https://a.example/2", {"url": "ftp://x"}, {"headline": "x"}],
        "inLanguage": {"@type": "Language", "name": "Portuguese", "alternateName": "pt-BR"},
    }
    record = only_record(dumps(claim_review(itemReviewed=item, inLanguage=None)))
    assert record.claimant == "Speaker"
    assert record.appearance_urls == ["https://tv.example/show", "https://a.example/1", "https://a.example/2"]
    assert record.language == "pt-BR"
    assert only_record(dumps(claim_review(inLanguage="English"))).language == ""  # not a code: unknown


def test_url_scheme_and_host_are_lower_cased_the_rest_kept():
    record = only_record(dumps(claim_review(url="HTTPS://Checker.Example/Fact-Checks/A?x=1#claim-2")))
    assert record.url == "https://checker.example/Fact-Checks/A?x=1#claim-2"


def test_a_paginated_answer_names_its_next_page():
    page = {"count": 120, "next": "https://desk.example/api/claimreviews/?limit=50&offset=50", "results": []}
    page["results"] = [claim_review(1)]
    parsed = parse(dumps(page))
    assert parsed.next_url == "https://desk.example/api/claimreviews/?limit=50&offset=50"
    assert parse(dumps({**page, "next": None})).next_url is None


# --- What is refused -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"hello, world", "not JSON, JSON Lines or an HTML page"),
        (b'{"url": ', "not JSON: Expecting value at line 1 column 9"),
        (b"[1, 2", "not JSON"),
        (b'{"@type": "WebPage", "name": "x"}', "JSON without any ClaimReview"),
        (b"<html><body><p>No markup here</p></body></html>", "an HTML page without any ClaimReview"),
        (b"\xff\xfe\x00\x00garbage", "not"),
        (b'{"a": "\xe9"}', "not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    ],
)
def test_input_that_is_not_a_feed_is_refused_whole(data, message):
    with pytest.raises(NotAFeed, match=message):
        parse(data)


def test_input_over_the_size_cap_is_refused_before_parsing():
    with pytest.raises(NotAFeed, match=r"1,001 bytes, more than the limit of 1,000 bytes"):
        parse(b" " * 1001, max_bytes=1000)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"url": None}, "ClaimReview without url"),
        ({"url": ""}, "ClaimReview without url"),
        ({"url": 12}, "url is a number, not text"),
        ({"url": "ftp://checker.example/1"}, "is not an absolute http(s) URL"),
        ({"url": "javascript:alert(1)"}, "is not an absolute http(s) URL"),
        ({"url": "/fact-checks/1"}, "is not an absolute http(s) URL"),
        ({"url": "https://checker.example/" + "x" * 2000}, "is not an absolute http(s) URL"),
        ({"url": "https://checker.example:99999/"}, "is not an absolute http(s) URL"),
        ({"claimReviewed": 42}, "claimReviewed is a number, not text"),
        ({"claimReviewed": None}, "ClaimReview without claimReviewed"),
        ({"claimReviewed": "   "}, "ClaimReview without claimReviewed"),
        ({"claimReviewed": {"text": "x"}}, "claimReviewed is an object, not text"),
        ({"claimReviewed": "NUL \x00 inside"}, "claimReviewed contains a NUL character"),
        ({"claimReviewed": "lone \ud800 surrogate"}, "claimReviewed contains an unpaired UTF-16 surrogate"),
        ({"headline": ["a", 1]}, "headline is a list, not text"),
        ({"reviewRating": "False"}, "reviewRating is text, not an object"),
        ({"reviewRating": {"ratingValue": "abc"}}, "reviewRating.ratingValue 'abc' is not a number"),
        ({"reviewRating": {"ratingValue": True}}, "reviewRating.ratingValue is a boolean, not a number"),
        ({"reviewRating": {"bestRating": [5]}}, "reviewRating.bestRating is a list, not a number"),
        ({"datePublished": 20240305}, "datePublished is a number, not a date"),
        ({"datePublished": "March 5, 2024"}, "datePublished 'March 5, 2024' is not a date"),
        ({"datePublished": "2024-02-30"}, "datePublished '2024-02-30' is not a date"),
        ({"author": 5}, "author is a number, not an object"),
        ({"author": {"name": 5}}, "name is a number, not text"),
        ({"itemReviewed": 3}, "itemReviewed is a number, not an object"),
        ({"inLanguage": 1}, "inLanguage is a number, not a language code"),
    ],
)
def test_a_bad_claimreview_is_refused_with_its_reason(overrides, reason):
    errors = parse(json.dumps([claim_review(1, **overrides)]).encode()).errors
    assert len(errors) == 1 and errors[0].position == "record 1"
    assert reason in errors[0].reason


def test_mixed_good_and_bad_records_each_keep_their_position():
    items = [
        claim_review(1),
        claim_review(2, url=None),
        {"@type": "Article", "headline": "Not a review"},
        "just text",
        claim_review(5, claimReviewed=3.14),
        claim_review(6),
    ]
    parsed = parse(dumps(items))
    assert [r.position for r in parsed.records] == ["record 1", "record 6"]
    assert [str(e) for e in parsed.errors] == [
        "record 2: ClaimReview without url",
        "record 3: not a ClaimReview (@type Article)",
        "record 4: not a ClaimReview but text",
        "record 5: claimReviewed is a number, not text",
    ]
    assert all(isinstance(item, (FactCheckRecord, RecordError)) for item in parsed.items)
    assert [item.position for item in parsed.items] == [f"record {n}" for n in range(1, 7)]


def test_any_length_of_claim_reviewed_is_kept():
    long_claim = "word " * 5000
    assert len(only_record(dumps(claim_review(claimReviewed=long_claim))).claim_reviewed) == len(long_claim) - 1


def test_an_empty_feed_is_no_error_and_no_record():
    for empty in ([], {"@type": "DataFeed", "dataFeedElement": []}, {"count": 0, "next": None, "results": []}):
        parsed = parse(dumps(empty))
        assert (parsed.items, parsed.next_url) == ([], None)
