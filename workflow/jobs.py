"""The one leased background-job mechanism: a row is the truth of its job, Celery only carries its id.

A service writes the row first (queued) and, in the same transaction, an outbox row naming the task
(`enqueue_on_commit`, workflow.models.OutboxMessage): no request talks to the broker, down or hung. Every
worker's consumer publishes the outbox every OUTBOX_SECONDS (`send_outbox`, `OutboxPublisher`) over its own
broker connection with OUTBOX_TIMEOUT_SECONDS socket and connect timeouts and no retry; a broker that is
down or hangs leaves the rows for the next try, and the sweep publishes what is left. With tasks inline
(no Redis: `make run`, the tests) there is no broker: the task runs once the transaction commits.

A worker claims the row with a lease — a new attempt token, an expiry and one more attempt, by
one conditional UPDATE — and renews it while it works (`heartbeat`, or a `keep_alive` thread in a real
worker); only the holder of the current token may finish or fail the row, so two runs never both
finish and a killed worker's row is taken over once its lease expires. The sweep (on Celery beat every
SWEEP_SECONDS, and once when a worker starts: `sweep_on_worker_ready`) publishes queued rows
again and takes over expired leases; past the allowed attempts it fails the row with a reason instead of
trying for ever. A killed worker's job therefore starts again at most LEASE_SECONDS + SWEEP_SECONDS after
its last heartbeat, given a worker to run it (bench/recovery.py measures it).

Everything timed comes from settings named after the job (`<PREFIX>_LEASE_SECONDS`,
`_HEARTBEAT_SECONDS`, `_MAX_ATTEMPTS`, `_REQUEUE_AFTER_SECONDS`, `_TIME_LIMIT_SECONDS`,
`_SOFT_TIME_LIMIT_SECONDS`, `_SWEEP_SECONDS`, `_SWEEP_EXPIRES_SECONDS`, `_SWEEP_TIME_LIMIT_SECONDS`,
`_SWEEP_SOFT_TIME_LIMIT_SECONDS`), read when used, so tests and slow machines change them. The model
carries the fields of workflow.models.LeasedJobFields and a state field with a queued, a running, a
finished and a failed value.
"""

import logging
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta

from celery import bootsteps, current_app
from celery.signals import worker_ready
from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Every LeasedJob by its task's name, for the reads across jobs (`waiting_jobs`).
JOBS = {}


