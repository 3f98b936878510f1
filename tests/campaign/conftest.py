import pytest

from campaign.plan_loader import load_plan
from tests.plan_data import unload_plan


@pytest.fixture
def plan(db):
    """The plan loaded from the real data file into a database without it; the fixture's value is the LoadResult."""
    unload_plan()
    return load_plan()
