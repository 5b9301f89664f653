"""The deployment check on the ClaimReview organisation URL (annotations/checks.py), run in-process."""

import pytest

from annotations.checks import check_organization_url, is_placeholder_url


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
    ],
)
def test_placeholders_and_non_urls_are_flagged(url):
    assert is_placeholder_url(url)


@pytest.mark.parametrize("url", ["https://www.factcheck-desk.org/", "https://example.org.ua/", "http://sample.com"])
def test_real_addresses_pass(url):
    assert not is_placeholder_url(url)


def test_the_check_names_the_setting(settings):
    settings.FACTCHECK_ORGANIZATION_URL = "https://factcheck.example.org/"
    [warning] = check_organization_url(None)
    assert warning.id == "factcheck.W001" and "FACTCHECK_ORGANIZATION_URL" in warning.msg
    settings.FACTCHECK_ORGANIZATION_URL = "https://www.factcheck-desk.org/"
    assert check_organization_url(None) == []