class LeasedJob:
    """The job of one model's rows: `task` is the registered name of the Celery task that runs one row."""

    def __init__(self, *, model, task, settings_prefix, state, queued, running, failed, gave_up, on_failed=None):
        self.model = model
        self.task = task
        self.prefix = settings_prefix
        self.state = state
        self.queued, self.running, self.failed = queued, running, failed
        self.gave_up = gave_up  # the reason written on a row past its attempts; may name {attempts}
        self.on_failed = on_failed  # on_failed(row, previous_state, reason): record the failure (a transition)
        JOBS[task] = self

    # -- settings ------------------------------------------------------------------------------------

    def setting(self, name):
        return getattr(settings, f"{self.prefix}_{name}")

    @property
    def lease_seconds(self):
        return self.setting("LEASE_SECONDS")

    @property
    def max_attempts(self):
        return self.setting("MAX_ATTEMPTS")

    def task_options(self):
        """Options of the task that runs one row (DESIGN.md sections 3 and 8).

        The lease decides who works, so a message delivered twice costs one cheap claim. Late
        acknowledgement: a worker lost mid-job leaves the message to be delivered again, at most
        MAX_ATTEMPTS times; the sweep covers what the broker loses. The soft time limit fails the row
        with its reason; past the hard one the worker child is killed and the expiring lease hands the
        row on. No result is stored: the row is the result.
        """
        return {
            "acks_late": True,
            "reject_on_worker_lost": True,
            "retry_on_worker_lost": True,
            "max_retries": self.max_attempts,
            "time_limit": self.setting("TIME_LIMIT_SECONDS"),
            "soft_time_limit": self.setting("SOFT_TIME_LIMIT_SECONDS"),
            "ignore_result": True,
            "bind": True,
        }

    def sweep_task_options(self):
        """The sweep is cheap and periodic: a lost one is replaced by the next, and sweeps piled up while every
        worker was down expire instead of running one after another."""
        return {
            "acks_late": False,
            "expires": self.setting("SWEEP_EXPIRES_SECONDS"),
            "time_limit": self.setting("SWEEP_TIME_LIMIT_SECONDS"),
            "soft_time_limit": self.setting("SWEEP_SOFT_TIME_LIMIT_SECONDS"),
            "ignore_result": True,
        }

    def status_of(self, row, now=None):
        """The job's state for the page that polls it (static/js/job_progress.js); "retry" only while it retries."""
        state = getattr(row, self.state)
        status = {
            "status": state,
            "label": getattr(row, f"get_{self.state}_display")(),
            "finished": state not in (self.queued, self.running),
            "attempts": row.attempts,
            "error": row.error if state == self.failed else "",
        }
        retry = self.retry_of(row, now)
        if retry is not None:
            status["retry"] = retry
        return status

    def retry_of(self, row, now=None):
        """What the office is told about a retry, or None when the job runs its first attempt (or is over).

        Two cases, from the row alone:
        - a later attempt runs (attempts > 1, lease held): "Đang thử lại (lần 2/3)"; should it stop too, the
          next try starts at the latest when its lease runs out plus one sweep interval (its heartbeats push
          the lease, hence that time, forward while it works);
        - the running attempt's lease ran out (its worker died) and attempts are left: the next attempt is
          "Đang thử lại (lần 2/3)", published by the first sweep after the lease's expiry, so by expiry +
          SWEEP_SECONDS when a worker and beat run; once that time is past the page says it waits for one.
        A row past its attempts is failed by the next sweep: no retry is announced.
        """
        if getattr(row, self.state) != self.running or row.lease_expires_at is None or row.attempts < 1:
            return None
        now = now or timezone.now()
        lost = row.lease_expires_at < now
        attempt = row.attempts + 1 if lost else row.attempts
        if attempt < 2 or attempt > self.max_attempts:
            return None
        next_try = row.lease_expires_at + timedelta(seconds=self.setting("SWEEP_SECONDS"))
        at = timezone.localtime(next_try).strftime("%H:%M:%S")
        if not lost:
            detail = (
                f"Lần chạy trước bị gián đoạn. Nếu lần này cũng dừng, lần thử tiếp theo bắt đầu chậm nhất lúc {at}."
                if attempt < self.max_attempts
                else "Lần chạy trước bị gián đoạn; đây là lần thử cuối cùng."
            )
        elif next_try >= now:
            detail = f"Lần chạy trước bị gián đoạn; lần thử tiếp theo bắt đầu chậm nhất lúc {at}."
        else:
            detail = "Lần chạy trước bị gián đoạn; lần thử tiếp theo bắt đầu khi tiến trình nền sẵn sàng."
        return {
            "attempt": attempt,
            "max_attempts": self.max_attempts,
            "next_try_at": None if not lost and attempt >= self.max_attempts else next_try.isoformat(),
            "label": f"Đang thử lại (lần {attempt}/{self.max_attempts})",
            "detail": detail,
        }

    # -- publishing ----------------------------------------------------------------------------------

    def enqueue(self, pk):
        """Publish the task for one row (a worker: the sweep); a broker that is down or hangs leaves the row
        queued for the next sweep."""
        task = current_app.tasks[self.task]
        try:
            task.delay(pk)
        except Exception:  # noqa: BLE001 — broker down or hanging: the row stays queued for the sweep.
            logger.warning("could not enqueue %s for row %s; the sweep will retry", self.task, pk, exc_info=True)
            return False
        self.published(pk)
        return True

    def published(self, pk):
        self.model.objects.filter(pk=pk).update(enqueued_at=timezone.now())

    def enqueue_on_commit(self, pk):
        """Ask for the task of a row: an outbox row in the caller's transaction, published by a worker once it is
        committed (a worker never looks for a row that is not there yet), never the broker from here. Tasks
        inline: run once the transaction commits."""
        if current_app.conf.task_always_eager:
            transaction.on_commit(lambda: self.enqueue(pk))
            return
        publish_on_commit(self.task, pk)

    def restart(self, pk):
        """Queue a row's job afresh (a render asked again): new attempts, no lease; published after commit."""
        self.model.objects.filter(pk=pk).update(
            **{self.state: self.queued},
            attempt_token=None,
            attempts=0,
            lease_expires_at=None,
            heartbeat_at=None,
            enqueued_at=None,
            error="",
        )
        self.enqueue_on_commit(pk)

    # -- the lease -----------------------------------------------------------------------------------

    def _claimable(self, now):
        return Q(**{self.state: self.queued}) | Q(**{self.state: self.running, "lease_expires_at__lt": now})

    def claim(self, pk):
        """Take the row's lease: the attempt token, or None when the row is not ours to work on."""
        now = timezone.now()
        token = uuid.uuid4()
        # One statement: a worker killed between taking the lease and counting the attempt would otherwise
        # get an attempt for free, and the bound on attempts would not hold.
        updated = self.model.objects.filter(self._claimable(now), pk=pk, attempts__lt=self.max_attempts).update(
            **{self.state: self.running},
            attempt_token=token,
            attempts=F("attempts") + 1,
            lease_expires_at=now + timedelta(seconds=self.lease_seconds),
            heartbeat_at=now,
        )
        return token if updated else None

    def ours(self, pk, token):
        """The row, if the lease of `token` still holds it."""
        return self.model.objects.filter(pk=pk, attempt_token=token, **{self.state: self.running})

    def heartbeat(self, pk, token):
        """Renew the lease; False when it was lost (another run took over the expired lease)."""
        now = timezone.now()
        return bool(
            self.ours(pk, token).update(heartbeat_at=now, lease_expires_at=now + timedelta(seconds=self.lease_seconds))
        )

    @contextmanager
    def keep_alive(self, pk, token, *, enabled=True):
        """Renew the lease every HEARTBEAT_SECONDS from a thread while a long step runs (a real worker only:
        a task run inline shares the caller's transaction, which another connection cannot see).

        Yields a `Lease`; `lease.held` turns False once a renewal finds the lease lost.
        """
        lease = Lease()
        interval = self.setting("HEARTBEAT_SECONDS")
        if not enabled or interval <= 0:
            yield lease
            return
        stop = threading.Event()

        def beat():
            try:
                while not stop.wait(interval):
                    try:
                        renewed = self.heartbeat(pk, token)
                    except Exception:  # noqa: BLE001 — a failed renewal is not a lost lease: try again next time.
                        logger.warning("%s %s: could not renew the lease", self.task, pk, exc_info=True)
                        connections.close_all()  # a broken connection is opened afresh for the next renewal
                        continue
                    if not renewed:
                        lease.held = False
                        return
            finally:
                connections.close_all()  # this thread's own connections

        thread = threading.Thread(target=beat, name=f"lease-{self.task}-{pk}", daemon=True)
        thread.start()
        try:
            yield lease
        finally:
            stop.set()
            thread.join(timeout=interval + 5)

    # -- the end of a run ----------------------------------------------------------------------------

    def finish(self, pk, token, *, state, **fields):
        """Move the row to its finished `state` with the run's results, if the lease is still ours."""
        return bool(
            self.ours(pk, token).update(**{self.state: state}, attempt_token=None, lease_expires_at=None, **fields)
        )

    def fail(self, pk, token, reason):
        """Fail the row with its reason, if the lease is still ours; the failure is recorded."""
        reason = reason[:2000]
        with transaction.atomic():
            failed = self.ours(pk, token).update(
                **{self.state: self.failed}, error=reason, attempt_token=None, lease_expires_at=None
            )
            if failed and self.on_failed is not None:
                self.on_failed(self.model.objects.get(pk=pk), self.running, reason)
        return bool(failed)

    def sweep(self):
        """Publish queued rows again and take over expired leases; fail rows past their attempts. Ids published."""
        now = timezone.now()
        stale = now - timedelta(seconds=self.setting("REQUEUE_AFTER_SECONDS"))
        abandoned = Q(**{self.state: self.queued}) | Q(**{self.state: self.running, "lease_expires_at__lt": now})
        for row in self.model.objects.filter(abandoned, attempts__gte=self.max_attempts):
            previous = getattr(row, self.state)
            reason = self.gave_up.format(attempts=row.attempts)
            with transaction.atomic():
                failed = self.model.objects.filter(abandoned, pk=row.pk, attempts__gte=self.max_attempts).update(
                    **{self.state: self.failed}, error=reason, attempt_token=None, lease_expires_at=None
                )
                if failed and self.on_failed is not None:
                    self.on_failed(self.model.objects.get(pk=row.pk), previous, reason)
        due = self.model.objects.filter(
            Q(**{self.state: self.queued}) & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
            | Q(**{self.state: self.running, "lease_expires_at__lt": now, "attempts__lt": self.max_attempts})
        ).values_list("pk", flat=True)
        return [pk for pk in due if self.enqueue(pk)]


