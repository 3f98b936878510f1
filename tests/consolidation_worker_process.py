"""A real Celery worker PROCESS for the consolidation worker tests, which they can SIGKILL mid-compile.

`python -m tests.consolidation_worker_process` runs what `celery -A portal worker --pool=solo
--concurrency=1` runs, configured by the environment the test gives it (DATABASE_URL of the test
database, REDIS_URL, DJANGO_DEBUG=1, CONSOLIDATION_LEASE_SECONDS, …). One test hook, here and
not in the portal's code: CONSOLIDATION_TEST_GATHER_DELAY_SECONDS makes the compile's gather step
sleep that long first, so that the test can catch the job in the middle.

The test side: `WorkerProcess` starts one, waits until it is ready, kills or stops it, and always
leaves nothing running (use it as a context manager or call `stop()` in a `finally`).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DELAY_VARIABLE = "CONSOLIDATION_TEST_GATHER_DELAY_SECONDS"
POOL_VARIABLE = "CONSOLIDATION_TEST_POOL"  # "prefork": a main process and one child that runs the tasks
READY_SECONDS = 60.0
STOP_SECONDS = 20.0


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from portal.celery import app
    from reports.services import consolidation

    delay = float(os.environ.get(DELAY_VARIABLE) or 0)
    if delay:
        gather = consolidation.gather

        def slow_gather(period):
            time.sleep(delay)
            return gather(period)

        consolidation.gather = slow_gather
    app.worker_main(
        [
            "worker",
            f"--pool={os.environ.get(POOL_VARIABLE) or 'solo'}",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=consolidation-test-{os.getpid()}@%h",
        ]
    )


class WorkerProcess:
    """One worker subprocess; its output goes to `log_path`."""

    def __init__(self, environment, log_path, *, gather_delay=0, pool="solo"):
        self.environment = {**os.environ, **environment, POOL_VARIABLE: pool}
        if gather_delay:
            self.environment[DELAY_VARIABLE] = str(gather_delay)
        else:
            self.environment.pop(DELAY_VARIABLE, None)
        self.log_path = Path(log_path)
        self.process = None
        self._log = None

    def start(self):
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 — our own interpreter and module, no shell
            [sys.executable, "-m", "tests.consolidation_worker_process"],
            cwd=BASE_DIR,
            env=self.environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C in the test run does not reach it; we stop it ourselves
        )
        deadline = time.monotonic() + READY_SECONDS
        while " ready." not in self.output():
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited with {self.process.returncode}:\n{self.output()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the worker was not ready after {READY_SECONDS:.0f} s:\n{self.output()}")
            time.sleep(0.1)
        return self

    def output(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self):
        """SIGKILL: no warm shutdown, no acknowledgement, no clean-up — a lost machine."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self._reap()

    def stop(self):
        """Warm shutdown (SIGTERM), then SIGKILL if it does not go in time."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
        self._reap()

    def _reap(self):
        if self.process is not None:
            self.process.wait(timeout=STOP_SECONDS)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


if __name__ == "__main__":
    main()
