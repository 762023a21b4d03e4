import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast's seven users are hashed for every test; a fast hasher keeps the matrix quick.

    The browser journeys (tests/e2e) still sign in through the real login form.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
