from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = "Khen thưởng"

    def ready(self):
        # Imported here: models can be imported only once the app registry is ready. The tasks module
        # registers the Celery tasks, which the web processes publish by name.
        from . import tasks  # noqa: F401
        from .menu import register

        register()
