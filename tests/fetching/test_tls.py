"""HTTPS: SNI and certificate verification against the host name, while connecting to the checked IP."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from annotations.fetching import FetchError, fetch
from tests.fetching.servers import HTML_PAGE, Server, local_policy


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=secure.test",
            "-addext", "subjectAltName=DNS:secure.test",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(jail, certificate):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    srv = Server(jail, tls=context)
    srv.sni_names = names
    yield srv
    srv.close()


def test_https_verifies_the_certificate_against_the_host_name_and_sends_sni(tls_server, fake_dns, certificate):
    table, _ = fake_dns
    table["secure.test"] = ["127.0.0.1"]
    tls_server.add("/", 200, {"Content-Type": "text/html"}, HTML_PAGE)
    policy = local_policy(tls_server.port, ca_file=str(certificate[0]))
    result = fetch(tls_server.url("/", host="secure.test", scheme="https"), policy)
    assert result.body == HTML_PAGE
    assert result.connected_ip == "127.0.0.1"
    assert tls_server.sni_names == ["secure.test"]
    assert tls_server.requests[-1][1]["host"] == f"secure.test:{tls_server.port}"


def test_https_with_a_certificate_for_another_name_fails_permanently(tls_server, fake_dns, certificate):
    table, _ = fake_dns
    table["other.test"] = ["127.0.0.1"]
    policy = local_policy(tls_server.port, ca_file=str(certificate[0]))
    with pytest.raises(FetchError) as info:
        fetch(tls_server.url("/", host="other.test", scheme="https"), policy)
    assert info.value.code == "tls_error"
    assert info.value.transient is False


def test_https_with_an_untrusted_certificate_fails(tls_server, fake_dns):
    table, _ = fake_dns
    table["secure.test"] = ["127.0.0.1"]
    with pytest.raises(FetchError) as info:
        fetch(tls_server.url("/", host="secure.test", scheme="https"), local_policy(tls_server.port))
    assert info.value.code == "tls_error"
