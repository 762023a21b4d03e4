"""The discipline demo: records on the notice board, one appeal, a published policy; a second run changes nothing."""

import io

from discipline import demo
from discipline.models import Appeal, PolicyVersion, Record
from discipline.selectors import notice_board
from opsdept import demo as people_demo


def test_demo_is_idempotent(db):
    people_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    counts = (Record.objects.count(), Appeal.objects.count(), PolicyVersion.objects.count())
    assert counts == (5, 1, 1)
    assert notice_board().count() == 2
    demo.seed(io.StringIO())
    assert (Record.objects.count(), Appeal.objects.count(), PolicyVersion.objects.count()) == counts
