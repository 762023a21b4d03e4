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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast's passwords are hashed for every test; a fast hasher keeps this folder quick on a shared machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
