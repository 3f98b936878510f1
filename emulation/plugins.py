"""Where emulation plugs into the apps above it (reports' registries, the menu, the stored documents).

Called once from EmulationConfig.ready(); each area of the app adds its own registrations here.
"""


def register():
    # Imported here: each area's module imports models, loaded only once the app registry is ready.
    from . import tasks  # noqa: F401 -- registers the Celery tasks the beat and the web processes publish by name
    from .documents.assessment_stored import register as register_assessment_documents
    from .documents.ranking import register as register_ranking_section
    from .documents.stored import register as register_stored_documents
    from .menu import register as register_menu
    from .reports_plugins import register as register_reports_plugins

    register_menu()
    register_stored_documents()
    register_assessment_documents()
    register_reports_plugins()
    register_ranking_section()
