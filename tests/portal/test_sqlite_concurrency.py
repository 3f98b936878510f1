"""`make run`'s embedded SQLite under a handful of concurrent clients: no "database is locked", no lost update.

The database settings are those portal/settings.py gives without DATABASE_URL (the file executed afresh, so this
runs the same in CI, whose suite is on PostgreSQL), pointed at a temporary file. Six threads, each with its own
connection, run transactions that read and then write, the shape of a sign-in, a ballot or a new meeting: with
SQLite's default deferred transactions two of them holding the read lock both want the write lock, and one is
refused at once, whatever the busy timeout; BEGIN IMMEDIATE makes them queue instead.
"""

import contextlib
import importlib.util
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

SETTINGS_FILE = Path(settings.BASE_DIR) / "portal" / "settings.py"
THREADS = 6
TRANSACTIONS = 25


def embedded_database(monkeypatch, tmp_path):
    """DATABASES["default"] as `make run` has it (DEBUG, no DATABASE_URL), with its file in tmp_path."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    spec = importlib.util.spec_from_file_location("portal_settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DATABASES["default"]


@pytest.fixture
def database_alias(monkeypatch, tmp_path, django_db_blocker):
    """A database alias of its own on the embedded settings; each thread that uses it gets its own connection."""

    def register(config):
        alias = f"sqlite_concurrency_{len(registered)}"
        connections.settings[alias] = connections.configure_settings({"default": dict(config)})["default"]
        registered.append(alias)
        return alias

    registered = []
    with django_db_blocker.unblock():
        yield register
    for alias in registered:
        connections.settings.pop(alias, None)
        if hasattr(connections._connections, alias):
            delattr(connections._connections, alias)


def run_clients(alias):
    """Every thread's transactions: read the counter, write it back plus one, add a row. Returns the errors."""
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        cursor.execute("CREATE TABLE vote (id INTEGER PRIMARY KEY, client INTEGER NOT NULL)")
        cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
    connections[alias].close()
    errors = []
    start = threading.Barrier(THREADS)
    # In the first transaction every client has read before any writes, as happens under load: with deferred
    # transactions all then hold the read lock and want the write lock. Under BEGIN IMMEDIATE the others wait in
    # BEGIN instead, the meeting point is never full, and its short timeout lets the first one go on.
    have_read = threading.Barrier(THREADS)

    def client(number):
        try:
            start.wait()
            for round_number in range(TRANSACTIONS):
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    (value,) = cursor.fetchone()
                    if round_number == 0:
                        with contextlib.suppress(threading.BrokenBarrierError):
                            have_read.wait(timeout=0.3)
                    cursor.execute("INSERT INTO vote (client) VALUES (%s)", [number])
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
        except OperationalError as error:
            errors.append(str(error))
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=client, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def counts(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        (value,) = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM vote")
        (votes,) = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode")
        (journal_mode,) = cursor.fetchone()
    connections[alias].close()
    return value, votes, journal_mode


def test_embedded_sqlite_settings_are_wal_immediate_with_a_busy_timeout(monkeypatch, tmp_path):
    config = embedded_database(monkeypatch, tmp_path)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "portal.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_concurrent_writers_never_see_database_is_locked(monkeypatch, tmp_path, database_alias):
    alias = database_alias(embedded_database(monkeypatch, tmp_path))

    errors = run_clients(alias)

    assert errors == []
    assert counts(alias) == (THREADS * TRANSACTIONS, THREADS * TRANSACTIONS, "wal")


def test_without_those_settings_the_same_clients_are_refused(monkeypatch, tmp_path, database_alias):
    """The check above can fail: SQLite's defaults (deferred transactions) lock out the same workload."""
    config = embedded_database(monkeypatch, tmp_path)
    config = {**config, "NAME": str(tmp_path / "defaults.sqlite3"), "OPTIONS": {}}
    alias = database_alias(config)

    errors = run_clients(alias)

    assert errors
    assert all("database is locked" in error for error in errors)
    value, votes, _ = counts(alias)
    assert value == votes < THREADS * TRANSACTIONS


def test_the_test_suites_database_takes_the_options_of_its_engine(db):
    """The suite's in-memory SQLite runs with the same OPTIONS (WAL is not for memory: it stays "memory"); on
    PostgreSQL (CI) none of SQLite's options reach the connection."""
    connection = connections["default"]
    options = connection.settings_dict.get("OPTIONS", {})
    if connection.vendor != "sqlite":
        assert not {"transaction_mode", "init_command", "timeout"} & set(options)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (journal_mode,) = cursor.fetchone()
    assert connection.transaction_mode == "IMMEDIATE"
    assert journal_mode == "memory"
