from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class RequestSizeLimitMiddleware:
    """Refuse a request whose body (files included) is larger than MAX_REQUEST_BYTES with 413.

    Django limits the form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) and the number of files
    (DATA_UPLOAD_MAX_NUMBER_FILES), not the files' total size: without this one request
    could carry hundreds of megabytes to the temporary folder.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            from django.utils.translation import gettext as _

            return HttpResponse(_("The upload is too large."), status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RequestMemoMiddleware:
    """Remember the settings rows and the work calendar for the length of one request (opsdept.memo)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from . import memo

        token = memo.begin()
        try:
            return self.get_response(request)
        finally:
            memo.end(token)


class SecurityHeadersMiddleware:
    """Headers Django does not set by itself: a strict CSP and a permissions policy."""

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user chose English with the language switch (a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    the department works in Chinese, whatever language a phone is set to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        return response


def stamp_session_on_login(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """A login writes the session anyway: stamp it then, so the next page does not write it again."""
    import time

    session = getattr(request, "session", None)
    if session is not None:
        session[SessionTouchMiddleware.KEY] = int(time.time())


class SessionTouchMiddleware:
    """Keep the idle timeout without writing the session on every request.

    Django's SESSION_SAVE_EVERY_REQUEST writes the session row (and a cookie) on every page;
    at group scale that is a write per click. Here a request that changed nothing re-saves
    the session only when its last save is more than SESSION_TOUCH_SECONDS ago, so the idle
    timeout (SESSION_COOKIE_AGE) is exact to within that minute.
    """

    KEY = "_touched"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import time

        from django.conf import settings

        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        try:
            touched = int(session.get(self.KEY, 0))
        except (TypeError, ValueError):
            touched = 0
        if session.modified or now - touched >= settings.SESSION_TOUCH_SECONDS:
            session[self.KEY] = now  # marks it modified: SessionMiddleware (outside us) saves it
        return response