def publish_on_commit(task, *args):
    """Ask for a Celery task (its registered name; JSON arguments) from a request or a service: an outbox row in the
    caller's transaction, published by a worker's outbox publisher (`send_outbox`) — never the broker from here.
    Tasks inline (no Redis): the task runs once the transaction commits; a failure is logged, as a lost message."""
    if current_app.conf.task_always_eager:

        def run_inline():
            try:
                current_app.tasks[task].delay(*args)
            except Exception:  # noqa: BLE001 — as a message the broker lost: the task's own sweep covers it.
                logger.exception("could not enqueue %s %s", task, list(args))

        transaction.on_commit(run_inline)
        return
    OutboxMessage.objects.create(task=task, args=list(args))


def send_outbox(limit=100):
    """Publish the outbox's rows, oldest first, at most `limit`, over one broker connection of its own with
    OUTBOX_TIMEOUT_SECONDS socket and connect timeouts and no retry; each row published is deleted (a leased job's
    row records the publication). The first failure stops the run — the broker is down or hangs — and counts an
    attempt on the rows left, with the error. Rows are locked while they are sent (skipped by another publisher,
    on PostgreSQL). Returns the ids of the rows published."""
    timeout = settings.OUTBOX_TIMEOUT_SECONDS
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, "max_retries": 0}
    sent = []
    with transaction.atomic():
        rows = list(OutboxMessage.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        if not rows:
            return sent
        try:
            with current_app.connection_for_write(transport_options=options) as connection:
                for row in rows:
                    task = current_app.tasks.get(row.task)
                    if task is None:  # not a task of this code (a row left by an older version): kept, said why
                        OutboxMessage.objects.filter(pk=row.pk).update(
                            attempts=F("attempts") + 1, error=f"unknown task {row.task}"
                        )
                        continue
                    task.apply_async(row.args, connection=connection, retry=False)
                    sent.append(row.pk)
                    if row.task in JOBS:
                        JOBS[row.task].published(*row.args)
        except Exception as error:  # noqa: BLE001 — broker down or hanging: the rows wait for the next run.
            logger.warning("the outbox could not be sent (%d rows wait)", len(rows) - len(sent), exc_info=True)
            left = [row.pk for row in rows if row.pk not in sent and row.task in current_app.tasks]
            OutboxMessage.objects.filter(pk__in=left).update(attempts=F("attempts") + 1, error=repr(error)[:2000])
        OutboxMessage.objects.filter(pk__in=sent).delete()
    return sent


def _send_outbox_and_close():
    try:
        send_outbox()
    except Exception:  # noqa: BLE001 — the database is away: the next tick tries again.
        logger.warning("could not read the outbox", exc_info=True)
    finally:
        connections.close_all()  # no connection held between ticks (it would outlive a restarted database)


class OutboxPublisher(bootsteps.StartStopStep):
    """A consumer step of every worker: `send_outbox` every OUTBOX_SECONDS from the consumer's timer, while the
    worker holds its broker connection (the consumer stops its steps when it loses the broker)."""

    def __init__(self, c, **kwargs):
        super().__init__(c, **kwargs)
        self.timer_ref = None

    def start(self, c):
        self.timer_ref = c.timer.call_repeatedly(settings.OUTBOX_SECONDS, _send_outbox_and_close)

    def stop(self, c):
        if self.timer_ref is not None:
            self.timer_ref.cancel()
            self.timer_ref = None

    def shutdown(self, c):
        self.stop(c)


current_app.steps["consumer"].add(OutboxPublisher)


def sweep_all():
    """Send what the outbox holds, then run the sweep of every LeasedJob now (a worker starting:
    `sweep_on_worker_ready`), each on its own, a failing one logged and the others still run. {task: ids published}
    of the jobs swept."""
    published = {}
    try:
        send_outbox()
    except Exception:  # noqa: BLE001 — the database is away: beat's sweeps and the publisher try again.
        logger.warning("could not send the outbox", exc_info=True)
    for name, job in sorted(JOBS.items()):
        try:
            published[name] = job.sweep()
        except Exception:  # noqa: BLE001 — a database or broker down now: beat's sweep tries again.
            logger.warning("the sweep of %s failed; beat's sweep will try again", name, exc_info=True)
    return published


def _sweep_all_and_close():
    try:
        sweep_all()
    finally:
        connections.close_all()  # this thread's own connections


@worker_ready.connect
def sweep_on_worker_ready(sender=None, **kwargs):
    """A worker that starts sweeps every LeasedJob at once, in a thread of its main process so that its consumer
    takes tasks meanwhile: jobs whose worker died while none ran, and rows still queued because the broker was
    down, go now rather than at beat's next sweep. (Celery's worker_ready is sent by `celery worker` only, not
    by the embedded test worker of tests/celery_worker.py.)"""
    threading.Thread(target=_sweep_all_and_close, name="sweep-on-worker-ready", daemon=True).start()


def waiting_jobs(limit):
    """Read only, for the health of the background processes (portal.health): "task:pk" of the rows that wait
    for a worker — queued, or running under an expired lease (its worker died) — at most `limit` of each job,
    lowest ids first; one query per job."""
    now = timezone.now()
    keys = []
    for name, job in sorted(JOBS.items()):
        waiting = job.model.objects.filter(job._claimable(now)).order_by("pk").values_list("pk", flat=True)
        keys.extend(f"{name}:{pk}" for pk in waiting[:limit])
    return keys


class Lease:
    """What `keep_alive` yields: whether the run still holds its lease."""

    def __init__(self):
        self.held = True
