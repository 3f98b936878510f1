"""Where emulation plugs into the apps above it (reports' registries, the menu, the stored documents).

Called once from EmulationConfig.ready(); each area of the app adds its own registrations here.
"""


def register():
    # Imported here: each area's module imports models, loaded only once the app registry is ready.
    from .menu import register as register_menu

    register_menu()
