"""The README's production set-up works: collectstatic under the manifest storage, pages render."""

import os
from pathlib import Path
import re
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "q7Vx-3kLp9Zr2mWc8TnY4bHs6JdFg1QaEu5RiOoPlKj0XzVbNm"


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**base, "DJANGO_ENV": "production", "SECRET_KEY": STRONG_KEY, "DEBUG": "false",
            "ALLOWED_HOSTS": "example.com", "STATIC_ROOT": str(tmp_path / "static"),
            "OPSDEPT_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", **extra}


def test_collectstatic_succeeds_under_the_production_manifest_storage(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                            cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_every_vendored_source_map_reference_points_at_a_shipped_file():
    """whitenoise's manifest storage fails on a sourceMappingURL whose .map is missing."""
    missing = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in {".js", ".css", ".mjs"}:
            continue
        for match in re.finditer(r"sourceMappingURL=([^\s*]+)", path.read_text(encoding="utf-8", errors="replace")):
            if not match.group(1).startswith("data:") and not (path.parent / match.group(1)).exists():
                missing.append(f"{path.relative_to(ROOT)} -> {match.group(1)}")
    assert not missing, missing


def test_no_script_reads_the_csrf_cookie_so_it_can_be_httponly():
    readers = [str(path.relative_to(ROOT)) for path in (ROOT / "static").rglob("*.js")
               if "vendor" not in path.parts and re.search(r"document\.cookie|csrftoken", path.read_text(errors="replace"))]
    templates = [str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")
                 if "document.cookie" in path.read_text(errors="replace")]
    assert not readers and not templates, readers + templates
