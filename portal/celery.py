"""The Celery application: broker and result store from settings (Redis, or inline without it).

Heartbeats (portal/health.py): each worker writes its own from a timer of its consumer (`WorkerHeartbeat`, a
bootstep: it beats only while the worker's main loop runs and holds its broker connection), and beat from its
scheduler's tick (`HeartbeatScheduler`), every HEALTH_HEARTBEAT_SECONDS. A worker that starts sweeps the leased
jobs at once: workflow.jobs connects to Celery's worker_ready signal (this module may not import an app).
"""

import contextlib
import os
import time

from celery import Celery, bootsteps
from celery.beat import PersistentScheduler
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _background_tick(**kwargs):
    # Imported here: portal.health needs Django's apps (the cache), ready only once the worker or beat started.
    from portal.health import background_tick

    background_tick(**kwargs)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """A consumer step: the worker's heartbeat now and every HEALTH_HEARTBEAT_SECONDS from the consumer's timer.

    The consumer stops its steps when it loses the broker and starts them again once it is back, so a worker
    that cannot take tasks does not beat. A clean shutdown removes the worker from the ones expected.
    """

    def __init__(self, c, **kwargs):
        super().__init__(c, **kwargs)
        self.timer_ref = None

    def start(self, c):
        hostname = c.hostname
        _background_tick(hostname=hostname)
        self.timer_ref = c.timer.call_repeatedly(
            settings.HEALTH_HEARTBEAT_SECONDS, _background_tick, kwargs={"hostname": hostname}
        )

    def stop(self, c):
        if self.timer_ref is not None:
            self.timer_ref.cancel()
            self.timer_ref = None

    def shutdown(self, c):
        self.stop(c)
        # Imported here: see _background_tick.
        from portal.health import worker_stopped

        # A failure leaves the heartbeat to age, which says the same: the worker is gone.
        with contextlib.suppress(Exception):
            worker_stopped(c.hostname)


app.steps["consumer"].add(WorkerHeartbeat)


class HeartbeatScheduler(PersistentScheduler):
    """beat's scheduler (the default one, a shelve file) that writes beat's heartbeat as it ticks, and ticks at
    least every HEALTH_HEARTBEAT_SECONDS: the heartbeat says beat's own loop runs, worker or no worker."""

    last_heartbeat = None

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        every = settings.HEALTH_HEARTBEAT_SECONDS
        now = time.monotonic()
        if self.last_heartbeat is None or now - self.last_heartbeat >= every / 2:
            self.last_heartbeat = now
            _background_tick()
        return min(interval, every)


app.conf.beat_scheduler = "portal.celery:HeartbeatScheduler"
