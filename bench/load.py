"""Load test: gunicorn with production settings on loopback, driven by wrk, beside a static-file floor.

Run from the repository root: ``.venv/bin/python bench/load.py`` (``--duration 10 --connections 50,200``).

It creates a throwaway database (``factcheck_load``) on the configured PostgreSQL (DATABASE_URL; the embedded one when
unset), migrates it, loads the demo data and a realistic desk (200 articles of about 6 KB with 10 claims each, one
piece of evidence per claim, a verdict on every other claim and 200 published fact-checks), collects the static
files, and starts the Procfile's web process, as `make run` and docker-compose.yml run it (gunicorn, 3 sync workers;
DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1; plain http, as behind a TLS proxy). Then wrk (Debian's
package, installed with apt-get when missing) runs for a bounded time against each page at each connection count:

- floor: a static file through the same gunicorn and whitenoise (what the server can do with no app work);
- the public fact-check page (anonymous), the article list, the reader and ``GET /api/claims/`` (signed in with a
  session cookie as the demo editor);
- ``GET /api/claims/`` again with the ETag of the first answer in If-None-Match, as a polling client sends it
  (a 304 while nothing changed).

It prints req/s, p50/p99 latency and errors (non-2xx/3xx answers and socket errors) per run, and each page's
throughput as a share of the floor measured in the same run: the machine is shared, so absolute figures are noisy
and only the ratio to the floor compares across runs. Everything is stopped and the database dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "factcheck_load"
WORKERS = 3  # the Procfile's web line (gunicorn --workers 3)
ARTICLES, CLAIMS_PER_ARTICLE, PUBLISH_EVERY = 200, 10, 10

WORK = Path(tempfile.mkdtemp(prefix="factcheck-load-"))
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",  # wrk speaks plain http on loopback; production terminates TLS in front
    "CELERY_BROKER_URL": "filesystem://",  # no worker runs: task messages just pile up in WORK
    "FACTCHECK_DATA_DIR": str(WORK / "data"),
    "STATIC_ROOT": str(WORK / "static"),
    "MEDIA_ROOT": str(WORK / "media"),
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "factcheck.settings",
}


def database_url() -> str:
    from factcheck import embedded

    embedded.ensure_database_url()
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + DATABASE))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def drop_database(url: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


# --------------------------------------------------------------------------------------------------- the desk

SENTENCES = [
    "The ministry said exports of grain rose by {n} per cent last year, the highest figure since 2011.",
    "Officials in the capital have not commented on the report, which was published on {d} March.",
    "According to the statistics office, unemployment fell to {n}.4 per cent in the second quarter.",
    "The opposition leader claimed that {n} hospitals had closed during the government's term.",
    "Analysts at the central bank expect inflation to stay above target until at least {y}.",
    "The mayor told reporters that crime in the city centre had halved since {y}.",
    "Campaigners say the new law will affect more than {n},000 households across the region.",
    "Figures seen by this newspaper show that spending on roads was cut by a third in {y}.",
]


def article_text(index: int) -> str:
    paragraphs = []
    for p in range(12):
        sentences = [
            SENTENCES[(index + p + s) % len(SENTENCES)].format(
                n=10 + (index * 7 + p * 3 + s) % 80, d=1 + s, y=2000 + p
            )
            for s in range(4)
        ]
        paragraphs.append(f"({p + 1}) " + " ".join(sentences))
    return f"Desk story {index}\n\n" + "\n\n".join(paragraphs)


def fill_desk() -> dict:
    """Demo data plus the desk, through the services (as editors and reviewers make them)."""
    from django.contrib.auth import get_user_model

    from annotations import demo, services
    from annotations.models import Claim, Rating

    demo.load_demo()
    User = get_user_model()
    editor, reviewer = User.objects.get(username="editor"), User.objects.get(username="reviewer")
    rating = Rating.objects.order_by("position").first()
    published_claim = reader_article = None
    started = time.monotonic()
    for a in range(ARTICLES):
        result = services.article_import(
            actor=editor,
            title=f"Desk story {a}",
            text=article_text(a),
            origin="pasted",
            url=f"https://news.example/desk/{a}",
        )
        text = result.revision.text
        for c in range(CLAIMS_PER_ARTICLE):
            marker = f"({c + 1}) "
            start = text.index(marker) + len(marker)
            end = text.index(".", start) + 1
            claim = services.claim_create(
                actor=editor,
                revision=result.revision,
                start=start,
                end=end,
                exact=text[start:end],
                claimant=f"Speaker {c}",
                claim_reviewed=text[start:end][:70],
            )
            services.evidence_add(
                actor=editor,
                claim=claim,
                url=f"https://stats.example/table/{(a * CLAIMS_PER_ARTICLE + c) % 300}",
                stance="supports",
                quote=text[start : start + 30],
                note="Table 4, row 12.",
            )
            if c % 2:
                continue
            verdict = services.verdict_save(
                actor=editor, claim=claim, rating=rating, explanation=f"Checked against the official table ({a}/{c})."
            )
            if c % PUBLISH_EVERY == 0:
                verdict = services.verdict_submit(actor=editor, verdict=verdict)
                verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
                services.verdict_publish(actor=reviewer, verdict=verdict)
                published_claim = claim
        reader_article = result.article
        if a % 50 == 49:
            print(f"  {a + 1} articles ({time.monotonic() - started:.0f} s)", flush=True)
    return {
        "claims": Claim.objects.count(),
        "published_claim": published_claim.pk,
        "reader_article": reader_article.pk,
        "editor": editor,
    }


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


# ------------------------------------------------------------------------------------------- server and wrk


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    """The Procfile's web line (what `make run` and docker-compose.yml run), through factcheck.processes (honcho)."""
    gunicorn_args = f"--bind=127.0.0.1:{port} --timeout=60 --log-level=warning"
    command = [sys.executable, "-m", "factcheck.processes", "web"]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**env, "GUNICORN_CMD_ARGS": gunicorn_args}, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's package", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, stdout=subprocess.DEVNULL)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * UNITS[unit]


