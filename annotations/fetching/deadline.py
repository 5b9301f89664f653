"""The overall deadline of one fetch, and a socket wrapper that puts it under every single receive and send.

A per-read timeout alone lets a server that trickles one byte per read keep a fetch open for ever; arming each
``recv`` with min(read timeout, time left) cuts it off at the deadline wherever it trickles (status line, headers,
chunk sizes or body).
"""

from __future__ import annotations

import io
import socket
import time

from .policy import FetchError


class Clock:
    """Overall deadline for one fetch, redirects included."""

    def __init__(self, seconds: float) -> None:
        self.start = time.monotonic()
        self.end = self.start + seconds
        self.seconds = seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def check(self, url: str | None = None) -> float:
        remaining = self.remaining()
        if remaining <= 0:
            raise FetchError(
                "deadline", f"The fetch did not finish within {self.seconds:g} seconds", transient=True, url=url
            )
        return remaining

    def bounded(self, timeout: float, url: str | None = None) -> float:
        return min(timeout, self.check(url))


class GuardedSocket:
    """Wraps the connected socket so that every receive is bounded by min(read_timeout, time left).

    http.client reads status line, headers, chunk sizes and body through ``makefile('rb')``; giving it a
    buffered reader over :class:`_GuardedRaw` puts the deadline check under every single ``recv``, so a
    server trickling one byte per second is cut off at the deadline wherever it trickles.
    """

    def __init__(self, sock: socket.socket, clock: Clock, read_timeout: float, url: str) -> None:
        self._sock = sock
        self._clock = clock
        self._read_timeout = read_timeout
        self._url = url
        self._readers = 0  # open makefile() readers; like socket.socket, close() waits for them
        self._closing = False

    def _arm(self) -> None:
        self._sock.settimeout(self._clock.bounded(self._read_timeout, self._url))

    def _timed_out(self) -> FetchError:
        if self._clock.remaining() <= 0:
            return FetchError(
                "deadline", f"The fetch did not finish within {self._clock.seconds:g} seconds", True, url=self._url
            )
        return FetchError(
            "read_timeout", f"No data from the server for {self._read_timeout:g} seconds", True, url=self._url
        )

    def recv_into(self, buffer, nbytes: int = 0) -> int:
        self._arm()
        try:
            return self._sock.recv_into(buffer, nbytes)
        except TimeoutError:
            raise self._timed_out() from None

    def sendall(self, data) -> None:
        self._arm()
        try:
            self._sock.sendall(data)
        except TimeoutError:
            raise self._timed_out() from None

    def makefile(self, mode: str = "r", *args, **kwargs) -> io.BufferedReader:
        if mode.replace("b", "") != "r":
            raise ValueError("only binary reading is supported")
        self._readers += 1
        return io.BufferedReader(_GuardedRaw(self))

    def _reader_closed(self) -> None:
        self._readers -= 1
        if self._closing and self._readers <= 0:
            self._sock.close()

    def close(self) -> None:
        # http.client closes the connection as soon as a "Connection: close" response has begun and hands the
        # socket over to the response's reader, so (as socket.socket does) only close once no reader is left.
        self._closing = True
        if self._readers <= 0:
            self._sock.close()

    def force_close(self) -> None:
        self._closing = True
        self._sock.close()

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


class _GuardedRaw(io.RawIOBase):
    def __init__(self, gsock: GuardedSocket) -> None:
        self._gsock = gsock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._gsock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._gsock._reader_closed()
