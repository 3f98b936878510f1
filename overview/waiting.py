"""What waits for the signed-in person ("Việc chờ tôi"): the home page's list and the menu's counts."""


def register():
    pass
