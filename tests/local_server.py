"""A real HTTP server on 127.0.0.1 for capture tests: a route table, request log and requests held on demand."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOURCE_TEXT = (
    "The five largest arms exporters in 2020-24 were the United States, France, Russia, China and Germany. "
    "The United States accounted for 43 per cent of global arms exports. Russia's arms exports fell by 64 per "
    "cent between 2015-19 and 2020-24."
)


def article_html(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/about'>About</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright</footer></body></html>"
    ).encode()


SOURCE_PAGE = article_html(
    "Trends in International Arms Transfers, 2024",
    [SOURCE_TEXT, "The report covers deliveries of major arms. " * 6],
)


class QuietHTTPServer(ThreadingHTTPServer):
    """A threading server that logs nothing and does not wait for its request threads when it closes."""

    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass


def serve_in_background(handler: type[BaseHTTPRequestHandler], tls=None) -> QuietHTTPServer:
    """Start `handler` on a free port of 127.0.0.1 (over TLS with an ``ssl.SSLContext``), in a daemon thread."""
    httpd = QuietHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return httpd


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass


class LocalServer:
    """ThreadingHTTPServer with routes ``path -> (status, headers, body)`` or a callable ``(handler) -> None``.

    ``hold(path)`` makes requests to ``path`` wait until ``release()``: a fetch that is in flight on demand.
    """

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[str] = []
        self.arrived = threading.Condition()
        self.released = threading.Event()
        self.held: set[str] = set()
        owner = self

        class Handler(QuietHandler):
            def do_GET(self):
                path = self.path.split("?")[0]
                with owner.arrived:
                    owner.requests.append(path)
                    owner.arrived.notify_all()
                if path in owner.held:
                    owner.held.discard(path)  # only the first request is held
                    owner.released.wait(60)
                    return  # closes the connection without an answer
                route = owner.routes.get(path)
                if route is None:
                    route = (404, {"Content-Type": "text/html"}, b"<html><body>not found</body></html>")
                if callable(route):
                    route(self)
                    return
                status, headers, body = route
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = serve_in_background(Handler)
        self.port = self.httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes = SOURCE_PAGE, status: int = 200, headers: dict | None = None) -> str:
        self.routes[path] = (
            status,
            {"Content-Type": "text/html; charset=utf-8"} if headers is None else headers,
            body,
        )
        return self.url(path)

    def hold(self, path: str) -> None:
        self.held.add(path)

    def release(self) -> None:
        self.released.set()

    def count(self, path: str) -> int:
        return self.requests.count(path)

    def wait_for(self, path: str, times: int = 1, timeout: float = 30) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: self.count(path) >= times, timeout)

    def close(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()
