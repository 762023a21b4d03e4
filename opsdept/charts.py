"""Chart specs: the plain data a page hands to `static/js/charts.js` through `json_script`.

A selector builds a spec from its numbers; the page prints the same numbers as text (it reads
without JavaScript) and puts the spec in a `json_script` element that a `[data-chart]` element
names. `charts.js` turns a spec into Apache ECharts options, so no page carries inline script
(the CSP allows only our own files).

A spec: {"kind": "bar" | "line", "stack": bool, "categories": [str], "series": [Series],
"percent_axis": bool, "spark": bool}; a series: {"name": str, "data": [number], "color": str,
"kind": "bar" | "line" (optional), "percent": bool (drawn against the right-hand 0–100 % axis)}.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

# One colour per attendance status everywhere: the heat-map cells (opsdept.css) and the charts.
STATUS_COLOURS = {
    "normal": "#198754",
    "late": "#e0a800",
    "early": "#e0a800",
    "missing": "#fd7e14",
    "absent": "#dc3545",
    "leave": "#0d6efd",
    "punctuality": "#6f42c1",
}


def _number(value: Any) -> float | int:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def series(name: Any, data: Sequence[Any], *, colour: str, kind: str | None = None, percent: bool = False) -> dict[str, Any]:
    item: dict[str, Any] = {"name": str(name), "data": [_number(value) for value in data], "color": colour}
    if kind:
        item["kind"] = kind
    if percent:
        item["percent"] = True
    return item


def spec(kind: str, categories: Sequence[Any], data: Sequence[dict[str, Any]], *, stack: bool = False,
         spark: bool = False) -> dict[str, Any]:
    return {
        "kind": kind, "stack": stack, "spark": spark, "categories": [str(item) for item in categories],
        "series": list(data), "percent_axis": any(item.get("percent") for item in data),
    }
