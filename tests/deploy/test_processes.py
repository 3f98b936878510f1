"""The production processes of deploy/: the systemd units parse and say what they must; gunicorn.conf.py loads.

`systemd-analyze verify` reads the units as systemd would, with the checkout in place of /srv/congthidua/app (so
the programs they start exist); it reports unknown keys and bad values only as warnings, so any line about a unit
fails the test. Without systemd-analyze that test skips; the key check below runs everywhere.
"""

import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
APP = "/srv/congthidua/app"
SERVICES = ("congthidua-web.service", "congthidua-worker.service", "congthidua-beat.service")


def _read_unit(path):
    """The unit's sections as {section: {key: [values]}}: systemd allows a key more than once (Environment=)."""
    sections = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_units_run_the_checkout_as_its_own_user_and_restart():
    expected_commands = {
        "congthidua-web.service": (f"{APP}/.venv/bin/gunicorn --config {APP}/gunicorn.conf.py portal.wsgi:application"),
        "congthidua-worker.service": f"{APP}/.venv/bin/celery --app portal worker --loglevel INFO",
        "congthidua-beat.service": (
            f"{APP}/.venv/bin/celery --app portal beat --loglevel INFO "
            "--schedule /var/lib/congthidua-beat/celerybeat-schedule"
        ),
    }
    for name in SERVICES:
        service = _read_unit(UNITS / name)["Service"]
        assert service["ExecStart"] == [expected_commands[name]], name
        assert service["User"] == ["congthidua"], name
        assert service["Group"] == ["congthidua"], name
        assert service["WorkingDirectory"] == [APP], name
        assert service["EnvironmentFile"] == ["/etc/congthidua/env"], name
        assert service["Restart"] == ["always"], name
        assert service["ProtectSystem"] == ["strict"], name
        assert service["NoNewPrivileges"] == ["yes"], name
    # Processes that write uploads and rendered documents may write the private files, and nothing else there.
    for name in ("congthidua-web.service", "congthidua-worker.service"):
        assert _read_unit(UNITS / name)["Service"]["ReadWritePaths"] == ["/srv/congthidua/private"], name
    assert "ReadWritePaths" not in _read_unit(UNITS / "congthidua-beat.service")["Service"]
    # The worker's default concurrency comes before the environment file, which may override it.
    worker = (UNITS / "congthidua-worker.service").read_text(encoding="utf-8")
    assert worker.index("Environment=CELERY_WORKER_CONCURRENCY=2") < worker.index("EnvironmentFile=")
    # Each unit starts at boot on the machines that enable it; one target restarts and stops those together.
    assert _read_unit(UNITS / "congthidua.target")["Install"]["WantedBy"] == ["multi-user.target"]
    for name in SERVICES:
        unit = _read_unit(UNITS / name)
        assert unit["Unit"]["PartOf"] == ["congthidua.target"], name
        assert unit["Install"]["WantedBy"] == ["multi-user.target"], name
    # The shared storage holding the private files is mounted before the processes that read and write them.
    for name in ("congthidua-web.service", "congthidua-worker.service"):
        assert _read_unit(UNITS / name)["Unit"]["RequiresMountsFor"] == ["/srv/congthidua/private"], name


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("needs systemd-analyze (package systemd) to verify the units")
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text(encoding="utf-8").replace(APP, str(ROOT)), encoding="utf-8")
    finished = subprocess.run(  # noqa: S603 - the test's own files
        [analyze, "verify", "--man=no", *sorted(str(path) for path in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    complaints = [line for line in (finished.stdout + finished.stderr).splitlines() if "congthidua" in line]
    assert (finished.returncode, complaints) == (0, [])


def _gunicorn(*args, **environment):
    env = {**os.environ, "DJANGO_DEBUG": "1", **environment}
    return subprocess.run(  # noqa: S603 - the venv's gunicorn with fixed arguments
        [str(Path(sys.executable).parent / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
        env=env,
    )


def test_gunicorn_config_loads_the_portal():
    """--check-config reads gunicorn.conf.py and imports the WSGI application it names."""
    finished = _gunicorn("--check-config")
    assert finished.returncode == 0, finished.stderr
    # The same check fails on an application that does not import.
    broken = _gunicorn("--check-config", "congthidua_missing:application")
    assert broken.returncode != 0
    assert "congthidua_missing" in broken.stderr


def _settings(monkeypatch, **environment):
    """gunicorn.conf.py read as gunicorn reads it (each known name through the setting's validator), in-process."""
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_BIND", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_gunicorn_config_sized_for_the_machine_and_from_the_environment(monkeypatch):
    config = _settings(monkeypatch)
    assert config.wsgi_app == "portal.wsgi:application"
    assert config.address == [("127.0.0.1", 8000)]
    assert config.worker_class_str == "gthread"
    assert config.workers == (os.cpu_count() or 1) + 1
    assert config.threads == 4
    assert (config.max_requests, config.max_requests_jitter) == (10000, 1000)
    assert (config.timeout, config.graceful_timeout) == (60, 30)
    assert config.control_socket_disable is True
    config = _settings(
        monkeypatch,
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="8",
        GUNICORN_BIND="10.10.0.11:8000",
        GUNICORN_CONTROL_SOCKET="/run/congthidua-web/gunicorn.ctl",
    )
    assert (config.workers, config.threads, config.address) == (3, 8, [("10.10.0.11", 8000)])
    assert (config.control_socket, config.control_socket_disable) == ("/run/congthidua-web/gunicorn.ctl", False)
    with pytest.raises(ImproperlyConfigured, match="GUNICORN_WORKERS must be an integer; got 'four'."):
        _settings(monkeypatch, GUNICORN_WORKERS="four")


def test_manage_script_runs_as_the_services_do(tmp_path):
    """deploy/manage.sh: manage.py in the checkout, with the environment file's values (quoted ones too), umask 022."""
    if os.geteuid() != 0:
        pytest.skip("deploy/manage.sh switches user with runuser, which needs root")
    env_file = tmp_path / "env"
    env_file.write_text('DJANGO_DEBUG=1\nPORTAL_TEST_MARKER="hai từ"\n', encoding="utf-8")
    finished = subprocess.run(  # noqa: S603 - the checkout's own script
        [
            str(ROOT / "deploy" / "manage.sh"),
            "shell",
            "--no-imports",
            "-c",
            "import os; print(os.environ['PORTAL_TEST_MARKER'], os.getcwd(), oct(os.umask(0)), sep='|')",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "CONGTHIDUA_ENV": str(env_file), "CONGTHIDUA_USER": "root"},
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip().splitlines()[-1] == f"hai từ|{ROOT}|0o22"
