"""Django's database sessions, with a signed-in session kept in worker memory while the desk's version holds.

Every signed-in request reads its session row first. Sessions are written only when signing in or out, or when a
session's data changes, and each such write moves the desk's version (desk_version.py), so a session read under
one version is the same row for as long as that version is current. Expiry is still checked on every request.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.utils import timezone

from . import desk_version


class SessionStore(db.SessionStore):
    def load(self):
        if not self.session_key:
            return {}
        row = desk_version.remembered(("session", self.session_key), self._row)
        if row is None or row.expire_date <= timezone.now():
            self._session_key = None  # as Django's own store does for a missing or expired session
            return {}
        return self.decode(row.session_data)  # a new dict each time: the request may change its session

    def _row(self):
        # Expiry is checked on every load (above), not here: a kept row must still expire on time.
        return self.model.objects.filter(session_key=self.session_key).first()
