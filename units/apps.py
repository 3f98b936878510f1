from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "Đơn vị và người dùng"

    def ready(self):
        from . import security_log  # noqa: F401  (connects the sign-in audit receivers)
