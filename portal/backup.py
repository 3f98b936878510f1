"""Backup and restore: one archive of the database and the private files, with a manifest that proves the copy.

`create_backup` writes `portal-backup-<local time>.tar.gz`: `manifest.json` first (rows per table, sha256 and size
of every file, versions, the migrations applied, the time), then the database — pg_dump's custom format on
PostgreSQL, the online backup API's copy on SQLite — then the files under `files/<root>/`. The row counts, the
migrations and the files the rows point to are read from the same snapshot as the dump (an exported snapshot on
PostgreSQL, the copy itself on SQLite). Stored files get new random names and are never rewritten, so a file
written after the snapshot is only an extra in the archive; a row of the snapshot whose file is gone is listed in
the manifest (`missing_references`).

`restore_backup` reads the manifest first and refuses before changing anything: another database engine, a schema
newer than the code (a migration the code does not know), a database that has tables, a storage folder that has
files, an archive whose member does not match its sha256 (everything is unpacked beside the storage and checked
before the database is restored). Afterwards it counts every table and hashes every file again.
"""

import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField
from django.utils import timezone

from .uploads import private_storage

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
ARCHIVE_PREFIX = "portal-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
# Most of an archive is already compressed (pg_dump's custom format, PDF, DOCX, XLSX): a middle level costs
# little time for what it still saves (SQLite's pages, text).
COMPRESS_LEVEL = 6
CHUNK = 1024 * 1024
TOOL_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (Vietnamese) says why and what to do."""


class RestoreRefused(BackupError):
    """A restore refused before anything was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    files: int
    bytes: int
    pending_migrations: list


@dataclass(frozen=True)
class _Snapshot:
    server_version: str
    tables: dict  # table -> rows
    applied: list  # [app, name] in the order applied
    references: set  # "root/relative name" of every file a row points to
    tool_version: str = ""


def storage_roots():
    """{name in the archive: folder} of the private files: the private storage's root, MEDIA_ROOT if elsewhere."""
    roots = {"private": Path(private_storage.location)}
    media = Path(settings.MEDIA_ROOT)
    if media.resolve() != roots["private"].resolve():
        roots["media"] = media
    return roots


# --- reading a database -----------------------------------------------------------------------------------


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


_TABLES_SQL = {
    "postgresql": (
        "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    ),
    "sqlite": "SELECT 'main', name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
}


def _tables(cursor, vendor):
    """{label: quoted name} of every table; the label is the table's name, with its schema when not the default."""
    cursor.execute(_TABLES_SQL[vendor])
    tables = {}
    for schema, name in cursor.fetchall():
        if schema in {"public", "main"}:
            tables[name] = _quote(name)
        else:
            tables[f"{schema}.{name}"] = f"{_quote(schema)}.{_quote(name)}"
    return dict(sorted(tables.items()))


def _row_counts(cursor, vendor):
    counts = {}
    for label, quoted in _tables(cursor, vendor).items():
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 -- a table name read from the catalogue, quoted
        counts[label] = cursor.fetchone()[0]
    return counts


def _file_columns(roots):
    """(root, table, column) of every FileField whose storage is one of the roots' folders."""
    by_folder = {Path(folder).resolve(): name for name, folder in roots.items()}
    columns = set()
    for model in apps.get_models():
        for field in model._meta.local_concrete_fields:
            location = getattr(getattr(field, "storage", None), "location", None)
            if isinstance(field, FileField) and location and Path(location).resolve() in by_folder:
                columns.add((by_folder[Path(location).resolve()], model._meta.db_table, field.column))
    return sorted(columns)


def _facts(cursor, vendor, columns, server_version, tool_version=""):
    """What the manifest says of the database, read through `cursor` (inside the snapshot)."""
    tables = _row_counts(cursor, vendor)
    applied = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        applied = [[app, name] for app, name in cursor.fetchall()]
    references = set()
    for root, table, column in columns:
        if table not in tables:
            continue
        cursor.execute(
            f"SELECT {_quote(column)} FROM {_quote(table)} WHERE {_quote(column)} <> ''"  # noqa: S608 -- model columns
        )
        references.update(f"{root}/{name}" for (name,) in cursor.fetchall() if name)
    return _Snapshot(server_version, tables, applied, references, tool_version)


# --- PostgreSQL ---------------------------------------------------------------------------------------------


def _tool_version(program):
    """The version ("15.20") of pg_dump or pg_restore on the PATH; refused when it is missing."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"Không tìm thấy {program}: cài gói postgresql-client cùng phiên bản chính với máy chủ PostgreSQL."
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
    match = TOOL_VERSION.search(output)
    if match is None:
        raise BackupError(f"Không đọc được phiên bản của {program}: {output.strip()!r}.")
    return match.group(0)


def _major(version):
    return int(TOOL_VERSION.search(version).group(1))


def _pg_command(program, connection, *parameters):
    """`program` with the connection's options (the rules of Django's dbshell) and the environment it needs."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, ["--dbname"])
    if args[-1] == "--dbname":  # a service without a database name
        args.pop()
    return [shutil.which(program), *args[1:], *parameters], {**os.environ, **(env or {})}


