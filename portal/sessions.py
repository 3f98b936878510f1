"""The session's idle timeout, written at most once a minute (SESSION_ENGINE and the session middleware).

Sessions end after SESSION_COOKIE_AGE without activity. Django's way of sliding that window,
SESSION_SAVE_EVERY_REQUEST, writes the session row back on every request — three queries (savepoint, update,
release) on each autosave of the report editor, the busiest request of a reporting deadline. Here a request that
changed nothing in the session writes it only when the end it has in the database is SESSION_REFRESH_SECONDS or more
behind a full SESSION_COOKIE_AGE from now: the session still ends between SESSION_COOKIE_AGE − SESSION_REFRESH_SECONDS
and SESSION_COOKIE_AGE after the last request, and a burst of requests costs one write a minute.
"""

import datetime

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, remembering the end the loaded row has (`stored_expiry`, None before a load)."""

    stored_expiry = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.stored_expiry = row.expire_date if row is not None else None
        return row

    def needs_refresh(self):
        """Whether the stored end has fallen SESSION_REFRESH_SECONDS behind a full idle timeout from now."""
        if self.stored_expiry is None:
            return True
        refresh_from = timezone.now() + datetime.timedelta(
            seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS
        )
        return self.stored_expiry <= refresh_from


class SlidingSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and not session.modified
            and not session.is_empty()
            and getattr(session, "needs_refresh", lambda: True)()
        ):
            session.modified = True  # written by Django's middleware, with the end pushed forward
        return super().process_response(request, response)
