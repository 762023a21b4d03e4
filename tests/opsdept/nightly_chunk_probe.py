"""A chunked nightly check for the fan-out worker tests (loaded with `celery worker --include`).

When the worker's NIGHTLY_PROBE_DIR holds `fail-once-<employee id>`, the chunk holding that
employee fails once (the file is removed first), so the test sees the chunk sent again alone.
Each call appends its chunk's ids to `chunk-calls` there.
"""

from datetime import date
from pathlib import Path
import os

from opsdept import nightly


@nightly.register("zzy.chunk_probe")
def chunk_probe(day: date, employee_ids: list[int] | None = None) -> int:
    folder = os.environ.get("NIGHTLY_PROBE_DIR")
    if not folder or employee_ids is None:
        return 0
    with open(Path(folder) / "chunk-calls", "a") as calls:
        calls.write(",".join(map(str, employee_ids)) + "\n")
    for pk in employee_ids:
        marker = Path(folder) / f"fail-once-{pk}"
        if marker.exists():
            marker.unlink()
            raise RuntimeError(f"the chunk of employee {pk} fails once")
    return 0