def _run(command, env, what):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} thất bại (mã {result.returncode}): {result.stderr.strip()[-2000:]}")


def _dump_postgresql(connection, target, columns):
    """pg_dump of one exported snapshot, and the facts read inside that same snapshot."""
    dump_version = _tool_version("pg_dump")
    snapshot = connection.copy()
    try:
        with snapshot.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0].split()[0]
            if _major(dump_version) < _major(server_version):
                raise BackupError(
                    f"pg_dump {dump_version} cũ hơn máy chủ PostgreSQL {server_version}: cài postgresql-client "
                    f"{_major(server_version)}."
                )
            cursor.execute("SELECT pg_export_snapshot()")
            token = cursor.fetchone()[0]
            command, env = _pg_command(
                "pg_dump", snapshot, "--format=custom", f"--snapshot={token}", "--no-password", f"--file={target}"
            )
            _run(command, env, "pg_dump")
            facts = _facts(cursor, "postgresql", columns, server_version, dump_version)
            cursor.execute("COMMIT")
    finally:
        snapshot.close()
    return facts


def _restore_postgresql(connection, source):
    command, env = _pg_command(
        "pg_restore",
        connection,
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        str(source),
    )
    _run(command, env, "pg_restore")


# --- SQLite -------------------------------------------------------------------------------------------------


def _refuse_open_transaction(connection):
    connection.ensure_connection()
    if connection.in_atomic_block or connection.connection.in_transaction:
        raise BackupError("Cơ sở dữ liệu SQLite đang ở giữa một giao dịch: hãy chạy lệnh ngoài mọi giao dịch.")


def _dump_sqlite(connection, target, columns):
    """The online backup API's copy (one step: one consistent snapshot), and the facts read from the copy."""
    _refuse_open_transaction(connection)
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return _facts(copy.cursor(), "sqlite", columns, sqlite3.sqlite_version)
    finally:
        copy.close()


def _restore_sqlite(connection, source):
    _refuse_open_transaction(connection)
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


DUMPERS = {"postgresql": _dump_postgresql, "sqlite": _dump_sqlite}
RESTORERS = {"postgresql": _restore_postgresql, "sqlite": _restore_sqlite}


# --- files --------------------------------------------------------------------------------------------------


def _walk(root):
    """Every regular file under `root` as a POSIX path relative to it, sorted."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def _sha256(path):
    """(sha256, size) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _HashingReader:
    """A file read by tarfile, hashed on the way: proves the archive holds what the manifest says."""

    def __init__(self, source):
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


def _add_file(tar, name, path, expected):
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    try:
        with open(path, "rb") as source:
            reader = _HashingReader(source)
            tar.addfile(info, reader)
    except OSError as error:
        raise BackupError(f"Không đọc được {name} trong lúc sao lưu ({error}); hãy chạy lại.") from error
    if reader.digest.hexdigest() != expected:
        raise BackupError(f"Tệp {name} thay đổi trong lúc sao lưu; hãy chạy lại.")


def _add_bytes(tar, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, _BytesReader(content))


