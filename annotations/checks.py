"""Deployment checks (`manage.py check --deploy`): settings that are fine for a demo but wrong on a public site."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

# Names reserved for documentation and testing (RFC 2606, RFC 6761): the settings' defaults use them.
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "invalid", "localhost", "test")


def is_placeholder_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    if parts.scheme not in {"http", "https"} or not host:
        return True
    return any(host == domain or host.endswith("." + domain) for domain in RESERVED_DOMAINS) or (
        host.rsplit(".", 1)[-1] in RESERVED_TLDS
    )


@checks.register("factcheck", deploy=True)
def check_organization_url(app_configs, **kwargs):
    """Every published ClaimReview names the organisation by this URL: a placeholder there is public and wrong."""
    url = settings.FACTCHECK_ORGANIZATION_URL
    if not is_placeholder_url(url):
        return []
    return [
        checks.Warning(
            f"FACTCHECK_ORGANIZATION_URL is a placeholder ({url!r}); it is the author URL of every published "
            "ClaimReview.",
            hint="Set FACTCHECK_ORGANIZATION_URL to your organisation's home page, e.g. https://www.yournewsroom.org/.",
            id="factcheck.W001",
        )
    ]
