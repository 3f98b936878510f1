"""Has anything been written to the database since? A token that tells, for results kept between requests.

On PostgreSQL the token is the write-ahead log's insert position (`pg_current_wal_insert_lsn()`): every change to a
row, every commit and every rollback of a transaction that wrote moves it forward, in any process and any connection,
and reads never move it. A result computed after reading the token T is therefore still exact while the token is T:
nothing was written since, so the same queries would return the same rows. (The position is the cluster's: a write to
another database of the same server moves it too, which only costs a recomputation.) This holds under the isolation
Django and these settings use, read committed, where each query sees every commit made before it starts; under
repeatable read, a transaction's older snapshot could miss writes the token already counts.

There is no token — None, "cannot tell", so nothing may be reused — on other databases (SQLite under `make run`
and the local tests) and inside a transaction that has itself written: what it reads is not yet anyone else's, and
a rollback would take it back.
"""

from django.db import DEFAULT_DB_ALIAS, connections

# One round trip, no table read: the position, and this transaction's id if it has written (NULL otherwise).
TOKEN_SQL = "SELECT pg_current_wal_insert_lsn()::text, pg_current_xact_id_if_assigned()"  # noqa: S105 - SQL, no secret


def change_token(using=DEFAULT_DB_ALIAS):
    """The database's change token, or None when results must not be reused (see the module's docstring)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(TOKEN_SQL)
        position, own_transaction = cursor.fetchone()
    return position if own_transaction is None else None
