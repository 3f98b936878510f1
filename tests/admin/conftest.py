import pytest


@pytest.fixture
def admin_request(rf, administrator):
    """A request made by the administrator, for calling model admin methods directly."""
    request = rf.get("/admin/")
    request.user = administrator
    return request
