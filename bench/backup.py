"""Benchmark of `manage.py backup` and `manage.py restore` on the demo and on 1,000 seeded units (issue 16, item 1).

    DJANGO_DEBUG=1 .venv/bin/python -m bench.backup --database-url postgres://postgres@127.0.0.1:5432/test

For each data set it makes a throwaway source database (bench.consolidation.throwaway_database: `bench_<random>` on
the PostgreSQL server of `--database-url`, or a temporary SQLite file without it) and a private-files folder, fills
them — the demo: `manage.py load_demo` (the plan, the demo with its awards, issued reports, emulation years and
history; the stored files of its documents rendered inline, as a worker would); the scale: `manage.py seed_scale
--units N` (accepted reports for every period begun so far) — then runs the commands as an operator would, each in
its own process: `manage.py backup --to DIR`, and `manage.py restore ARCHIVE` into a second throwaway database and an
empty folder (the restore checks every count and hash afterwards). It prints, per data set, what the archive holds
(rows, files), its size, and the wall time of each command (the process's start included) beside the time the
command itself reports (the work alone). The load average is printed with the figures: other processes compete
for the cores.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from bench.consolidation import BASE_DIR, _cpu_model, _memory_total, throwaway_database

# What the commands print of their own time: "(64,9 KB, 2,4 giây)", "trong 5,8 giây".
BACKUP_SECONDS = re.compile(r", (\d+(?:,\d+)?) giây\)")
RESTORE_SECONDS = re.compile(r"trong (\d+(?:,\d+)?) giây")


def manage(*args, env):
    """Run `manage.py args` in its own process; (wall seconds, stdout). Exits when the command fails."""
    started = time.perf_counter()
    # Our own interpreter and manage.py with arguments we built: no untrusted input.
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return wall, done.stdout


def _environment(url, files):
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}  # tasks inline, as `make run`
    env.update(DATABASE_URL=url, PORTAL_PRIVATE_STORAGE=str(files), DJANGO_DEBUG="1")
    return env


def _manifest(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def measure(label, fill, args, workdir):
    """Fill a throwaway database, back it up, restore it into another; the figures of one data set."""
    workdir = Path(workdir)
    with throwaway_database(args.database_url, keep=False) as (url, database):
        env = _environment(url, workdir / f"{label}-files")
        manage("migrate", "--no-input", "-v", "0", env=env)
        started = time.perf_counter()
        for command in fill:
            manage(*command, env=env)
        fill_s = time.perf_counter() - started
        print(f"… {label}: data made in {fill_s:.1f} s ({database})", file=sys.stderr, flush=True)
        backup_wall, output = manage("backup", "--to", str(workdir / f"{label}-backups"), env=env)
        backup_work = float(BACKUP_SECONDS.search(output).group(1).replace(",", "."))
    archive = next((workdir / f"{label}-backups").glob("portal-backup-*.tar.gz"))
    with throwaway_database(args.database_url, keep=False) as (url, _):
        env = _environment(url, workdir / f"{label}-restored-files")
        restore_wall, output = manage("restore", str(archive), env=env)
        restore_work = float(RESTORE_SECONDS.search(output).group(1).replace(",", "."))
    manifest = _manifest(archive)
    files = manifest["files"].values()
    return {
        "label": label,
        "database": manifest["versions"]["database"],
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "files": len(files),
        "file_bytes": sum(entry["size"] for entry in files),
        "dump_bytes": manifest["database"]["size"],
        "archive_bytes": archive.stat().st_size,
        "backup_wall": backup_wall,
        "backup_work": backup_work,
        "restore_wall": restore_wall,
        "restore_work": restore_work,
    }


def _mib(size):
    return f"{size / 1024 / 1024:.1f} MiB"


def _count(number):
    return f"{number:,}".replace(",", ".")


def run(args):
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    started_at = datetime.datetime.now().astimezone()
    data_sets = []
    if not args.skip_demo:
        data_sets.append(("demo", [["load_demo"]]))
    if args.units:
        data_sets.append((f"{args.units} units", [["load_plan"], ["seed_scale", "--units", str(args.units)]]))
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as workdir:
        rows = [measure(label, fill, args, workdir) for label, fill in data_sets]
    load = os.getloadavg()
    print("\n| Data | Database | Tables, rows | Files | Dump | Archive | backup (work) | restore (work) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['label']} | {row['database']} | {row['tables']}, {_count(row['rows'])} | "
            f"{_count(row['files'])} ({_mib(row['file_bytes'])}) | {_mib(row['dump_bytes'])} | "
            f"{_mib(row['archive_bytes'])} | {row['backup_wall']:.1f} s ({row['backup_work']:.1f} s) | "
            f"{row['restore_wall']:.1f} s ({row['restore_work']:.1f} s) |"
        )
    print(
        f"\n{started_at:%d/%m/%Y %H:%M %Z}; wall time of each command's process, the command's own figure (the work, "
        f"without the process start) in brackets; restore includes its verification (every table counted, every "
        f"file hashed). Machine: {_cpu_model()}, {os.cpu_count()} cores, {_memory_total()} RAM; load average after: "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL (default: temporary SQLite files)")
    parser.add_argument("--units", type=int, default=1000, help="seeded units (0: none)")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--json", default="", help="also write the raw figures to this file")
    sys.exit(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
