"""Celery tasks of the portal itself: the scheduled backup (beat sends it when BACKUP_SCHEDULE is set).

Beat publishes it by name and the worker finds it through the Celery app's autodiscovery; no web process sends it.
A run killed half-way leaves no archive (one appears under its name only when complete); a second run makes a second
archive.
"""

import logging

from celery import shared_task
from django.conf import settings

from .backup import create_backup, prune_backups, size_text

logger = logging.getLogger(__name__)

# A backup of a large Department takes minutes, not the ten of an ordinary task.
BACKUP_TIME_LIMIT_SECONDS = 3600


@shared_task(
    name="portal.scheduled_backup",
    time_limit=BACKUP_TIME_LIMIT_SECONDS,
    soft_time_limit=BACKUP_TIME_LIMIT_SECONDS - 60,
)
def scheduled_backup():
    """Write an archive into BACKUP_DIR and keep the BACKUP_KEEP newest; return the archive's path."""
    result = create_backup(settings.BACKUP_DIR)
    removed = prune_backups(settings.BACKUP_DIR, settings.BACKUP_KEEP)
    logger.info(
        "backup %s (%s), %d older archives removed",
        result.path,
        size_text(result.path.stat().st_size),
        len(removed),
    )
    return str(result.path)
