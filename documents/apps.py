from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Văn bản và sổ đăng ký văn bản đi"

    def ready(self):
        # Imported here: the menu reads the permissions module once the app registry is ready; the tasks
        # module registers the Celery tasks, which the web processes publish by name.
        from . import tasks  # noqa: F401
        from .menu import register

        register()
