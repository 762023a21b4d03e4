"""The client's IP address, trusting X-Forwarded-For only from configured proxies."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the client address: REMOTE_ADDR, or the forwarded one behind a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = set(settings.TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    # Walk from the nearest hop back; the first address that is not one of our proxies is the client.
    for address in reversed(forwarded):
        if address not in trusted:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                return remote
            return address
    return remote


def client_ip_for_axes(request: HttpRequest) -> str:
    return client_ip(request)


def login_failure_limit(request: HttpRequest, credentials: dict | None) -> int:
    """django-axes' failure limit: per username + IP (AXES_USER_FAILURE_LIMIT), else per IP.

    Axes compares the largest failure count over its lockout parameters, which for the
    per-IP parameter sums every username tried from that address. So: the low per-user
    limit once this username failed that often from this address, the higher per-IP
    limit otherwise (a colleague's typos behind the office NAT do not lock everyone out,
    one address spraying a password over every login does).
    """
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    ip = getattr(request, "axes_ip_address", None) or client_ip(request)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(username=username, ip_address=ip, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start"))["total"] or 0
    return settings.AXES_USER_FAILURE_LIMIT if failures >= settings.AXES_USER_FAILURE_LIMIT else settings.AXES_IP_FAILURE_LIMIT
