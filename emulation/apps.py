from django.apps import AppConfig


class EmulationConfig(AppConfig):
    name = "emulation"
    verbose_name = "Thi đua hằng năm"

    def ready(self):
        # Imported here: models can be imported only once the app registry is ready.
        from .plugins import register

        register()
