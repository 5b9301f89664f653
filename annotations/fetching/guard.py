"""URL and address checks that stand between user-supplied URLs and the network.

:func:`parse_url` parses a URL, refuses anything but plain ``http``/``https`` URLs on allowed ports,
normalises the host (IDNA) and refuses numeric hosts that are not canonical dotted quads or bracketed IPv6;
:func:`check_target` then resolves the host through :func:`resolve` and refuses the target if ANY of its
addresses is not public (:func:`check_address`). The client runs both for the first URL and for every redirect,
then connects to one of the returned, already-checked addresses, so nothing resolves the name a second time.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

from .policy import BlockedAddress, FetchError, FetchPolicy, FetchRefused

MAX_URL_LENGTH = 8192
DEFAULT_PORTS = {"http": 80, "https": 443}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Networks that are never fetched, whatever ``ipaddress`` thinks of them (its flags changed between
# Python versions, so the list is explicit; the flags are checked as well, as a second net).
_BLOCKED_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network", unspecified
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata (169.254.169.254)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation TEST-NET-1
        "192.31.196.0/24",  # AS112
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # private
        "192.175.48.0/24",  # AS112 direct delegation
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation TEST-NET-2
        "203.0.113.0/24",  # documentation TEST-NET-3
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved
        "255.255.255.255/32",  # broadcast
    )
)
_BLOCKED_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::/96",  # IPv4-compatible (deprecated)
        "::ffff:0:0/96",  # IPv4-mapped
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b::/96",  # NAT64
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, including Teredo 2001::/32 and benchmarking
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4
        "3fff::/20",  # documentation
        "5f00::/16",  # SRv6 SIDs
        "fc00::/7",  # unique-local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")
_LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")

_LABEL_RE = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_DECIMAL_OCTET_RE = re.compile(r"^(?:0|[1-9][0-9]{0,2})$")
_NUMERIC_LABEL_RE = re.compile(r"^(?:[0-9]+|0x[0-9a-f]*)$")
_FORBIDDEN_CHARS_RE = re.compile(r"[\x00-\x20\x7f\\]")


@dataclass(frozen=True)
class Target:
    """A parsed, normalised URL, and (after :func:`check_target`) its checked addresses."""

    url: str  # normalised absolute URL without fragment
    scheme: str
    host: str  # ASCII host name, or the canonical text of an IP literal (no brackets)
    port: int
    request_target: str  # path and query, percent-encoded
    host_header: str
    ip_literal: bool
    addresses: tuple[str, ...] = ()


def resolve(host: str, port: int) -> list[str]:
    """Return the addresses ``host`` resolves to for a TCP connection, in resolver order, without duplicates.

    Tests patch this function (``annotations.fetching.guard.resolve``) to simulate DNS answers.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    seen: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in seen:
            seen.append(address)
    return seen


def is_public_address(address: str | IPAddress) -> bool:
    """True when ``address`` is a public unicast address that may be fetched from."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id is not None:
            return False
        if ip not in _GLOBAL_UNICAST_V6 or any(ip in net for net in _BLOCKED_V6):
            return False
    elif any(ip in net for net in _BLOCKED_V4):
        return False
    flags = (ip.is_private, ip.is_loopback, ip.is_link_local, ip.is_multicast, ip.is_reserved, ip.is_unspecified)
    return not any(flags) and ip.is_global


def _describe(ip: IPAddress) -> str:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"an IPv4-mapped IPv6 address (of {ip.ipv4_mapped})"
        for net, name in (
            (ipaddress.IPv6Network("::/96"), "an IPv4-compatible IPv6 address"),
            (ipaddress.IPv6Network("64:ff9b::/96"), "a NAT64 address"),
            (ipaddress.IPv6Network("64:ff9b:1::/48"), "a NAT64 address"),
            (ipaddress.IPv6Network("2001::/32"), "a Teredo address"),
            (ipaddress.IPv6Network("2002::/16"), "a 6to4 address"),
            (ipaddress.IPv6Network("fc00::/7"), "a unique-local address"),
            (ipaddress.IPv6Network("fec0::/10"), "a site-local address"),
            (ipaddress.IPv6Network("2001:db8::/32"), "a documentation address"),
        ):
            if ip in net and not ip.is_loopback and not ip.is_unspecified:
                return name
    else:
        if ip in ipaddress.IPv4Network("100.64.0.0/10"):
            return "a carrier-grade NAT address"
        if ip == ipaddress.IPv4Address("169.254.169.254"):
            return "the cloud metadata address"
        if ip == ipaddress.IPv4Address("255.255.255.255"):
            return "the broadcast address"
    for flag, name in (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private or special-purpose address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(ip, flag):
            return name
    return "not a public address"


def check_address(address: str, policy: FetchPolicy, *, host: str | None = None, url: str | None = None) -> None:
    """Raise :class:`BlockedAddress` unless ``address`` may be connected to under ``policy``."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        raise BlockedAddress(f"{address!r} is not an IP address", address=address, url=url) from None
    if policy.allow_loopback and isinstance(ip, ipaddress.IPv4Address) and ip in _LOOPBACK_V4:
        return
    if is_public_address(ip):
        return
    subject = f"{host} resolves to {ip}" if host and host != str(ip) else f"{ip}"
    raise BlockedAddress(
        f"Refusing to fetch: {subject}, which is {_describe(ip)}; only public addresses may be fetched.",
        address=str(ip),
        url=url,
    )


