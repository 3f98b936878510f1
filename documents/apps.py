from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Văn bản và sổ đăng ký văn bản đi"

    def ready(self):
        # Imported here: the menu reads the permissions module once the app registry is ready.
        from .menu import register

        register()
