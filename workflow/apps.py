from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Trạng thái và việc nền"

    def ready(self):
        # Imported here: an AppConfig module is imported before the apps are ready; registering is the ready step.
        from portal.health import register_waiting_jobs

        from .jobs import waiting_jobs

        register_waiting_jobs(waiting_jobs)
