"""A `{# … #}` comment ends on its own line in Django: one spread over lines is printed on the page as text."""

from pathlib import Path

from django.conf import settings


def test_no_template_comment_spans_lines():
    spread = []
    for folder in [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]:
        for path in folder.rglob("*.html"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.count("{#") > line.count("#}"):
                    spread.append(f"{path.relative_to(folder)}:{number}")
    assert spread == [], f"use {{% comment %}} for a comment over several lines: {spread}"
