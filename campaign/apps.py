from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = "Kế hoạch phong trào thi đua"

    def ready(self):
        # Imported here: models can be imported only once the app registry is ready.
        from .home import register
        from .plan_loader import CAMPAIGN_ORDER, PlanLoader, register_plan_section

        register()
        register_plan_section(order=CAMPAIGN_ORDER, load=PlanLoader.load_campaign)
