from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "Đơn vị và người dùng"

    def ready(self):
        # Imported here: models can be imported only once the app registry is ready.
        from campaign.plan_loader import UNITS_ORDER, register_plan_section

        from . import security_log  # noqa: F401 — connects the sign-in audit receivers
        from .plan import load_plan_units

        register_plan_section(order=UNITS_ORDER, load=load_plan_units)
