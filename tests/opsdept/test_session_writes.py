"""An unchanged page view does not write the session; the idle timeout still holds within a minute."""

import time
from unittest import mock

from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from opsdept.middleware import SessionTouchMiddleware


def _saves_during(client, url: str) -> int:
    with mock.patch.object(SessionStore, "save", autospec=True, side_effect=SessionStore.save) as save:
        response = client.get(url)
    assert response.status_code == 200
    return save.call_count


def test_an_unchanged_get_does_not_save_the_session(client, cast):
    client.force_login(cast.employee.user)  # a login stamps the session
    assert _saves_during(client, reverse("home")) == 0
    assert _saves_during(client, reverse("home")) == 0
    assert _saves_during(client, reverse("attendance:punch")) == 0


def test_the_session_is_touched_again_after_a_minute_so_the_idle_timeout_holds(client, cast, settings):
    client.force_login(cast.employee.user)
    _saves_during(client, reverse("home"))
    later = time.time() + settings.SESSION_TOUCH_SECONDS + 1
    with mock.patch("time.time", return_value=later):
        assert _saves_during(client, reverse("home")) == 1
        response = client.get(reverse("home"))
    assert "sessionid" not in response.cookies  # saved once, not again within the minute
    assert client.session[SessionTouchMiddleware.KEY] == int(later)


def test_an_anonymous_visit_creates_no_session(client, db):
    with mock.patch.object(SessionStore, "save", autospec=True, side_effect=SessionStore.save) as save:
        assert client.get(reverse("login")).status_code == 200
    assert save.call_count == 0
