"""Deployment checks (`manage.py check --deploy`): settings that are fine for a demo but wrong on a public site."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

# Names reserved for documentation and testing (RFC 2606, RFC 6761): the settings' defaults use them.
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "invalid", "localhost", "test")


def is_placeholder_url(url: str) -> bool:
    """True unless `url` is an http(s) address that the public could reach: not a reserved name, not loopback."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    if parts.scheme not in {"http", "https"} or not host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return any(host == domain or host.endswith("." + domain) for domain in RESERVED_DOMAINS) or (
            host.rsplit(".", 1)[-1] in RESERVED_TLDS
        )
    return not address.is_global


def _placeholder_warning(name: str, url: str, what: str, example: str, id: str) -> list[checks.Warning]:
    if not is_placeholder_url(url):
        return []
    return [
        checks.Warning(
            f"{name} is a placeholder ({url!r}); it is {what}.",
            hint=f"Set {name} to {example}.",
            id=id,
        )
    ]


@checks.register("factcheck", deploy=True)
def check_public_urls(app_configs, **kwargs):
    """Published fact-checks name these addresses to the world: a placeholder there is public and wrong."""
    return _placeholder_warning(
        "FACTCHECK_ORGANIZATION_URL",
        settings.FACTCHECK_ORGANIZATION_URL,
        "the author URL of every published ClaimReview",
        "your organisation's home page, e.g. https://www.yournewsroom.org/",
        "factcheck.W001",
    ) + _placeholder_warning(
        "SITE_URL",
        settings.SITE_URL,
        "the address of every public page in ClaimReview, the Atom feed and the canonical and Open Graph links",
        "this site's public address, e.g. https://factcheck.yournewsroom.org",
        "factcheck.W002",
    )
