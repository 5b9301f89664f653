"""Capture throughput with the real worker setup (a script, not a test).

A local asyncio server answers N distinct URLs, each after 200 ms, with a 100 KB HTML article. Fetch workers
(threads pool: --fetchers processes x --concurrency threads, fetch queue) and an extract worker (prefork,
--extractors children at --nice, extract queue) capture them all through the broker and PostgreSQL, as
deployed. Prints captures per second for the fetch stage (until the last body is stored) and end to end (until
the last capture is done, extraction and quote checks included), the fetch stage's wall time against its ideal
(N x 0.2 s / all fetch threads), where the CPU went (per capture: workers, PostgreSQL, Redis, whole machine)
and how many requests were in flight at the server on average.

    CELERY_BROKER_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/fetch.py [--fetchers 2 --concurrency 40]

Uses DATABASE_URL's server (or the embedded one) with a database of its own, `factcheck_bench`, recreated on
every run, and CELERY_BROKER_URL (Redis, as in production; the filesystem broker is the default). Workers run
with production settings (DEBUG off).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DELAY = 0.2
WORDS = [
    *[
        "the",
        "council",
        "approved",
        "budget",
        "after",
        "long",
        "debate",
        "about",
        "school",
        "funding",
        "arms",
        "exporters",
        "russia",
        "france",
    ],
    *[
        "germany",
        "china",
        "united",
        "states",
        "global",
        "share",
        "fell",
        "report",
        "institute",
        "trends",
        "transfers",
        "deliveries",
    ],
]


def article(i: int, size: int = 100_000) -> bytes:
    rnd = random.Random(i)
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Article {i}</title></head><body>"]
    parts.append("<nav><a href='/'>Home</a></nav><article><h1>Article {i}</h1>")
    length = sum(map(len, parts))
    while length < size:
        paragraph = "<p>" + " ".join(rnd.choice(WORDS) for _ in range(90)) + ".</p>\n"
        parts.append(paragraph)
        length += len(paragraph)
    parts.append("</article><footer>Copyright</footer></body></html>")
    return "".join(parts).encode()


class SlowServer:
    """asyncio HTTP server in a process of its own (so that it takes no GIL time from the process that enqueues):
    every request waits DELAY seconds, then gets its article (one per path)."""

    def __init__(self, urls: int) -> None:
        self.urls = urls
        self._served = multiprocessing.Value("i", 0)
        # Requests in flight integrated over time (request-seconds), to tell waiting on the server from the rest.
        self._busy = multiprocessing.Value("d", 0.0)
        parent, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=self._run, args=(child,), daemon=True)
        self.process.start()
        self.port = parent.recv()

    @property
    def served(self) -> int:
        return self._served.value

    @property
    def busy(self) -> float:
        return self._busy.value

    def _run(self, pipe) -> None:
        self.bodies = {f"/a/{i}": article(i) for i in range(self.urls)}
        loop = asyncio.new_event_loop()
        server = loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024))
        pipe.send(server.sockets[0].getsockname()[1])
        loop.run_forever()

    async def _handle(self, reader, writer) -> None:
        began = time.monotonic()
        try:
            request = await reader.readuntil(b"\r\n\r\n")
            path = request.split(b" ", 2)[1].decode()
            await asyncio.sleep(DELAY)
            body = self.bodies.get(path)
            status = b"200 OK" if body is not None else b"404 Not Found"
            body = body if body is not None else b"not found"
            writer.write(
                b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
            )
            await writer.drain()
            with self._served.get_lock():
                self._served.value += 1
                self._busy.value += time.monotonic() - began
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def forget_queues(app, prefix: str) -> None:
    """Delete this run's queues and kombu's records of them from Redis (the queue names are new every run)."""
    if not app.conf.broker_url.startswith("redis"):
        return
    with app.connection() as connection:
        client = connection.default_channel.client
        keys = [*client.scan_iter(f"{prefix}*"), *client.scan_iter(f"_kombu.binding*.{prefix}*")]
        if keys:
            client.delete(*keys)


def bench_database() -> str:
    from factcheck import embedded

    embedded.ensure_database_url()
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS factcheck_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE factcheck_bench")
    return urlunsplit(urlsplit(url)._replace(path="/factcheck_bench"))


def cpu_by_group(workers) -> dict[str, float]:
    """CPU seconds (user + system, reaped children included) of the fetch workers, the extract worker (the last
    of `workers`), PostgreSQL and Redis (every such process on the machine), from one pass over /proc; plus the
    whole machine's busy time."""
    sessions = {w.pid: "fetch workers" for w in workers[:-1]} | {workers[-1].pid: "extract worker"}
    commands = {"postgres": "PostgreSQL", "redis-server": "Redis"}
    groups = dict.fromkeys([*sessions.values(), *commands.values()], 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, tail = stat.read_text().rpartition(")")
        except OSError:  # the process ended meanwhile
            continue
        fields = tail.split()  # state, ppid, pgrp, session, ... utime stime cutime cstime at 11-14
        group = sessions.get(int(fields[3])) or commands.get(head.partition("(")[2])
        if group:
            groups[group] += sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    # user, nice, system, idle, iowait, irq, softirq, steal, guest...: busy is user to softirq less idle and iowait
    # (guest time is already inside user; steal is the hypervisor's).
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in Path("/proc/stat").read_text().split()[1:8])
    groups["whole machine"] = (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")
    return groups


def cpu_used(workers, since: dict[str, float] | None = None) -> dict[str, float]:
    now = cpu_by_group(workers)
    return {name: value - (since or {}).get(name, 0.0) for name, value in now.items()}


def start_worker(env, name, queue, pool, concurrency, log, nice=0, prefetch=None):
    if pool == "prefork":  # one connection per child, reused across tasks (see CELERY_DB_REUSE_MAX in settings)
        env = {**env, "CELERY_DB_REUSE_MAX": "100"}
    command = [
        *(["nice", "-n", str(nice)] if nice else []), sys.executable, "-m", "celery", "-A", "factcheck", "worker",
        "--loglevel=WARNING", "-n", f"{name}@%h",
        "-Q", queue, "--pool", pool, "--concurrency", str(concurrency),
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        *(["--prefetch-multiplier", str(prefetch)] if prefetch else []),
    ]  # fmt: skip
    out = open(log, "wb")  # noqa: SIM115 (kept open for the worker's lifetime)
    # A session of its own, to measure (and stop) the worker with its children. With the kernel's autogroup
    # scheduling, though, a new session is also a new scheduling group, and nice only ranks processes within their
    # group: the session's group itself has to be niced, or the extractor takes an equal share from the fetchers.
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    autogroup = Path(f"/proc/{worker.pid}/autogroup")
    if nice and autogroup.exists():
        try:
            autogroup.write_text(str(nice))
        except OSError as exc:
            print(f"could not nice the scheduling group of {name}: {exc}", file=sys.stderr)
    return worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--fetchers", type=int, default=2, help="fetch worker processes")
    parser.add_argument("--concurrency", type=int, default=40, help="threads (or greenlets) per fetch worker")
    parser.add_argument(
        "--pool",
        default="threads",
        choices=["threads", "gevent"],
        help="pool of the fetch workers (gevent: pip install gevent first; it is not a dependency)",
    )
    parser.add_argument(
        "--extractors", type=int, default=(os.cpu_count() or 2) + 1, help="processes of the extract worker"
    )
    parser.add_argument("--extract-prefetch", type=int, default=4, help="prefetch multiplier of the extract worker")
    parser.add_argument("--nice", type=int, default=19, help="niceness of the extract worker (0: same as fetching)")
    args = parser.parse_args()

    server = SlowServer(args.urls)
    os.environ["DATABASE_URL"] = bench_database()
    run = uuid.uuid4().hex[:8]
    media = tempfile.mkdtemp(prefix="bench-media-")
    os.environ.update(
        {
            # Production settings: DEBUG would keep every query's SQL in memory and time it (a third of the CPU).
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "MEDIA_ROOT": media,
            "FETCH_QUEUE": f"bench-{run}-fetch",
            "EXTRACT_QUEUE": f"bench-{run}-extract",
            "FETCH_ALLOW_LOOPBACK": "1",
            "FETCH_ALLOWED_PORTS": f"80,443,{server.port}",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count, Max, Q

    from annotations import tasks
    from annotations.models import Capture

    call_command("migrate", verbosity=0)
    print(f"broker {settings.CELERY_BROKER_URL.split('@')[-1]}, database factcheck_bench, {args.urls} URLs")

    captures = Capture.objects.bulk_create(
        Capture(url=f"http://127.0.0.1:{server.port}/a/{i}") for i in range(args.urls)
    )
    logs = Path(media) / "logs"
    logs.mkdir()
    env = dict(os.environ)
    # Enqueueing is the web tier's work, timed on its own; the fetcher starts on an idle queue and is switched to
    # the fetch queue (already full) once everything is up, so the stages are timed from that moment.
    t0 = time.monotonic()
    for capture in captures:
        tasks.fetch_capture.delay(capture.pk)
    enqueued = time.monotonic() - t0
    fetchers = [f"fetcher{i}" for i in range(1, args.fetchers + 1)]
    workers = [
        *(
            start_worker(env, name, settings.FETCH_QUEUE + "-idle", args.pool, args.concurrency, logs / f"{name}.log")
            for name in fetchers
        ),
        start_worker(
            env,
            "extractor",
            settings.EXTRACT_QUEUE,
            "prefork",
            args.extractors,
            logs / "extractor.log",
            nice=args.nice,
            prefetch=args.extract_prefetch,
        ),
    ]
    try:
        deadline = time.monotonic() + 60
        names = {f"{n}@{os.uname().nodename}" for n in (*fetchers, "extractor")}
        while not names <= {name for reply in tasks.fetch_capture.app.control.ping(timeout=0.5) for name in reply}:
            if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
                sys.exit("workers did not start; see " + str(logs))
        # The workers log at WARNING, so "ready." never shows; they are up once they have connected.
        from django.utils import timezone

        start = timezone.now()
        t0 = time.monotonic()
        cpu0 = cpu_used(workers)
        busy0 = server.busy
        tasks.fetch_capture.app.control.add_consumer(
            settings.FETCH_QUEUE, destination=[f"{name}@{os.uname().nodename}" for name in fetchers], reply=True
        )
        stage_cpu = None
        while True:
            counts = Capture.objects.aggregate(
                done=Count("pk", filter=Q(status="done")),
                failed=Count("pk", filter=Q(status="failed")),
                waiting=Count("pk", filter=Q(status__in=["pending", "fetching"])),
            )
            if stage_cpu is None and not counts["waiting"]:  # the fetch stage is over (to within one poll)
                stage_cpu = cpu_used(workers, cpu0)
            if counts["done"] + counts["failed"] >= args.urls or time.monotonic() - t0 > 600:
                break
            time.sleep(0.2)
        times = Capture.objects.aggregate(fetched=Max("fetched_at"), finished=Max("finished_at"))
        busy = server.busy - busy0
        cpu = cpu_used(workers, cpu0)
        stage_cpu = stage_cpu or cpu
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGQUIT)
        for worker in workers:
            worker.wait(30)
        try:
            forget_queues(tasks.fetch_capture.app, f"bench-{run}-")
        except Exception as exc:  # not worth hiding the run's own outcome or error for
            print(f"could not remove this run's queues from the broker: {exc}", file=sys.stderr)

    if counts["failed"]:
        errors = Capture.objects.filter(status="failed").values_list("error_code", flat=True).distinct()
        print(f"FAILED captures: {counts['failed']} ({', '.join(errors)})")
    fetch_wall = (times["fetched"] - start).total_seconds()
    total_wall = (times["finished"] - start).total_seconds()
    ideal = args.urls * DELAY / (args.concurrency * args.fetchers)
    print(
        f"fetch workers: {args.fetchers} x {args.pool} pool x {args.concurrency}; "
        f"extract worker: prefork x {args.extractors}, prefetch x {args.extract_prefetch}, nice {args.nice}"
    )
    print(f"enqueue {args.urls} messages (before the stages): {enqueued:.2f} s")
    print(f"fetch stage:  {fetch_wall:6.2f} s  {args.urls / fetch_wall:7.1f} captures/s  (target >= 200)")
    print(f"end to end:   {total_wall:6.2f} s  {args.urls / total_wall:7.1f} captures/s  (target >= 40)")
    print(f"fetch stage / ideal ({args.urls} x {DELAY} s / {args.concurrency * args.fetchers} = {ideal:.2f} s): "
          f"{fetch_wall / ideal:.2f}  (target <= 2)")  # fmt: skip
    per = 1000 / args.urls
    print("CPU per capture, end to end:  " + ", ".join(f"{name} {value * per:.1f} ms" for name, value in cpu.items()))
    print("CPU during the fetch stage:   " + ", ".join(f"{name} {value:.1f} s" for name, value in stage_cpu.items()))
    print(
        f"requests in flight at the server during the fetch stage: {busy / fetch_wall:.1f} on average "
        f"(of {args.concurrency * args.fetchers} fetch threads)"
    )
    print(f"requests served: {server.served}, done: {counts['done']}")


if __name__ == "__main__":
    main()
