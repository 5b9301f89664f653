"""Django's database sessions, with a signed-in session kept in worker memory while the desk's version holds.

Every signed-in request reads its session row first. Sessions are written only when signing in or out, or when a
session's data changes, and each such write moves the desk's version (desk_version.py), so a session read under
one version is the same row for as long as that version is current. Expiry is still checked on every request.
"""

from __future__ import annotations

import copy

from django.contrib.sessions.backends import db
from django.utils import timezone

from . import desk_version
from .worker_memory import WorkerMemory

SESSIONS = WorkerMemory(2000)


class SessionStore(db.SessionStore):
    def load(self):
        version = desk_version.current()
        if version is not None and self.session_key:
            stored = SESSIONS.get(self.session_key)
            if stored is not None and stored[0] == version and stored[1] > timezone.now():
                return copy.deepcopy(stored[2])  # the request may change its session; the stored one stays
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        if version is not None:
            SESSIONS.put(row.session_key, (version, row.expire_date, copy.deepcopy(data)))
        return data
