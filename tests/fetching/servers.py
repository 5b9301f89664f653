"""The local servers the fetching tests talk to, and the policy that lets the client reach them.

Servers are real: ``http.server.ThreadingHTTPServer`` (:class:`Server`) for ordinary responses, a raw socket
server (:class:`RawServer`) for trickling, endless and cut-off bodies. Each registers its port with the
network jail, the only ports a test may reach.
"""

from __future__ import annotations

import socket
import ssl
import threading

from annotations.fetching import FetchPolicy
from tests import fetch_safety
from tests.local_server import QuietHandler, serve_in_background

MB = 1024 * 1024


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 with a route table; records every request it gets."""

    def __init__(self, jail: fetch_safety.NetworkJail, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        owner = self

        class Handler(QuietHandler):
            def do_GET(self):
                owner.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = owner.routes.get(self.path.split("?")[0])
                if route is None:
                    self.reply(404, {"Content-Type": "text/html"}, b"<html><body>not found</body></html>")
                elif callable(route):
                    route(self)
                else:
                    self.reply(*route)

            def reply(self, status, headers, body=b"", hold=0.0):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers and not hold:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                if hold:  # keep the connection open without sending the body
                    owner.stop.wait(hold)
                    return
                self.wfile.write(body)

        self.httpd = serve_in_background(Handler, tls)
        self.port = self.httpd.server_address[1]
        jail.allow_port(self.port)

    def url(self, path: str = "/", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def add(self, path: str, status: int = 200, headers: dict | None = None, body: bytes = b"", hold: float = 0):
        self.routes[path] = (status, headers if headers is not None else {"Content-Type": "text/html"}, body, hold)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = (status, {"Location": location, "Content-Type": "text/html"}, b"moved")

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class RawServer:
    """A bare TCP server on 127.0.0.1: ``handler(conn, stop)`` runs in a thread per connection."""

    def __init__(self, jail: fetch_safety.NetworkJail, handler) -> None:
        self.handler = handler
        self.stop = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        jail.allow_port(self.port)
        self.sent = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            read_request(conn)
            self.handler(self, conn)
        except OSError:
            pass
        finally:
            conn.close()

    def send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        self.sent += len(data)

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(2)


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def local_policy(*ports: int, **overrides) -> FetchPolicy:
    """Policy for the local test servers: loopback allowed, their ports allowed (plus 80/443)."""
    values = {
        "allowed_ports": frozenset({80, 443, *ports}),
        "allow_loopback": True,
        "connect_timeout": 2.0,
        "read_timeout": 3.0,
        "deadline": 10.0,
    }
    values.update(overrides)
    return FetchPolicy(**values)


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Local test page</title></head><body><article><h1>Heading</h1>"
    + b"<p>"
    + b"The council approved the new budget after a long debate about school funding. " * 8
    + b"</p></article></body></html>"
)
