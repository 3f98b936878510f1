from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "overview"
    verbose_name = "Tổng quan"

    def ready(self):
        # Imported here: the registrations read models, importable only once the app registry is ready.
        from . import menu, waiting

        menu.register()
        waiting.register()
