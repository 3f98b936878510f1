"""Template context shared by every page: the navigation the signed-in person may use."""


def navigation(request):
    return {}
