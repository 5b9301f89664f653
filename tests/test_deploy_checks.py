"""The deployment check on the ClaimReview organisation URL (annotations/checks.py), run in-process."""

import pytest

from annotations.checks import check_public_urls, is_placeholder_url


@pytest.mark.parametrize(
    "url",
    [
        "https://factcheck.example.org/",
        "https://example.com",
        "http://desk.example.net/about",
        "https://newsroom.test/",
        "https://localhost/",
        "ftp://newsroom.org/",
        "not a url",
        "",
        "https://[::1",
        "http://127.0.0.1:8000",
        "http://[::1]/",
        "http://10.0.0.5/",
    ],
)
def test_placeholders_and_non_urls_are_flagged(url):
    assert is_placeholder_url(url)


@pytest.mark.parametrize(
    "url", ["https://www.factcheck-desk.org/", "https://example.org.ua/", "http://sample.com", "https://8.8.8.8/"]
)
def test_real_addresses_pass(url):
    assert not is_placeholder_url(url)


def test_the_check_names_each_setting(settings):
    settings.FACTCHECK_ORGANIZATION_URL = "https://factcheck.example.org/"
    settings.SITE_URL = "http://127.0.0.1:8000"
    warnings = check_public_urls(None)
    assert [(w.id, w.msg.split()[0]) for w in warnings] == [
        ("factcheck.W001", "FACTCHECK_ORGANIZATION_URL"),
        ("factcheck.W002", "SITE_URL"),
    ]
    settings.FACTCHECK_ORGANIZATION_URL = "https://www.factcheck-desk.org/"
    settings.SITE_URL = "https://checks.factcheck-desk.org"
    assert check_public_urls(None) == []
