"""Who may read the register of outgoing documents on the portal's page (the services alone write it)."""


def can_see_register(user):
    """The office, which records the numbers, and leadership, who sign the documents, read the register."""
    return user.is_authenticated and user.is_active and (user.is_office_reviewer or user.is_leadership)
