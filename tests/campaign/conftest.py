import pytest

from campaign.plan_loader import load_plan


@pytest.fixture
def plan(db):
    """The plan loaded from the real data file; the fixture's value is the LoadResult."""
    return load_plan()
