"""Backup and restore (portal/backup.py, `manage.py backup` and `restore`): a round trip keeps every row and every
file, and an issued document downloads byte-identical from the restored copy; a restore refuses a target that is
not empty, an archive changed after it was made and a schema newer than the code, each time changing nothing.

The source is the test database itself, with the demo data, an issued consolidated report's stored XLSX and a few
files of its own. What a backup reads must be committed (pg_dump is another process; SQLite's backup API waits for
an open write transaction), so the module's data is committed once, backed up, and removed again (flush, then the
session's baseline put back, as after a transactional test). Restores go into databases made for the module: files
on SQLite, new databases on PostgreSQL, dropped at the end (each DROP DATABASE costs PostgreSQL a checkpoint, so
there are two: the round trip's copy and an empty one the refusals share).
"""

import hashlib
import io
import os
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from django.urls import reverse

from awards.models import Initiative, InitiativeScope
from demo.data import load_demo
from documents import stored
from portal.backup import RestoreRefused, create_backup, restore_backup
from portal.tasks import scheduled_backup
from reports.models import ConsolidatedReport
from tests.celery_worker import celery_conf
from tests.factories import PersonFactory, UnitFactory
from units.models import User

FUTURE_MIGRATION = ("reports", "9999_from_a_newer_release")
# The module's own files: a decision an initiative points to, and a file no row points to (kept all the same).
DECISION = b"%PDF-1.7\nquyet dinh cong nhan sang kien\n%%EOF\n"
LOOSE_NAME = "tệp lẻ/biên bản họp.pdf"
LOOSE = b"%PDF-1.7\nbien ban hop\n%%EOF\n"
MISSING = "records/2026/01/khong-con-tep.pdf"


@dataclass(frozen=True)
class Source:
    archive: Path
    newer_archive: Path
    manifest: dict
    counts: dict  # model label -> rows, through the ORM
    hashes: dict  # "private/<name>" -> sha256 of the files in storage
    decision_name: str
    issued_report: int  # an issued consolidated report's pk
    issued_xlsx: bytes  # its stored XLSX, as rendered


def _sha256(content):
    return hashlib.sha256(content).hexdigest()


