"""The guard: URL syntax, schemes, ports and literals, public and blocked addresses, DNS answers, and the
network jail that stops anything the guard lets through.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.fetching import (
    BlockedAddress,
    FetchError,
    FetchPolicy,
    FetchRefused,
    check_address,
    fetch,
    guard,
    is_public_address,
    parse_url,
)


def checked_target(url: str, policy: FetchPolicy) -> guard.Target:
    """What fetch() does before it connects, for the first URL and every redirect: parse, then resolve and check."""
    return guard.check_target(parse_url(url, policy), policy)


# --------------------------------------------------------------------------------------------------------
# URL syntax, schemes, ports, literals
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/file", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)", "data:,x"],
)
def test_non_http_schemes_are_refused(url, no_dns):
    with pytest.raises(FetchRefused) as info:
        parse_url(url, FetchPolicy())
    assert info.value.code == "bad_scheme"
    assert info.value.transient is False


@pytest.mark.parametrize(
    "url", ["http://user@example.com/", "http://user:secret@example.com/", "https://:pw@example.com/", "http://a@b@c/"]
)
def test_userinfo_is_refused(url, no_dns):
    with pytest.raises(FetchRefused) as info:
        parse_url(url, FetchPolicy())
    assert info.value.code == "userinfo"


def test_port_8080_is_refused_by_default(no_dns):
    with pytest.raises(FetchRefused) as info:
        parse_url("http://example.com:8080/", FetchPolicy())
    assert info.value.code == "bad_port"
    assert "8080" in info.value.message


def test_explicit_default_ports_are_allowed_and_normalised(fake_dns):
    table, _ = fake_dns
    table["example.com"] = ["93.184.216.34"]
    target = checked_target("HTTPS://Example.COM:443/a b?x=ü#frag".replace(" ", "%20"), FetchPolicy())
    assert target.url == "https://example.com/a%20b?x=%C3%BC"
    assert target.port == 443
    assert target.host_header == "example.com"
    assert target.addresses == ("93.184.216.34",)


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",  # decimal
        "http://017700000001/",  # octal
        "http://0x7f000001/",  # hexadecimal
        "http://0x7f.1/",  # short hex
        "http://0177.0.0.1/",  # octal first octet
        "http://127.1/",  # short form
        "http://127.0.1/",
        "http://0x7f.0x0.0x0.0x1/",
        "http://0x7F.0.0.1/",
        "http://2852039166/",  # 169.254.169.254 as a number
        "http://0xa9fea9fe/",
        "http://127.0.0.1./",  # trailing dot is not canonical
        "http://1.2.3.4.5/",
        "http://example.123/",
    ],
)
def test_non_canonical_ipv4_literals_are_refused(url, no_dns):
    for policy in (FetchPolicy(), FetchPolicy(allow_loopback=True)):
        with pytest.raises(FetchRefused) as info:
            parse_url(url, policy)
        assert info.value.code == "non_canonical_ip"
        with pytest.raises(FetchRefused):
            fetch(url, policy)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://[2002:a9fe:a9fe::1]/",  # 6to4
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
        "http://[::1]/",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[fec0::1]/",
        "http://[ff02::1]/",
        "http://[2001:db8::1]/",
    ],
)
def test_ipv6_and_mapped_literals_are_refused(url, no_dns):
    with pytest.raises(BlockedAddress) as info:
        checked_target(url, FetchPolicy(allow_loopback=True))
    assert info.value.code == "blocked_address"
    assert "public" in info.value.message


@pytest.mark.parametrize("url", ["http://[fe80::1%25eth0]/", "http://[::1/", "http://exa mple.com/", "http://a\\b/"])
def test_malformed_hosts_are_refused(url, no_dns):
    with pytest.raises(FetchRefused):
        parse_url(url, FetchPolicy())


def test_fullwidth_digits_normalise_to_the_address_they_spell(no_dns):
    with pytest.raises(BlockedAddress):
        checked_target("http://１２７.０.０.１/", FetchPolicy())


def test_idna_host_is_encoded_before_resolution(fake_dns):
    table, calls = fake_dns
    table["xn--bcher-kva.example"] = ["93.184.216.34"]
    target = checked_target("http://Bücher.example/", FetchPolicy())
    assert target.host == "xn--bcher-kva.example"
    assert calls == [("xn--bcher-kva.example", 80)]


# --------------------------------------------------------------------------------------------------------
# Addresses and what names resolve to
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.0.1",
        "100.64.0.1",
        "100.127.255.254",
        "169.254.169.254",
        "0.0.0.0",
        "0.1.2.3",
        "255.255.255.255",
        "224.0.0.1",
        "240.0.0.1",
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.9",
        "198.18.0.1",
        "::1",
        "::",
        "::ffff:8.8.8.8",  # even mapped public addresses: never needed, refuse
        "64:ff9b::808:808",
        "64:ff9b:1::1",
        "2002:808:808::1",
        "2001::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff0e::1",
        "2001:db8::1",
        "3fff::1",
    ],
)
def test_non_public_addresses_are_blocked(address):
    assert not is_public_address(address)
    with pytest.raises(BlockedAddress):
        check_address(address, FetchPolicy())


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450::1"])
def test_public_addresses_pass(address):
    assert is_public_address(address)
    check_address(address, FetchPolicy())


def test_allow_loopback_permits_ipv4_loopback_only():
    policy = FetchPolicy(allow_loopback=True)
    check_address("127.0.0.1", policy)
    check_address("127.5.6.7", policy)
    for address in ("::1", "::ffff:127.0.0.1", "10.0.0.1", "169.254.169.254", "0.0.0.0"):
        with pytest.raises(BlockedAddress):
            check_address(address, policy)


def test_host_resolving_to_loopback_is_refused(fake_dns):
    table, _ = fake_dns
    table["sneaky.example"] = ["127.0.0.1"]
    with pytest.raises(BlockedAddress) as info:
        checked_target("http://sneaky.example/", FetchPolicy())
    assert "sneaky.example resolves to 127.0.0.1" in info.value.message
    assert info.value.address == "127.0.0.1"
    with pytest.raises(BlockedAddress):
        fetch("http://sneaky.example/", FetchPolicy())


@pytest.mark.parametrize(
    "addresses",
    [
        ["93.184.216.34", "10.0.0.5"],
        ["10.0.0.5", "93.184.216.34"],
        ["93.184.216.34", "169.254.169.254"],
        ["2606:2800:220:1:248:1893:25c8:1946", "::1"],
        ["93.184.216.34", "::ffff:10.0.0.1"],
    ],
)
def test_host_resolving_to_a_mix_of_public_and_private_is_refused(fake_dns, addresses):
    table, _ = fake_dns
    table["mixed.example"] = addresses
    with pytest.raises(BlockedAddress):
        checked_target("http://mixed.example/", FetchPolicy())
    with pytest.raises(BlockedAddress):
        fetch("http://mixed.example/", FetchPolicy())


def test_unresolvable_host_is_a_permanent_dns_failure(fake_dns):
    with pytest.raises(FetchError) as info:
        checked_target("http://nowhere.example/", FetchPolicy())
    assert info.value.code == "dns_failure"
    assert info.value.transient is False


def test_public_host_passes_the_guard_and_the_safety_net_stops_the_connection(fake_dns, jail):
    table, calls = fake_dns
    table["public.example"] = ["93.184.216.34"]
    target = checked_target("http://public.example/", FetchPolicy())
    assert target.addresses == ("93.184.216.34",)
    calls.clear()
    with pytest.raises(AssertionError, match="safety net"):
        fetch("http://public.example/", FetchPolicy())
    violations = jail.take_violations()
    assert violations and "93.184.216.34:80" in violations[0]
    assert calls == [("public.example", 80)]  # resolved once; the client connects to the checked address


def test_client_connects_to_the_checked_address_not_a_second_lookup(fake_dns, jail):
    """DNS rebinding: a second lookup would return loopback; the client must use the first answer."""
    _, calls = fake_dns
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    def rebinding(host, port):
        calls.append((host, port))
        return next(answers)

    guard.resolve = rebinding  # restored by monkeypatch in fake_dns
    with pytest.raises(AssertionError):
        fetch("http://rebind.example/", FetchPolicy())
    assert "93.184.216.34" in jail.take_violations()[0]
    assert len(calls) == 1


def test_safety_net_refuses_unregistered_loopback_ports_and_dns(jail):
    with pytest.raises(AssertionError):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    with pytest.raises(AssertionError):
        socket.getaddrinfo("example.com", 80)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(AssertionError):
            sock.sendto(b"x", ("10.0.0.1", 53))
    finally:
        sock.close()
    assert len(jail.take_violations()) == 3


# --------------------------------------------------------------------------------------------------------
# Properties over every address
# --------------------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_integer_form_of_an_ipv4_address_is_refused(no_dns, number):
    policy = FetchPolicy(allow_loopback=True)
    address = ipaddress.IPv4Address(number)
    octets = str(address).split(".")
    forms = [str(number), hex(number), "0" + oct(number)[2:], ".".join(f"0x{int(o):x}" for o in octets)]
    forms.append(".".join(octets[:2]) + "." + str(int(octets[2]) * 256 + int(octets[3])))
    for form in forms:
        with pytest.raises(FetchRefused):
            parse_url(f"http://{form}/", policy)
        assert guard.whatwg_ipv4(form) == address


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(guard._BLOCKED_V4).flatmap(
        lambda net: st.integers(int(net.network_address), int(net.broadcast_address))
    )
)
def test_every_address_in_a_blocked_ipv4_range_is_refused(number):
    address = str(ipaddress.IPv4Address(number))
    assert not is_public_address(address)
    as_mapped = f"::ffff:{address}"
    assert not is_public_address(as_mapped)


def test_policy_validates_its_values():
    with pytest.raises(ValueError):
        FetchPolicy(deadline=0)
    with pytest.raises(ValueError):
        FetchPolicy(allowed_ports={0})
    assert FetchPolicy(allowed_ports=[80]).allowed_ports == frozenset({80})
