"""The room's QR code: a token that names one meeting and one 30-second window, signed with the secret key.

A photo of the code sent to a friend stops working within a minute: the current and the
previous window are accepted (a scan at the end of a window still counts), nothing older.
"""

from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare

WINDOW_SECONDS = 30
SALT = "meetings.checkin"


def _window(now_timestamp: float) -> int:
    return int(now_timestamp // WINDOW_SECONDS)


def _sign(meeting_id: int, window: int) -> str:
    return signing.Signer(salt=SALT).sign(f"{meeting_id}.{window}")


def current_token(meeting_id: int) -> str:
    return _sign(meeting_id, _window(timezone.now().timestamp()))


def seconds_left() -> int:
    return WINDOW_SECONDS - int(timezone.now().timestamp()) % WINDOW_SECONDS


def is_valid(meeting_id: int, token: str) -> bool:
    """Whether `token` is this meeting's code for the current or the previous window."""
    window = _window(timezone.now().timestamp())
    token = (token or "").strip()
    return any(constant_time_compare(token, _sign(meeting_id, candidate)) for candidate in (window, window - 1))
