"""The house plan: imports point down only, and the chapters meet in opsdept/registries.py."""

import ast
from pathlib import Path

import pytest

from opsdept import registries

ROOT = Path(__file__).resolve().parent.parent
# Bottom up (DESIGN.md, "Layers and extension points"); the top chapters sit side by side.
LAYER = {"opsdept": 0, "discipline": 1, "attendance": 2, "leave": 3, "worklog": 3, "meetings": 3, "duty": 3}


def imports_of(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def upward_imports() -> list[str]:
    bad = []
    for app, level in LAYER.items():
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line, name in imports_of(path):
                top = name.split(".")[0]
                if top in LAYER and top != app and LAYER[top] >= level:
                    bad.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return bad


def test_no_module_imports_up_or_sideways_across_the_layers():
    assert upward_imports() == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from leave import services\n    import_module('worklog.checks')\n", encoding="utf-8")
    assert sorted(name for _line, name in imports_of(module)) == ["leave", "worklog.checks"]


@pytest.mark.parametrize("point, keys", [
    (registries.nightly_checks, {"attendance.lateness", "leave.late_slip", "worklog.missing_report", "worklog.unfinished_task"}),
    (registries.day_providers, {"leave"}),
    (registries.export_columns, {"leave.types", "discipline.money"}),
    (registries.year_summary_columns, {"attendance", "worklog"}),
    (registries.dashboard_cards, {"attendance", "leave", "worklog", "discipline"}),
    (registries.calendar_changed_hooks, {"attendance", "leave"}),
    (registries.demo_seeders, {"opsdept", "attendance", "leave", "worklog", "discipline"}),
])
def test_each_chapter_registers_its_extension_points(point, keys):
    assert keys <= {key for key, _entry in point.items()}


def test_registering_a_key_again_replaces_it_and_order_decides():
    point = registries.Point("example")
    point.register("b", 2, order=20)
    point.register("a", 1, order=30)
    point.register("b", 3, order=20)
    assert list(point) == [3, 1] and len(point) == 2


def test_people_are_seeded_first_and_discipline_last():
    keys = [key for key, _seeder in registries.demo_seeders.items()]
    assert keys[0] == "opsdept" and keys[-1] == "discipline"
