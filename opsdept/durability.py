"""Nothing is hard-deleted: the rows the department's record rests on refuse `delete()`.

Each chapter protects its own from its AppConfig.ready(): `durability.protect(Punch, ...)`.
A `pre_delete` receiver raises for one row and for a queryset alike (Django sends the
signal per row, and gives up its fast path, as soon as a receiver is connected), and for
a cascade from a parent row. `flush` in tests and `restore` work below the ORM and are
not affected. Cancelling, reversing or deactivating is how these rows change.
"""

from django.db import models
from django.db.models.signals import pre_delete

PROTECTED: list[type[models.Model]] = []


class HardDeleteRefused(Exception):
    """Someone tried to delete a row that the department's record rests on."""


def _refuse(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    raise HardDeleteRefused(f"{sender._meta.label} rows are never deleted (pk={instance.pk}); "
                            "cancel, reverse or deactivate instead.")


def protect(*protected: type[models.Model]) -> None:
    for model in protected:
        if model not in PROTECTED:
            PROTECTED.append(model)
            pre_delete.connect(_refuse, sender=model, dispatch_uid=f"opsdept.durability.{model._meta.label}")
