from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = "Khen thưởng"

    def ready(self):
        # Imported here: models can be imported only once the app registry is ready. The tasks module
        # registers the Celery tasks, which the web processes publish by name.
        from campaign.plan_loader import CATALOGUE_ORDER, register_plan_section
        from emulation.extensions import register_title_catalogue
        from reports.extensions import register_snapshot_part

        from . import tasks  # noqa: F401
        from .catalogue import load_award_catalogue
        from .menu import register
        from .selectors import awards_for_period, emulation_titles

        register()
        register_plan_section(order=CATALOGUE_ORDER, load=load_award_catalogue)
        # Section III of the consolidated report: the awards of the period, from the award register.
        register_snapshot_part("awards", awards_for_period)
        # The titles units register for and propose at their year-end assessment.
        register_title_catalogue(emulation_titles)
