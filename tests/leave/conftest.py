import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads land in a temporary MEDIA_ROOT, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast's seven passwords are hashed for every test: a fast hasher keeps the matrix quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]



@pytest.fixture
def cast(cast):
    """The cast, plus the migration-seeded leave types and rules (an earlier transactional test may have flushed them)."""
    from .seed import ensure_seed_data

    ensure_seed_data()
    return cast
