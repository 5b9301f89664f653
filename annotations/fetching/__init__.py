"""Safe fetching of user-supplied URLs and text extraction (pure Python; no Django import).

Public API::

    policy = FetchPolicy(max_body_bytes=..., deadline=...)
    result = fetch(url, policy)          # FetchResult, or raises FetchError (and subclasses)
    doc = extract(result.body, result.content_type_header, result.final_url)   # Extracted

Modules: ``guard`` (URL and address checks), ``transport`` (the connection to a checked address, the exchange,
redirects), ``deadline`` (the overall deadline under every socket read), ``decoding`` (Content-Encoding and
charset), ``sniffing`` (content type from the first bytes), ``status`` (HTTP errors), ``client`` (``fetch``),
``extract`` (title and text).
"""

from .client import FetchResult, fetch
from .decoding import decode_body, parse_content_type
from .extract import Extracted, ExtractionError, extract
from .guard import Target, check_address, is_public_address, parse_url, resolve
from .policy import BlockedAddress, FetchError, FetchPolicy, FetchRefused, TooLarge, Unsupported
from .sniffing import sniff_content_type
from .status import parse_retry_after
from .transport import RedirectHop

__all__ = [
    "BlockedAddress",
    "Extracted",
    "ExtractionError",
    "FetchError",
    "FetchPolicy",
    "FetchRefused",
    "FetchResult",
    "RedirectHop",
    "Target",
    "TooLarge",
    "Unsupported",
    "check_address",
    "decode_body",
    "extract",
    "fetch",
    "is_public_address",
    "parse_content_type",
    "parse_retry_after",
    "parse_url",
    "resolve",
    "sniff_content_type",
]
