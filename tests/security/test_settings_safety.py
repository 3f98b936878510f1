"""Production settings: no start without a secret, and `check --deploy` clean with only the required variables."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

BASE_DIR = settings.BASE_DIR


def run_python(args, **env):
    """Run the project's Python with an environment holding PATH and `env` only (no DJANGO_* leaks in)."""
    clean_env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "portal.settings", **env}
    return subprocess.run(  # noqa: S603  (fixed arguments, our own interpreter)
        [sys.executable, *args], cwd=BASE_DIR, env=clean_env, capture_output=True, text=True, timeout=120
    )


def production_env(**extra):
    return {"DJANGO_SECRET_KEY": secrets.token_urlsafe(45)[:60], "DJANGO_ALLOWED_HOSTS": "thidua.example.vn", **extra}


def test_refuses_to_start_with_debug_off_and_no_secret_key():
    result = run_python(["-c", "import django; django.setup()"])

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_refuses_to_start_with_debug_explicitly_off_and_no_secret_key():
    result = run_python(["-c", "import django; django.setup()"], DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_starts_with_a_secret_key():
    result = run_python(["-c", "import django; django.setup()"], DJANGO_SECRET_KEY=secrets.token_urlsafe(45))

    assert result.returncode == 0, result.stderr


def test_deploy_check_passes_with_only_secret_key_and_allowed_hosts():
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_passes_behind_a_tls_proxy_that_redirects_itself():
    env = production_env(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_TRUSTED_PROXY_COUNT="1")

    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_warns_when_ssl_redirect_is_off_without_a_proxy():
    env = production_env(DJANGO_SECURE_SSL_REDIRECT="0")

    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)

    assert result.returncode != 0
    assert "security.W008" in result.stderr
