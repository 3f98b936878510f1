"""LibreOffice for the tests that open files as a clerk does: one headless conversion, its own profile.

A missing `soffice` skips such a test locally with the reason; in CI (CI=true) it fails, as a missing
PostgreSQL or Redis does (tests/conftest.py). CI installs libreoffice-calc-nogui and libreoffice-writer-nogui.
"""

import shutil
import subprocess

import pytest

from tests.conftest import IN_CI

INSTALL = "apt-get install -y libreoffice-calc-nogui libreoffice-writer-nogui"


def soffice():
    """The path of LibreOffice's `soffice`; skips the test (fails it in CI) when it is not installed."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        reason = f"needs LibreOffice (soffice): {INSTALL}"
        if IN_CI:
            pytest.fail(f"CI must run this test with LibreOffice: {reason}")
        pytest.skip(reason)
    return path


def convert(paths, target, outdir, *, timeout=180):
    """Convert `paths` to `target` ("xlsx", "pdf", "csv" …) into `outdir` with ONE soffice call; the paths out.

    A throwaway profile under `outdir` keeps the run apart from any other LibreOffice on the machine.
    """
    profile = outdir / "lo-profile"
    command = [
        soffice(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        *[str(path) for path in paths],
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
    extension = target.split(":")[0]
    converted = [outdir / f"{path.stem}.{extension}" for path in paths]
    missing = [path.name for path in converted if not path.exists()]
    assert not missing, f"soffice did not write {missing}: {finished.stdout} {finished.stderr}"
    return converted
