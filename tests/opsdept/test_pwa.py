"""Installable on the phone: the manifest, the icons, the service worker and its offline page."""

import json
from pathlib import Path

from django.urls import reverse
from PIL import Image

from opsdept import pwa

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_manifest_names_the_app_its_icons_and_theme(client, db):
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "运营部" and data["display"] == "standalone"
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["theme_color"] == pwa.THEME_COLOUR
    sizes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    assert data["shortcuts"][0]["url"] == reverse("attendance:punch")


def test_the_icons_are_pngs_of_their_stated_sizes():
    for name, size in (("icon-192", 192), ("icon-512", 512), ("icon-maskable-512", 512), ("apple-touch-icon", 180)):
        with Image.open(STATIC / "icons" / f"{name}.png") as image:
            assert image.format == "PNG" and image.size == (size, size)


def test_the_service_worker_is_served_from_the_root_and_caches_only_the_shell(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    for url in pwa.shell_urls():
        assert f'"{url}"' in body
    assert '"/offline/"' in body
    # Punching (a POST) never goes through the worker's cache.
    assert 'request.method !== "GET"' in body


def test_the_offline_page_says_punching_needs_a_connection_and_holds_nobody_s_data(client, cast):
    client.force_login(cast.employee.user)
    response = client.get(reverse("offline"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "你已离线" in html and "打卡需要联网" in html
    assert cast.employee.name not in html and "csrfmiddlewaretoken" not in html


def test_every_page_links_the_manifest_and_registers_the_worker(client, cast):
    client.force_login(cast.employee.user)
    html = client.get(reverse("home")).content.decode()
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in html
    assert '<meta name="theme-color" content="#0d6efd">' in html
    assert 'data-service-worker="/sw.js"' in html