class _BytesReader:
    def __init__(self, content):
        self.content, self.offset = content, 0

    def read(self, size=-1):
        end = len(self.content) if size < 0 else self.offset + size
        chunk = self.content[self.offset : end]
        self.offset += len(chunk)
        return chunk


# --- backup -------------------------------------------------------------------------------------------------


def _latest_per_app(applied):
    latest = {}
    for app, name in applied:
        latest[app] = name
    return dict(sorted(latest.items()))


def _archive_path(directory, created):
    stamp = timezone.localtime(created).strftime("%Y%m%d-%H%M%S")
    path = directory / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    number = 2
    while path.exists():
        path = directory / f"{ARCHIVE_PREFIX}{stamp}-{number}{ARCHIVE_SUFFIX}"
        number += 1
    return path


def create_backup(directory, *, using=DEFAULT_DB_ALIAS, roots=None):
    """Write one archive of the database `using` and the private files into `directory`; return it and its manifest.

    Run outside any transaction. The archive appears under its final name only once complete.
    """
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DUMPERS:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
    roots = storage_roots() if roots is None else {name: Path(folder) for name, folder in roots.items()}
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=directory) as work:
        database_file = Path(work) / DATABASE_MEMBERS[vendor]
        snapshot = DUMPERS[vendor](connection, database_file, _file_columns(roots))
        files = {}
        for root, folder in roots.items():
            for relative in _walk(folder):
                digest, size = _sha256(folder / relative)
                files[f"{root}/{relative}"] = {"sha256": digest, "size": size}
        database_sha256, database_size = _sha256(database_file)
        versions = {
            "django": django.get_version(),
            "python": platform.python_version(),
            "database": f"{VENDOR_NAMES[vendor]} {snapshot.server_version}",
        }
        if snapshot.tool_version:
            versions["pg_dump"] = snapshot.tool_version
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "versions": versions,
            "database": {
                "vendor": vendor,
                "member": DATABASE_MEMBERS[vendor],
                "sha256": database_sha256,
                "size": database_size,
            },
            "migrations": _latest_per_app(snapshot.applied),
            "applied_migrations": snapshot.applied,
            "tables": snapshot.tables,
            "files": files,
            "missing_references": sorted(snapshot.references - set(files)),
        }
        path = _archive_path(directory, created)
        partial = Path(work) / path.name
        with tarfile.open(partial, "w:gz", compresslevel=COMPRESS_LEVEL, format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            _add_file(tar, DATABASE_MEMBERS[vendor], database_file, database_sha256)
            for name, entry in files.items():
                root, _, relative = name.partition("/")
                _add_file(tar, f"{FILES}/{name}", roots[root] / relative, entry["sha256"])
        os.replace(partial, path)
    return BackupResult(path=path, manifest=manifest)


def prune_backups(directory, keep):
    """Delete all but the `keep` newest archives in `directory` (none when keep < 1); return the deleted paths."""
    if keep < 1:
        return []
    archives = sorted(
        (path for path in Path(directory).glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}") if path.is_file()),
        key=lambda path: (path.stat().st_mtime, path.name),
    )
    stale = archives[:-keep]
    for path in stale:
        path.unlink()
    return stale


# --- restore ------------------------------------------------------------------------------------------------


def _read_manifest(tar):
    member = tar.next()
    if member is None or member.name != MANIFEST or not member.isreg():
        raise RestoreRefused("Tệp này không phải bản sao lưu của Cổng: không có bản kê (manifest.json) ở đầu.")
    try:
        manifest = json.load(tar.extractfile(member))
    except ValueError as error:
        raise RestoreRefused("Bản kê (manifest.json) của bản sao lưu không đọc được.") from error
    keys = {"format", "created_at", "versions", "database", "applied_migrations", "tables", "files"}
    if not isinstance(manifest, dict) or not keys <= set(manifest):
        raise RestoreRefused("Bản kê (manifest.json) của bản sao lưu thiếu thông tin.")
    if manifest["format"] != FORMAT:
        raise RestoreRefused(f"Bản sao lưu theo định dạng {manifest['format']}, mã nguồn này đọc định dạng {FORMAT}.")
    return manifest


def _safe_name(name, roots):
    """(root, relative path) of a manifest's file; refused when it could leave its folder."""
    path = PurePosixPath(name)
    parts = path.parts
    if path.is_absolute() or len(parts) < 2 or any(part in {"", ".", ".."} for part in parts) or "\\" in name:
        raise RestoreRefused(f"Bản kê có tên tệp không hợp lệ: {name!r}.")
    if parts[0] not in roots:
        raise RestoreRefused(
            f"Bản sao lưu có tệp của thư mục “{parts[0]}”, nơi khôi phục không có thư mục này "
            f"(chỉ có: {', '.join(roots)})."
        )
    return parts[0], PurePosixPath(*parts[1:])


def _newer_migrations(applied):
    """The applied migrations the code does not know: the archive's schema is newer than the code."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return [f"{app}.{name}" for app, name in applied if (app, name) not in known]


def _check_target(manifest, connection, roots):
    vendor = manifest["database"].get("vendor")
    if vendor != connection.vendor:
        raise RestoreRefused(
            f"Bản sao lưu là cơ sở dữ liệu {VENDOR_NAMES.get(vendor, vendor)}, nơi khôi phục là "
            f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)}."
        )
    newer = _newer_migrations(manifest["applied_migrations"])
    if newer:
        shown = ", ".join(newer[:5]) + (f" và {len(newer) - 5} migration khác" if len(newer) > 5 else "")
        raise RestoreRefused(
            f"Lược đồ trong bản sao lưu mới hơn mã nguồn: mã nguồn chưa có {shown}. Hãy cập nhật mã nguồn lên "
            "phiên bản đã tạo bản sao lưu rồi khôi phục lại."
        )
    if vendor == "postgresql":
        archive_tool = manifest["versions"].get("pg_dump", "0")
        restore_tool = _tool_version("pg_restore")
        if _major(restore_tool) < _major(archive_tool):
            raise RestoreRefused(
                f"pg_restore {restore_tool} cũ hơn pg_dump {archive_tool} đã tạo bản sao lưu: cài postgresql-client "
                f"{_major(archive_tool)} trở lên."
            )
    with connection.cursor() as cursor:
        tables = _tables(cursor, connection.vendor)
    if tables:
        raise RestoreRefused(
            f"Cơ sở dữ liệu đích đã có {len(tables)} bảng: chỉ khôi phục vào một cơ sở dữ liệu trống "
            "(tạo mới, chưa chạy migrate)."
        )
    for folder in roots.values():
        if _walk(folder):
            raise RestoreRefused(f"Thư mục tệp riêng tư đích {folder} đã có tệp: chỉ khôi phục vào thư mục trống.")


def _unpack(tar, manifest, roots, staging):
    """Every member into `staging`, each checked against the manifest's sha256; refused on any difference."""
    database = manifest["database"]
    if database.get("member") != DATABASE_MEMBERS.get(database.get("vendor")):
        raise RestoreRefused("Bản kê ghi sai tên tệp cơ sở dữ liệu.")
    expected = {database["member"]: database["sha256"]}
    for name, entry in manifest["files"].items():
        _safe_name(name, roots)
        expected[f"{FILES}/{name}"] = entry["sha256"]
    while (member := tar.next()) is not None:
        if member.name not in expected:
            raise RestoreRefused(f"Bản sao lưu có tệp không ghi trong bản kê: {member.name!r}.")
        if not member.isreg():
            raise RestoreRefused(f"Bản sao lưu có mục không phải tệp thường: {member.name!r}.")
        target = staging / member.name
        if target.exists():
            raise RestoreRefused(f"Bản sao lưu có hai lần tệp {member.name!r}.")
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with tar.extractfile(member) as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected[member.name]:
            raise RestoreRefused(
                f"Bản sao lưu bị hỏng hoặc đã bị sửa: mã SHA-256 của {member.name} không khớp với bản kê."
            )
    missing = [name for name in expected if not (staging / name).exists()]
    if missing:
        raise RestoreRefused(f"Bản sao lưu thiếu {len(missing)} tệp ghi trong bản kê, ví dụ {missing[0]}.")


def _place_files(manifest, roots, staging):
    for name in manifest["files"]:
        root, relative = _safe_name(name, roots)
        target = roots[root] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / FILES / name, target)