def whatwg_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Interpret ``host`` the way browsers do when its last label is numeric (``2130706433``, ``0x7f.1``,
    ``0177.0.0.1``, ``127.1``); ``None`` when it is not a valid IPv4 number form. Used for messages and tests;
    :func:`parse_url` refuses every non-canonical form outright."""
    parts = host.split(".")
    if parts and parts[-1] == "":
        parts.pop()
    if not parts or len(parts) > 4:
        return None
    numbers = []
    for part in parts:
        if part == "" or not part.isascii() or not part.isalnum():  # int() would accept "_" and non-ASCII digits
            return None
        try:
            if part[:2] in ("0x", "0X"):
                value = int(part, 0) if len(part) > 2 else 0
            elif len(part) > 1 and part[0] == "0":
                value = int(part[1:], 8)
            else:
                value = int(part, 10)
        except ValueError:
            return None
        numbers.append(value)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(value)


def _canonical_dotted_quad(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and all(_DECIMAL_OCTET_RE.match(p) and int(p) <= 255 for p in parts)


def _normalise_host_name(raw: str, url: str) -> str:
    if not raw:
        raise FetchRefused("bad_url", f"URL has no host: {url!r}", url=url)
    try:
        ascii_host = raw.encode("idna").decode("ascii").lower() if not raw.isascii() else raw.lower()
    except UnicodeError:
        raise FetchRefused("bad_host", f"Host {raw!r} is not a valid internationalised domain name", url=url) from None
    labels = ascii_host.split(".")
    if labels[-1] == "":  # one trailing dot is a fully-qualified name
        labels.pop()
    if not labels or len(ascii_host) > 253 or not all(_LABEL_RE.match(label) for label in labels):
        raise FetchRefused("bad_host", f"Host {raw!r} is not a valid host name", url=url)
    if _NUMERIC_LABEL_RE.match(labels[-1]):
        if _canonical_dotted_quad(ascii_host):
            return ascii_host
        meaning = whatwg_ipv4(ascii_host)
        also = f" (browsers read it as {meaning})" if meaning is not None else ""
        raise FetchRefused(
            "non_canonical_ip",
            f"Host {raw!r} is a numeric address in a non-standard form{also}; "
            "write IPv4 addresses as four decimal numbers, e.g. 93.184.216.34",
            url=url,
        )
    return ascii_host


def parse_url(url: str, policy: FetchPolicy) -> Target:
    """Parse and normalise ``url`` and check scheme, credentials, host syntax and port. No DNS lookup."""
    if not isinstance(url, str):
        raise FetchRefused("bad_url", "URL must be a string")
    url = url.strip("\x00\x20\t\n\r\x0b\x0c")
    if not url:
        raise FetchRefused("bad_url", "URL is empty")
    if len(url) > MAX_URL_LENGTH:
        raise FetchRefused("bad_url", f"URL is longer than {MAX_URL_LENGTH} characters", url=url[:200])
    if _FORBIDDEN_CHARS_RE.search(url):
        raise FetchRefused("bad_url", "URL contains whitespace, control characters or backslashes", url=url)
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchRefused("bad_url", f"URL cannot be parsed: {exc}", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        shown = f"{scheme}:" if scheme else "(none)"
        raise FetchRefused("bad_scheme", f"Only http and https URLs can be fetched, not scheme {shown}", url=url)
    netloc = parts.netloc
    if "@" in netloc:
        raise FetchRefused("userinfo", "URLs with a user name or password (user@host) are not fetched", url=url)
    if not netloc:
        raise FetchRefused("bad_url", "URL has no host", url=url)

    # Split host and port by hand: urlsplit is lenient about both.
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            raise FetchRefused("bad_host", "Unterminated IPv6 address in URL", url=url)
        raw_host, rest = netloc[1:end], netloc[end + 1 :]
        if rest and not rest.startswith(":"):
            raise FetchRefused("bad_url", "Unexpected characters after the IPv6 address", url=url)
        port_text = rest[1:] if rest else ""
        has_port = bool(rest)
        if "%" in raw_host:
            raise FetchRefused("bad_host", "IPv6 zone identifiers are not allowed in URLs", url=url)
        try:
            ip6 = ipaddress.IPv6Address(raw_host)
        except ValueError:
            raise FetchRefused("bad_host", f"{raw_host!r} is not a valid IPv6 address", url=url) from None
        host, ip_literal = str(ip6), True
        authority_host = f"[{host}]"
    else:
        raw_host, sep, port_text = netloc.partition(":")
        has_port = bool(sep)
        if ":" in port_text:
            raise FetchRefused("bad_url", "Malformed host and port in URL", url=url)
        if "%" in raw_host:
            raise FetchRefused("bad_host", "Percent-encoded host names are not fetched", url=url)
        host = _normalise_host_name(raw_host, url)
        ip_literal = _canonical_dotted_quad(host)
        authority_host = host

    default_port = DEFAULT_PORTS[scheme]
    if has_port and port_text:
        if not port_text.isdigit() or not port_text.isascii() or len(port_text) > 5 or not 0 < int(port_text) < 65536:
            raise FetchRefused("bad_port", f"Invalid port {port_text!r}", url=url)
        port = int(port_text)
    else:
        port = default_port
    if port not in policy.allowed_ports:
        allowed = ", ".join(str(p) for p in sorted(policy.allowed_ports))
        raise FetchRefused("bad_port", f"Port {port} is not allowed (allowed: {allowed})", url=url)

    path = quote(parts.path or "/", safe="/%!$&'()*+,;=:@-._~")
    query = quote(parts.query, safe="/?%!$&'()*+,;=:@-._~") if parts.query else ""
    request_target = path + (f"?{query}" if parts.query else "")
    host_header = authority_host if port == default_port else f"{authority_host}:{port}"
    return Target(
        url=f"{scheme}://{host_header}{request_target}",
        scheme=scheme,
        host=host,
        port=port,
        request_target=request_target,
        host_header=host_header,
        ip_literal=ip_literal,
    )


def check_target(target: Target, policy: FetchPolicy) -> Target:
    """Resolve a parsed target and check every address; returns the target with its addresses."""
    if target.ip_literal:
        addresses = [target.host]
    else:
        try:
            addresses = resolve(target.host.rstrip("."), target.port)
        except socket.gaierror as exc:
            transient = exc.errno in (getattr(socket, "EAI_AGAIN", None), getattr(socket, "EAI_SYSTEM", None))
            raise FetchError(
                "dns_failure", f"Could not resolve {target.host}: {exc.strerror or exc}", transient, url=target.url
            ) from None
        except (OSError, UnicodeError) as exc:
            raise FetchError("dns_failure", f"Could not resolve {target.host}: {exc}", True, url=target.url) from None
        if not addresses:
            raise FetchError("dns_failure", f"{target.host} has no addresses", False, url=target.url)
    for address in addresses:
        check_address(address, policy, host=target.host, url=target.url)
    canonical = tuple(str(ipaddress.ip_address(a)) for a in addresses)
    return replace(target, addresses=canonical)
