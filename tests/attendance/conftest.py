import pytest

from opsdept import registries
from tests.attendance.factories import FakeLeave


@pytest.fixture
def fake_leave():
    """Register a fake leave provider for the test (the leave chapter registers the real one)."""
    provider = FakeLeave()
    registries.day_providers.register("test.fake_leave", registries.DayProvider(kind="leave", covers=provider))
    yield provider
    registries.day_providers.unregister("test.fake_leave")