def _verify(manifest, connection, roots):
    """Count every table and hash every file again; the differences as sentences (none when the copy is whole)."""
    problems = []
    with connection.cursor() as cursor:
        counts = _row_counts(cursor, connection.vendor)
    for table in sorted(set(counts) | set(manifest["tables"])):
        wanted, found = manifest["tables"].get(table), counts.get(table)
        if wanted != found:
            problems.append(f"bảng {table}: bản kê {wanted}, cơ sở dữ liệu {found}")
    for name, entry in manifest["files"].items():
        root, relative = _safe_name(name, roots)
        path = roots[root] / relative
        if not path.is_file() or _sha256(path)[0] != entry["sha256"]:
            problems.append(f"tệp {name}: mã SHA-256 không khớp")
    return counts, problems


def restore_backup(archive, *, using=DEFAULT_DB_ALIAS, roots=None):
    """Restore `archive` into the empty database `using` and the empty storage folders; verify it; summarise.

    Raises RestoreRefused (nothing changed) or BackupError (the copy restored does not match its manifest).
    """
    connection = connections[using]
    roots = storage_roots() if roots is None else {name: Path(folder) for name, folder in roots.items()}
    archive = Path(archive)
    if not archive.is_file():
        raise RestoreRefused(f"Không có tệp {archive}.")
    try:
        tar = tarfile.open(archive, "r|*")  # noqa: SIM115 -- closed below; a stream: every member read once
    except tarfile.TarError as error:
        raise RestoreRefused(f"{archive.name} không phải tệp .tar hoặc .tar.gz đọc được.") from error
    with tar:
        try:
            manifest = _read_manifest(tar)
            _check_target(manifest, connection, roots)
            first = next(iter(roots.values()))
            first.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=first.parent))
            try:
                _unpack(tar, manifest, roots, staging)
                RESTORERS[connection.vendor](connection, staging / manifest["database"]["member"])
                _place_files(manifest, roots, staging)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        except tarfile.TarError as error:
            raise RestoreRefused(f"Bản sao lưu bị hỏng, không đọc hết được ({error}).") from error
    counts, problems = _verify(manifest, connection, roots)
    if problems:
        raise BackupError(
            "Đã khôi phục nhưng kiểm tra lại không khớp với bản kê: " + "; ".join(problems[:10]) + ". "
            "Đừng dùng bản khôi phục này; hãy xóa cơ sở dữ liệu và thư mục vừa khôi phục rồi thử bản sao lưu khác."
        )
    executor = MigrationExecutor(connection)
    pending = [str(migration) for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
    return RestoreResult(
        manifest=manifest,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(manifest["files"]),
        bytes=sum(entry["size"] for entry in manifest["files"].values()),
        pending_migrations=pending,
    )


# --- what the commands print --------------------------------------------------------------------------------


def count_text(number):
    """12345 -> "12.345" (the Vietnamese thousands separator)."""
    return f"{number:,}".replace(",", ".")


def size_text(size):
    """A size in bytes as people read it: "3,4 MB", "512 KB"."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".", ",")
    return f"{size} B"


def seconds_text(seconds):
    """2.43 -> "2,4 giây"."""
    return f"{seconds:.1f} giây".replace(".", ",")


def contents_text(manifest):
    """ "142 bảng, 12.345 dòng, 57 tệp (3,4 MB)" of a manifest."""
    files = manifest["files"].values()
    return (
        f"{count_text(len(manifest['tables']))} bảng, {count_text(sum(manifest['tables'].values()))} dòng, "
        f"{count_text(len(files))} tệp ({size_text(sum(entry['size'] for entry in files))})"
    )


def created_text(manifest):
    """The manifest's time in Asia/Ho_Chi_Minh, dd/mm/yyyy HH:MM."""
    created = datetime.datetime.fromisoformat(manifest["created_at"])
    return timezone.localtime(created).strftime("%d/%m/%Y %H:%M")