def _model_counts(alias):
    return {
        model._meta.label: model._default_manager.using(alias).count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _folder_hashes(folder):
    folder = Path(folder)
    return {
        f"private/{path.relative_to(folder).as_posix()}": _sha256(path.read_bytes())
        for path in folder.rglob("*")
        if path.is_file()
    }


@contextmanager
def committed(django_db_blocker, baseline):
    """Writes inside are committed; afterwards the database is emptied and the session's baseline put back."""
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
            connection.creation.deserialize_db_from_string(baseline)


def _issued_report_with_its_xlsx():
    """An issued consolidated report of the demo and its stored XLSX, the one format rendered (the fastest)."""
    report = ConsolidatedReport.objects.filter(status=ConsolidatedReport.Status.ISSUED).order_by("pk").first()
    row = stored.stored_files(report)
    kind = stored.kind_of(report)
    with mock.patch.dict(stored.KINDS, {report._meta.label_lower: replace(kind, formats=("xlsx",))}):
        stored.render(stored_id=row.pk)
    row.refresh_from_db()
    assert row.final
    return report, row.xlsx.read()


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("source-files")
    backups = tmp_path_factory.mktemp("backups")
    with (
        override_settings(MEDIA_ROOT=folder),
        # Tasks inline, as in every test (tests/celery_worker.py; a module fixture comes before the autouse one).
        celery_conf(task_always_eager=True, task_eager_propagates=True),
        # Render jobs stay queued as in every test (tests/conftest.py); the one file needed is rendered below.
        mock.patch.object(stored.RENDER_JOB, "enqueue", return_value=False),
        committed(django_db_blocker, django_db_setup),
    ):
        load_demo(issued=True)
        report, issued_xlsx = _issued_report_with_its_xlsx()
        person = PersonFactory(unit=UnitFactory(code="SAOLUU", name="Phòng Sao lưu"))
        decided = Initiative(
            person=person, title="Số hóa hồ sơ", year=2025, recognised_by="Sở", scope=InitiativeScope.BASE
        )
        decided.file.save("quyet-dinh.pdf", ContentFile(DECISION), save=True)
        Initiative.objects.create(
            person=person, title="Tệp đã mất", year=2024, recognised_by="Sở", scope=InitiativeScope.BASE, file=MISSING
        )
        (folder / LOOSE_NAME).parent.mkdir(parents=True)
        (folder / LOOSE_NAME).write_bytes(LOOSE)
        backup = create_backup(backups)
        counts = _model_counts("default")
        hashes = _folder_hashes(folder)
        # django_migrations is no model's table: the flush leaves it, so the row goes as it came.
        MigrationRecorder(connection).record_applied(*FUTURE_MIGRATION)
        try:
            newer = create_backup(backups)
        finally:
            MigrationRecorder(connection).record_unapplied(*FUTURE_MIGRATION)
    return Source(backup.path, newer.path, backup.manifest, counts, hashes, decided.file.name, report.pk, issued_xlsx)


@contextmanager
def new_database(alias, tmp_path):
    """A database with no tables under `alias`: a new file on SQLite, a new database on PostgreSQL."""
    default = connections["default"]
    postgres = default.vendor == "postgresql"
    name = f"{default.settings_dict['NAME']}_{alias}"[:63] if postgres else str(tmp_path / f"{alias}.sqlite3")
    if postgres:
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    connections.settings[alias] = {**default.settings_dict, "NAME": name}
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
        if postgres:
            with default.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Restored:
    alias: str
    folder: Path
    result: object


@pytest.fixture(scope="module")
def restored(source, django_db_blocker, tmp_path_factory):
    """The module's archive restored once, through `restore_backup`, into a new database and an empty folder."""
    tmp_path = tmp_path_factory.mktemp("restored")
    with django_db_blocker.unblock(), new_database("restored", tmp_path) as alias:
        result = restore_backup(source.archive, using=alias, roots={"private": tmp_path / "files"})
        yield Restored(alias, tmp_path / "files", result)


@pytest.fixture(scope="module")
def _module_empty_database(django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), new_database("empty", tmp_path_factory.mktemp("empty")) as alias:
        yield alias


@pytest.fixture
def unblocked(django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def empty_database(_module_empty_database, unblocked):
    """The refusals' target: a database without tables (each test leaves it so)."""
    assert _tables(_module_empty_database) == []
    return _module_empty_database


def _tables(alias):
    with connections[alias].cursor() as cursor:
        return connections[alias].introspection.table_names(cursor)


def _restore(archive, alias, folder):
    return restore_backup(archive, using=alias, roots={"private": folder})


def test_a_round_trip_keeps_every_row_and_every_file(source, restored, unblocked):
    assert _model_counts(restored.alias) == source.counts
    assert _folder_hashes(restored.folder) == source.hashes
    assert restored.result.files == len(source.hashes) == 3  # the issued XLSX, the decision, the loose file
    assert restored.result.rows == sum(source.manifest["tables"].values())
    assert restored.result.pending_migrations == []
    decided = Initiative.objects.using(restored.alias).get(title="Số hóa hồ sơ")
    assert (restored.folder / decided.file.name).read_bytes() == DECISION


def test_the_manifest_lists_rows_files_versions_and_a_file_a_row_lost(source):
    manifest = source.manifest

    assert manifest["tables"]["awards_initiative"] == 2
    assert manifest["tables"]["units_user"] == source.counts["units.User"]
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == source.hashes
    assert manifest["files"][f"private/{LOOSE_NAME}"]["size"] == len(LOOSE)
    assert manifest["missing_references"] == [f"private/{MISSING}"]
    assert manifest["migrations"]["awards"] == MigrationLoader(None).graph.leaf_nodes("awards")[0][1]
    assert set(manifest["versions"]) >= {"django", "python", "database"}
    assert manifest["database"]["vendor"] == connection.vendor


def test_a_database_with_tables_is_refused(source, empty_database, tmp_path):
    folder = tmp_path / "restored-files"
    with connections[empty_database].cursor() as cursor:
        cursor.execute("CREATE TABLE left_behind (id integer)")
    try:
        with pytest.raises(RestoreRefused, match="Cơ sở dữ liệu đích đã có 1 bảng"):
            _restore(source.archive, empty_database, folder)

        assert _tables(empty_database) == ["left_behind"]
        assert not folder.exists()
    finally:
        with connections[empty_database].cursor() as cursor:
            cursor.execute("DROP TABLE left_behind")


def test_a_storage_folder_with_files_is_refused(source, empty_database, tmp_path):
    folder = tmp_path / "restored-files"
    folder.mkdir()
    (folder / "con-lai.pdf").write_bytes(b"left behind")

    with pytest.raises(RestoreRefused, match="đã có tệp"):
        _restore(source.archive, empty_database, folder)

    assert _tables(empty_database) == []
    assert [path.name for path in folder.iterdir()] == ["con-lai.pdf"]


def _tampered(archive, member_name, target):
    """A copy of `archive` with one byte of `member_name` changed, the manifest left as it was."""
    with tarfile.open(archive, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for member in original.getmembers():
            content = original.extractfile(member).read()
            if member.name == member_name:
                content = bytes([content[0] ^ 1]) + content[1:]
            copy.addfile(member, io.BytesIO(content))
    return target


@pytest.mark.parametrize("member", [f"files/private/{LOOSE_NAME}", "database"])
def test_an_archive_changed_after_the_backup_is_refused(source, empty_database, tmp_path, member):
    member = source.manifest["database"]["member"] if member == "database" else member
    tampered = _tampered(source.archive, member, tmp_path / "tampered.tar.gz")
    folder = tmp_path / "restored-files"

    with pytest.raises(RestoreRefused, match=f"mã SHA-256 của {member} không khớp"):
        _restore(tampered, empty_database, folder)

    assert _tables(empty_database) == []
    assert not any(folder.rglob("*"))


def test_a_schema_newer_than_the_code_is_refused(source, empty_database, tmp_path):
    folder = tmp_path / "restored-files"

    with pytest.raises(RestoreRefused, match="mã nguồn chưa có reports.9999_from_a_newer_release"):
        _restore(source.newer_archive, empty_database, folder)

    assert _tables(empty_database) == []
    assert not folder.exists()


def test_the_commands_back_up_prune_and_refuse_a_database_in_use(unblocked, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "portal-backup-20200101-013000.tar.gz"
    old.write_bytes(b"an old archive")
    os.utime(old, (1_577_811_000, 1_577_811_000))
    out = io.StringIO()

    call_command("backup", "--to", str(backups), "--keep", "1", stdout=out)

    archives = sorted(backups.glob("portal-backup-*.tar.gz"))
    assert len(archives) == 1
    assert archives[0] != old
    assert "Bản sao lưu:" in out.getvalue()
    assert "đã xóa 1 bản cũ" in out.getvalue()
    # The test database is in use: a restore into it is refused, whatever the archive.
    with pytest.raises(CommandError, match="Từ chối khôi phục: Cơ sở dữ liệu đích đã có"):
        call_command("restore", str(archives[0]))


def test_the_scheduled_backup_keeps_the_newest_archives(unblocked, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEEP = 2
    settings.BACKUP_DIR.mkdir()
    for day, stamp in enumerate(("20200101-013000", "20200102-013000", "20200103-013000"), start=1):
        old = settings.BACKUP_DIR / f"portal-backup-{stamp}.tar.gz"
        old.write_bytes(b"an old archive")
        os.utime(old, (1_577_811_000 + day * 86_400,) * 2)

    made = Path(scheduled_backup())

    kept = sorted(path.name for path in settings.BACKUP_DIR.glob("portal-backup-*.tar.gz"))
    assert kept == sorted(["portal-backup-20200103-013000.tar.gz", made.name])


@contextmanager
def default_database_is(alias):
    """The default connection (the views') reads the database of `alias` for a while."""
    settings_dict = connections["default"].settings_dict
    name = settings_dict["NAME"]
    connections["default"].close()
    settings_dict["NAME"] = connections.settings[alias]["NAME"]
    try:
        yield
    finally:
        connections["default"].close()
        settings_dict["NAME"] = name


@pytest.mark.postgres
def test_on_postgresql_the_demo_restores_whole_and_an_issued_report_downloads_byte_identical(
    source, restored, unblocked, settings
):
    with tarfile.open(source.archive, "r:gz") as archive:
        dump = archive.extractfile(source.manifest["database"]["member"]).read(5)
    assert dump == b"PGDMP"  # pg_dump's custom format
    assert _model_counts(restored.alias) == source.counts
    assert source.counts["reports.UnitReport"] > 0
    assert _folder_hashes(restored.folder) == source.hashes

    settings.MEDIA_ROOT = restored.folder
    with default_database_is(restored.alias):
        client = Client()
        client.force_login(User.objects.get(username="vanphong"))
        response = client.get(reverse("reports:consolidated_xlsx", args=[source.issued_report]))
        downloaded = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert downloaded == source.issued_xlsx
