"""The CSP allows only our own scripts and style sheets: no template may carry an inline style, handler or script."""

from pathlib import Path
import re

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Mail is read by mail clients, not under our CSP: inline styles are how mail is styled.
EXEMPT = {"opsdept/mail"}
INLINE = re.compile(r"""\sstyle\s*=\s*["']|\son[a-z]+\s*=\s*["']|<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)|<style[\s>]""",
                    re.IGNORECASE)


def test_no_template_has_inline_styles_handlers_or_scripts():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        relative = path.relative_to(TEMPLATES).as_posix()
        if any(relative.startswith(prefix) for prefix in EXEMPT):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(re.sub(r"\{#.*?#\}", "", line)):
                found.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert found == []
