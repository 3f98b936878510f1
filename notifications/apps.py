from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Thông báo"

    def ready(self):
        # Imported here, once the app registry is ready: registers the Celery tasks, which the web
        # processes publish by name.
        from . import tasks  # noqa: F401
