"""Reads remembered for the length of one web request (issue 16): the settings rows (`SingletonModel.current()`),
the work calendar's overrides and an approver's deputy arrangements (`permissions.deputising`), which one page
otherwise reads again in every selector it calls (the team month read the work schedule five times and the
calendar five times; the home page the deputies four times).

`RequestMemoMiddleware` (opsdept.middleware) opens the memo for a request and closes it after; outside a
request (the nightly run, Celery tasks, shell, tests calling selectors directly) nothing is remembered. A
save or delete of a remembered model during the request turns the memo off for the rest of it, so a request
that changes a setting, or whose change is rolled back, reads the database again.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any, TypeVar

T = TypeVar("T")

_OFF = object()
_memo: ContextVar[dict | None] = ContextVar("opsdept_request_memo", default=None)


def begin() -> Token:
    return _memo.set({})


def end(token: Token) -> None:
    _memo.reset(token)


def remembered(key: Any, load: Callable[[], T]) -> T:
    """`load()`, once per request for `key` (every time outside a request or once the memo is off)."""
    memo = _memo.get()
    if memo is None or _OFF in memo:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def forget() -> None:
    """A remembered model was written: read the database again for the rest of the request."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()
        memo[_OFF] = True


def forget_on_write(sender: type, instance: object, **kwargs: object) -> None:
    """post_save / post_delete receiver (connected in OpsdeptConfig.ready): a settings row, the calendar or a deputy."""
    from .models import CalendarOverride, CalendarYear, Deputy, SingletonModel

    if isinstance(instance, (SingletonModel, CalendarOverride, CalendarYear, Deputy)):
        forget()


def active() -> bool:
    """Whether reads are remembered now (inside a request, before any remembered model was written)."""
    memo = _memo.get()
    return memo is not None and _OFF not in memo
