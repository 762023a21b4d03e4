import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads land in a temporary MEDIA_ROOT, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
