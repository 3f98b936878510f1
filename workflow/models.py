"""The fields every state change record and every leased background job carry; each app's models inherit them."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class TransitionRecord(models.Model):
    """One append-only row per state change (or recorded event) of an object: who, when, from, to, why.

    Written only by workflow.transitions.StateMachine; the subclass adds the foreign key to its object
    and whatever the change carries (a snapshot of the content, the edited sections, …).
    """

    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class LeasedJobFields(models.Model):
    """The lease of a row's background job (workflow.jobs.LeasedJob): the row is the truth of the job."""

    attempt_token = models.UUIDField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField("lý do lỗi", blank=True)

    class Meta:
        abstract = True


class OutboxMessage(models.Model):
    """A task to publish, written in the transaction of the request that asks for it, so that no request waits on the
    broker (workflow.jobs: `LeasedJob.enqueue_on_commit` writes it; `send_outbox`, from every worker's consumer every
    OUTBOX_SECONDS and from the sweep when a worker starts, publishes it with short timeouts and deletes it).
    A row that stays says the broker was down or hung when the publisher tried; `attempts` and `error` say so."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "tác vụ chờ gửi"
        verbose_name_plural = "tác vụ chờ gửi"

    def __str__(self):
        return f"{self.task}{self.args}"
