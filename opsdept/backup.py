"""Backup and restore (所有数据和文件必须有备份，并定期进行恢复测试).

An archive is one .tar.gz holding `manifest.json` (when, which engine, row
counts per table), the database (`db.sqlite3`, a consistent copy made with
SQLite's online backup API, or `db.pgdump`, pg_dump's custom format) and the
uploaded files under `media/`.
"""

from datetime import datetime
from pathlib import Path
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def row_counts(alias: str = "default") -> dict[str, int]:
    """Rows per table of every installed model, for the manifest and the restore test."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._default_manager.using(alias).count()
    return dict(sorted(counts.items()))


def database_is_empty(alias: str = "default") -> bool:
    """No logins, people or audit events: a new or freshly migrated database.

    (`migrate` itself fills content types, permissions and the policy's rules.)
    """
    from django.contrib.auth import get_user_model

    from .models import AuditEvent, Employee

    tables = set(connections[alias].introspection.table_names())
    for model in (get_user_model(), Employee, AuditEvent):
        if model._meta.db_table in tables and model._default_manager.using(alias).exists():
            return False
    return True


def _pg_env(db: dict) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"PGPASSWORD": str(db.get("PASSWORD") or ""), "PGHOST": str(db.get("HOST") or "127.0.0.1"),
                "PGPORT": str(db.get("PORT") or "5432"), "PGUSER": str(db.get("USER") or "")})
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed.") from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")


def create_backup(directory: Path | None = None, alias: str = "default") -> Path:
    """Write a dated archive into `directory` (default BACKUP_DIR); return its path."""
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = connections[alias].settings_dict
    engine = connections[alias].vendor
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"opsdept-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if engine == "sqlite":
            dump = tmp_path / "db.sqlite3"
            source = sqlite3.connect(str(db["NAME"]))
            target = sqlite3.connect(str(dump))
            with target:
                source.backup(target)
            source.close()
            target.close()
        elif engine == "postgresql":
            dump = tmp_path / "db.pgdump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), str(db["NAME"])], _pg_env(db))
        else:
            raise BackupError(f"Backups of {engine} databases are not supported.")
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database_file": dump.name,
            "row_counts": row_counts(alias),
        }
        # The archive holds every password hash and personal record: readable by its owner only.
        descriptor = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname="media")
    return archive


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError
            return json.load(member)
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive} is not an opsdept backup archive.") from error


def _holds_files(folder: Path) -> bool:
    return folder.is_dir() and any(path.is_file() for path in folder.rglob("*"))


def restore_backup(archive: Path, *, force: bool = False, alias: str = "default", media_root: Path | None = None) -> dict:
    """Restore `archive` into the configured database (it must be empty unless `force`).

    The uploaded files go to `media_root`, by default MEDIA_ROOT; a MEDIA_ROOT that already
    holds files is the live media folder, written into only with `force`.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"No such file: {archive}")
    manifest = read_manifest(archive)
    engine = connections[alias].vendor
    if manifest.get("engine") != engine:
        raise BackupError(f"The archive holds a {manifest.get('engine')} database; this installation uses {engine}.")
    if not force and not database_is_empty(alias):
        raise BackupError("The database is not empty. Restore into an empty database, or pass --force to overwrite it.")
    target_media = Path(media_root or settings.MEDIA_ROOT)
    if media_root is None and not force and _holds_files(target_media):
        raise BackupError(f"MEDIA_ROOT ({target_media}) already holds files: it looks like the live media folder. "
                          "Restore the files elsewhere with --media-root DIR, or pass --force to write into it.")
    db = connections[alias].settings_dict
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp_path, filter="data")
        dump = tmp_path / manifest["database_file"]
        if engine == "sqlite":
            connections[alias].close()
            source = sqlite3.connect(str(dump))
            target = sqlite3.connect(str(db["NAME"]))
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            connections[alias].close()
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                  "--dbname", str(db["NAME"]), str(dump)], _pg_env(db))
        media = tmp_path / "media"
        if media.is_dir():
            target_media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media, target_media, dirs_exist_ok=True)
    connection.close()
    return manifest
