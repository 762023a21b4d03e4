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
