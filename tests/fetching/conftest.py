"""Fixtures of the fetching tests.

Every test here runs inside the network safety net from ``fetch_safety`` (autouse fixture ``jail``): it can only
reach the loopback servers it started itself. ``fake_dns`` and ``no_dns`` stand in for the resolver.
"""

from __future__ import annotations

import socket

import pytest

from annotations.fetching import guard
from tests import fetch_safety
from tests.fetching.servers import RawServer, Server


@pytest.fixture(autouse=True)
def jail(monkeypatch):
    with fetch_safety.jailed(monkeypatch) as net:
        yield net


@pytest.fixture
def server(jail):
    srv = Server(jail)
    yield srv
    srv.close()


@pytest.fixture
def raw_server(jail):
    servers: list[RawServer] = []

    def start(handler) -> RawServer:
        srv = RawServer(jail, handler)
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.close()


@pytest.fixture
def fake_dns(monkeypatch):
    """Patch ``guard.resolve`` with a table; returns the list of lookups made."""
    calls: list[tuple[str, int]] = []
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        calls.append((host, port))
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(table[host])

    monkeypatch.setattr(guard, "resolve", resolve)
    return table, calls


@pytest.fixture
def no_dns(monkeypatch):
    def resolve(host, port):
        raise AssertionError(f"resolve({host!r}) must not be called")

    monkeypatch.setattr(guard, "resolve", resolve)
