"""A nightly check for the worker tests, loaded into a real worker with `celery worker --include`.

It registers last ("zzz."), so the real checks have finished when it runs. When the worker's
environment names NIGHTLY_PROBE_DIR it writes `started-<pid>` there and blocks until a file
`go` appears (the test's signal), so a test can kill the process mid-run or start a rival.
"""

from datetime import date
from pathlib import Path
import os
import time

from opsdept import nightly


@nightly.register("zzz.probe")
def probe(day: date) -> int:
    folder = os.environ.get("NIGHTLY_PROBE_DIR")
    if not folder:
        return 0
    (Path(folder) / f"started-{os.getpid()}").write_text(day.isoformat())
    deadline = time.monotonic() + 300
    while not (Path(folder) / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return 0
