"""The overview's entries in the menu and on the home page, registered from OverviewConfig.ready()."""


def register():
    pass
