"""Who may read and who may change the plan's data on the portal's pages (the admin has its own rules)."""


def can_see_cited_documents(user):
    """The office and leadership read the documents the portal's documents cite."""
    return user.is_authenticated and (user.is_office_reviewer or user.is_leadership)


def can_edit_cited_documents(user):
    """The office (Phòng Hành chính - Tổng hợp) enters and corrects them."""
    return user.is_authenticated and user.is_office_reviewer