def run_wrk(wrk: str, url: str, connections: int, duration: int, headers: list[str]) -> dict:
    command = [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", url]
    for header in headers:
        command[1:1] = ["-H", header]
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60).stdout
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    if socket_errors := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": errors,
    }


def check_page(url: str, headers: list[str]) -> None:
    """Each page answers 200 before it is loaded (a redirect to the login page would measure the wrong thing)."""
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200 or response.url != url:
            raise SystemExit(f"{url} answered {response.status} at {response.url}")


def etag_of(url: str, headers: list[str]) -> str:
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["ETag"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", default="50,200", help="comma-separated connection counts")
    parser.add_argument("--keep", action="store_true", help="keep the database and its files afterwards")
    args = parser.parse_args()
    wrk = ensure_wrk()

    url = database_url()
    recreate_database(url)
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": url}
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.templatetags.static import static

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Loading the demo data and the desk ({ARTICLES} articles, {ARTICLES * CLAIMS_PER_ARTICLE} claims)...")
    desk = fill_desk()
    cookie = session_cookie(desk["editor"])
    from django.db import connection, connections

    # A desk's database has planner statistics (autovacuum keeps them); a freshly filled one has none yet.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    connections.close_all()

    port = free_port()
    server = start_gunicorn(env, port)
    base = f"http://127.0.0.1:{port}"
    signed_in = [f"Cookie: {cookie}"]
    targets = [
        ("floor: static file", base + static("annotations/reader.js"), []),
        ("public fact-check", f"{base}/fact-checks/{desk['published_claim']}/", []),
        ("article list", f"{base}/articles/", signed_in),
        ("reader (10 claims)", f"{base}/articles/{desk['reader_article']}/", signed_in),
        ("GET /api/claims/", f"{base}/api/claims/", signed_in),
    ]
    # A client polling the list with the ETag it has (If-None-Match): 304 while nothing changed.
    api_etag = etag_of(f"{base}/api/claims/", signed_in)
    targets.append(("GET /api/claims/ 304", f"{base}/api/claims/", [*signed_in, f"If-None-Match: {api_etag}"]))
    results = []
    try:
        for name, target, headers in targets:
            if not name.endswith("304"):
                check_page(target, headers)
            run_wrk(wrk, target, 10, 2, headers)  # warm up every worker (imports, templates, connections)
        for connections_count in (int(c) for c in args.connections.split(",")):
            for name, target, headers in targets:
                result = run_wrk(wrk, target, connections_count, args.duration, headers)
                results.append((name, connections_count, result))
                print(f"  {name:20} c={connections_count:<4} {result['rps']:8.1f} req/s", flush=True)
    finally:
        stop(server)
        if not args.keep:
            drop_database(url)
            shutil.rmtree(WORK, ignore_errors=True)

    print()
    print(f"gunicorn {WORKERS} sync workers, wrk -t2, {args.duration} s per run, {desk['claims']} claims; 127.0.0.1")
    header = (
        f"{'page':20} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>6} {'floor':>6}"
    )
    print(header)
    print("-" * len(header))
    floors = {c: r["rps"] for name, c, r in results if name.startswith("floor")}
    for name, conns, r in results:
        share = r["rps"] / floors[conns] if floors.get(conns) else 0
        print(
            f"{name:20} {conns:5d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} {r['requests']:9d} "
            f"{r['errors']:6d} {share:6.2f}"
        )
    print("floor = the page's req/s as a share of the static file's in the same run (the machine is shared).")


if __name__ == "__main__":
    main()
