from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo"

    def ready(self):
        # Imported here: models can be imported only once the app registry is ready. The tasks module
        # registers the Celery tasks, which the web processes publish by name.
        from . import tasks  # noqa: F401
        from .documents.phase_years import register as register_phase_years
        from .documents.stored import register as register_documents
        from .menu import register

        register()
        register_documents()
        register_phase_years()
