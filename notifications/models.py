"""What the portal tells people: in-portal notifications (e-mailed once each) and keyed sendings of reminders."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """An in-portal notification; e-mail copies are sent by Celery from the same row."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField("nội dung", max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.message


class Dispatch(models.Model):
    """A message recorded under a unique key before it is sent, so no reminder goes out twice."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "lượt gửi nhắc việc"
        verbose_name_plural = "lượt gửi nhắc việc"

    def __str__(self):
        return self.key
