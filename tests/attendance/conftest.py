import pytest

from attendance import registry
from tests.attendance.factories import FakeLeave


@pytest.fixture
def fake_leave():
    """Register a fake leave provider for the test (the leave chapter registers the real one)."""
    provider = FakeLeave()
    registry.leave_providers.append(provider)
    yield provider
    registry.leave_providers.remove(provider)

