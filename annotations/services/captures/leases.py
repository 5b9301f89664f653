"""Claiming a stage of a capture, and fencing every later write of it.

How a capture survives duplicates and dead workers
--------------------------------------------------
A worker *claims* a stage with one conditional UPDATE: the fetch from ``pending`` (or from ``fetching`` whose
lease has expired), the extraction from ``extracting`` not yet taken (or whose lease has expired). The claim
increments the stage's attempt counter, which is also the fencing token: every later write is conditional on
the status and counter the claim set, so a worker that lost its lease can never overwrite the work of the worker
that took over. A lease lasts FETCH_TIME_LIMIT seconds from ``started_at``: no stage runs longer (the fetch has
its own deadline, extraction a hard time limit), so a capture still in a stage after that has lost its worker.

- A duplicate message finds the capture taken (or finished) and does nothing; if the stage is still leased it
  looks again once the lease has expired, so it also serves as the redelivery when the holder died.
- Tasks acknowledge late and are requeued when a worker dies (Redis redelivers after its visibility timeout):
  the redelivered message re-claims the capture once the lease has expired, spending one more attempt.
- When the attempts are used up, the capture fails with ``worker_lost`` instead of being taken again.
- The periodic recovery sweep re-sends the message of any capture whose lease expired or whose message never
  arrived (a broker without redelivery, a broker down at commit time), and fails those out of attempts.
So a capture ends done at most once, and a worker killed mid-fetch leads to one successful capture.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ... import jobs
from ...models import Capture
from .policy import lease

S = Capture.Status
# The two worker stages: the status a claim moves to, its attempt counter and its task.
FETCH, EXTRACT = "fetch", "extract"
STAGES = {
    FETCH: (S.FETCHING, "attempts", jobs.FETCH_CAPTURE),
    EXTRACT: (S.EXTRACTING, "extract_attempts", jobs.EXTRACT_CAPTURE),
}
WORKER_LOST = "worker_lost"

# Every column but the extracted text, which no stage reads back from its claim (it stays deferred).
_CLAIM_COLUMNS = [f.column for f in Capture._meta.concrete_fields if f.name != "text"]


def claim(capture_id: int, stage: str) -> Capture | None:
    """Take `stage` of the capture with one conditional UPDATE ... RETURNING; None if it is not claimable.

    This runs once per task on every worker, so it is one round trip rather than the ORM's update plus a get (which
    was a third of a fetch worker's CPU time); raw() turns the returned columns into the model, as a query would.
    The condition is the one described above.
    """
    status, counter, _task = STAGES[stage]
    now = timezone.now()
    quote = connection.ops.quote_name
    ready = "status = %s" if stage == FETCH else "(status = %s AND started_at IS NULL)"
    ready_status = S.PENDING if stage == FETCH else S.EXTRACTING
    clear_retry = ", next_attempt_at = NULL" if stage == FETCH else ""
    # Identifiers come from the model and constants; every value is a parameter.
    sql = (
        f"UPDATE {quote(Capture._meta.db_table)} "  # noqa: S608
        f"SET status = %s, started_at = %s, {counter} = {counter} + 1{clear_retry} "
        f"WHERE id = %s AND {counter} < %s AND ({ready} OR (status = %s AND started_at < %s)) "
        f"RETURNING {', '.join(quote(column) for column in _CLAIM_COLUMNS)}"
    )
    params = [status, now, capture_id, settings.FETCH_MAX_ATTEMPTS, ready_status, status, now - lease()]
    return next(iter(Capture.objects.raw(sql, params)), None)


def fenced_update(capture: Capture, stage: str, **changes) -> bool:
    """Write `changes` to the capture as long as it is still in the stage and attempt this worker claimed.

    Every write of a stage goes through here, each task's result included, so it is one plain UPDATE rather than
    the ORM's. Values are prepared by their fields as QuerySet.update() prepares them (no expressions). On success
    the changes are also set on `capture`, and so are the columns other requests may have changed meanwhile
    (an import asked for while the capture was in flight), read back in the same statement.
    """
    status, counter, _task = STAGES[stage]
    fields = [Capture._meta.get_field(name) for name in changes]
    quote = connection.ops.quote_name
    # Identifiers come from the model and the callers' keyword names (checked by get_field); values are parameters.
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {quote(Capture._meta.db_table)} SET {sets} "  # noqa: S608
        f"WHERE id = %s AND status = %s AND {counter} = %s RETURNING import_requested_by_id, article_id"
    )
    params = [f.get_db_prep_save(changes[f.name], connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, capture.pk, status, getattr(capture, counter)])
        row = cursor.fetchone()
    if row is None:
        return False
    for name, value in changes.items():
        setattr(capture, name, value)
    capture.import_requested_by_id, capture.article_id = row
    return True


def not_claimed(capture_id: int, stage: str) -> str:
    """A message for a capture this worker could not take: finished, taken by a live worker, or out of attempts."""
    status, counter, task = STAGES[stage]
    capture = Capture.objects.filter(pk=capture_id).first()
    if capture is None:
        return "missing"
    waiting_for_fetch = stage == FETCH and capture.status == S.PENDING
    if capture.status != status and not waiting_for_fetch:
        return f"already {capture.status}"
    now = timezone.now()
    if capture.status == status and capture.started_at is not None and capture.started_at + lease() > now:
        # Another worker holds the stage. Look again when its lease ends: if it died, this message takes over.
        jobs.send(task, capture_id, countdown=(capture.started_at + lease() - now).total_seconds() + 1)
        return "busy"
    if getattr(capture, counter) >= settings.FETCH_MAX_ATTEMPTS:
        fail(
            Capture.objects.filter(pk=capture.pk, status=capture.status, **{counter: getattr(capture, counter)}),
            code=WORKER_LOST,
            message=gave_up(getattr(capture, counter)),
        )
        return "failed"
    return "not claimable"


def gave_up(attempts: int) -> str:
    return (
        f"Gave up after {attempts} attempts: the worker stopped (it crashed, was killed or ran out of time) before "
        "the capture was finished."
    )


def failure(code: str, message: str) -> dict:
    return {
        "status": S.FAILED,
        "error_code": code[:50],
        "error_message": message,
        "finished_at": timezone.now(),
        "next_attempt_at": None,
    }


def fail(rows, *, code: str, message: str) -> int:
    """Fail the captures of `rows` (a queryset that says which state it expects them in)."""
    return rows.update(**failure(code, message))


def fail_stage(capture: Capture, stage: str, *, code: str, message: str, **fields) -> bool:
    """Fail the stage this worker claimed; nothing if another worker took it over meanwhile."""
    return fenced_update(capture, stage, **failure(code, message), **fields)
