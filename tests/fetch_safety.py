"""Safety net for the fetching tests: no test may send a packet off loopback.

``jailed(monkeypatch)`` patches ``socket.socket.connect``/``connect_ex``/``sendto``/``sendmsg``,
``socket.create_connection`` and ``socket.getaddrinfo`` for the duration of a test. Any connection to an
address other than IPv4 loopback or ``::1`` on one of the ports the test registered (its own servers), and
any name lookup other than a loopback literal or ``localhost``, is recorded and raises ``AssertionError``
*before* the real call happens. Leaving the context fails the test if anything was recorded and not
acknowledged with :meth:`NetworkJail.take_violations`, so even code that swallows the AssertionError is
caught. The net is independent of ``annotations.fetching.guard``: a buggy guard cannot open a hole in it.
"""

from __future__ import annotations

import ipaddress
import socket
from contextlib import contextmanager

_IPV4_LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")
_IPV6_LOOPBACK = ipaddress.IPv6Address("::1")


class NetworkJail:
    """Which loopback ports a test may reach, and what was attempted outside them."""

    def __init__(self) -> None:
        self.allowed_ports: set[int] = set()
        self.violations: list[str] = []
        self.connections: list[tuple[str, int]] = []

    def allow_port(self, port: int) -> None:
        self.allowed_ports.add(int(port))

    def take_violations(self) -> list[str]:
        """Return and clear the recorded violations (for tests that expect the net to fire)."""
        taken, self.violations = self.violations, []
        return taken

    def _refuse(self, what: str) -> None:
        message = f"fetch safety net: {what}"
        self.violations.append(message)
        raise AssertionError(message)

    def check_address(self, address, what: str) -> None:
        if isinstance(address, (str, bytes)):  # AF_UNIX path: no network involved
            return
        if not isinstance(address, tuple) or len(address) < 2:
            self._refuse(f"{what} to unexpected address {address!r}")
        host, port = address[0], address[1]
        try:
            ip = ipaddress.ip_address(str(host).split("%")[0])
        except ValueError:
            self._refuse(f"{what} to a host name {host!r} (only literal loopback addresses are allowed)")
        loopback = (ip.version == 4 and ip in _IPV4_LOOPBACK) or ip == _IPV6_LOOPBACK
        if not loopback:
            self._refuse(f"{what} to non-loopback address {host}:{port}")
        if int(port) not in self.allowed_ports:
            self._refuse(f"{what} to loopback port {port}, which is not one of this test's servers")
        self.connections.append((str(ip), int(port)))

    def check_lookup(self, host) -> None:
        if host is None:
            return
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name == "localhost":
            return
        try:
            ip = ipaddress.ip_address(name.split("%")[0])
        except ValueError:
            self._refuse(f"DNS lookup of {name!r}")
        if not ((ip.version == 4 and ip in _IPV4_LOOPBACK) or ip == _IPV6_LOOPBACK):
            self._refuse(f"address lookup of non-loopback {name!r}")

    def install(self, monkeypatch) -> None:
        jail = self
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex
        real_sendto = socket.socket.sendto
        real_sendmsg = socket.socket.sendmsg
        real_create_connection = socket.create_connection
        real_getaddrinfo = socket.getaddrinfo

        def connect(sock, address):
            jail.check_address(address, "connect")
            return real_connect(sock, address)

        def connect_ex(sock, address):
            jail.check_address(address, "connect_ex")
            return real_connect_ex(sock, address)

        def sendto(sock, data, *args):
            jail.check_address(args[-1], "sendto")
            return real_sendto(sock, data, *args)

        def sendmsg(sock, buffers, *args):
            if len(args) >= 3 and args[2] is not None:
                jail.check_address(args[2], "sendmsg")
            return real_sendmsg(sock, buffers, *args)

        def create_connection(address, *args, **kwargs):
            jail.check_address(address, "create_connection")
            return real_create_connection(address, *args, **kwargs)

        def getaddrinfo(host, *args, **kwargs):
            jail.check_lookup(host)
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket.socket, "sendto", sendto)
        monkeypatch.setattr(socket.socket, "sendmsg", sendmsg)
        monkeypatch.setattr(socket, "create_connection", create_connection)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@contextmanager
def jailed(monkeypatch):
    """Install the net for one test; fail the test if it recorded anything unacknowledged."""
    jail = NetworkJail()
    jail.install(monkeypatch)
    yield jail
    leftover = jail.take_violations()
    assert not leftover, f"network safety net fired: {leftover}"
