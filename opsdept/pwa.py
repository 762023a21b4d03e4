"""Installable on the phone: the web app manifest, the service worker and its offline page.

The service worker is served from the site root (`/sw.js`) so that its scope is the whole site. It
caches the shell (the style sheets, scripts, icons and the offline page) and answers a page request
with the offline page when the network is gone. It never touches anything but GET: punching and
every other change go to the server or fail, and the offline page says so (a punch is the server's
clock at the moment of the tap; a phone's queued tap would be a different time).
"""

import hashlib
import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0d6efd"

# What the service worker keeps for offline use: no page with anyone's data, only the shell.
SHELL_STATIC = [
    "vendor/bootstrap/bootstrap.min.css", "css/opsdept.css", "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js", "js/pwa.js", "favicon.svg", "icons/icon-192.png", "icons/icon-512.png",
]


def shell_urls() -> list[str]:
    return [reverse("offline")] + [static(path) for path in SHELL_STATIC]


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]
    data = {
        "name": _("Operations department"), "short_name": _("Operations"), "lang": request.LANGUAGE_CODE,
        "description": _("Clock in and out, leave, daily reports and the department's rules."),
        "start_url": reverse("home"), "scope": "/", "display": "standalone", "orientation": "portrait",
        "theme_color": THEME_COLOUR, "background_color": "#ffffff", "icons": icons,
        "shortcuts": [{"name": _("Clock in / out"), "url": reverse("attendance:punch"),
                       "icons": [{"src": static("icons/icon-192.png"), "sizes": "192x192"}]}],
    }
    response = JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = shell_urls()
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    # JSON of our own URLs: a JavaScript literal (this is a script, not HTML; nothing here comes from a user).
    response = render(request, "opsdept/sw.js", {"shell": json.dumps(shell), "offline": json.dumps(reverse("offline")),
                                                 "version": version},
                      content_type="text/javascript; charset=utf-8")
    # The worker controls the whole site from the root; browsers re-check it on every visit.
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows without a network: the same for everyone (it is cached)."""
    response = render(request, "opsdept/offline.html", {"theme_colour": THEME_COLOUR})
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own: send them to the static icon (its hashed name in production)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
