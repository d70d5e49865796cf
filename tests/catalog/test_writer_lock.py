"""The catalog writer lock on both stores: a file lock beside an SQLite catalog, an advisory lock
on PostgreSQL. Other writers are real threads and processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from bot.catalog import store
from bot.catalog.importer import import_catalog
from bot.catalog.writer_lock import CatalogBusy, catalog_writer, folder_writer, lock_path_for

PROJECT_DIR = Path(__file__).resolve().parents[2]
HOLD = """
import sys, time
from bot.catalog.writer_lock import catalog_writer
with catalog_writer(sys.argv[1], "test holder"):
    print("held", flush=True)
    time.sleep(600)
"""


def _count(database: str) -> int:
    engine = store.make_engine(database)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(store.ServiceRow)).scalar_one())
    finally:
        engine.dispose()


def _acquire_within(database: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with catalog_writer(database, "test"):
                return
        except CatalogBusy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_a_writer_that_dies_releases_the_lock(catalog_url: str) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, catalog_url], cwd=PROJECT_DIR, stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)}, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(CatalogBusy, match=f"another sync is running \\(test holder by pid {holder.pid}"), \
                catalog_writer(catalog_url, "second"):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)  # no clean-up of any kind
        holder.wait(timeout=30)
    _acquire_within(catalog_url, 15)


def test_reentrant_in_one_thread_refused_in_another(catalog_url: str) -> None:
    errors: list[BaseException] = []

    def other() -> None:
        try:
            with catalog_writer(catalog_url, "other thread"):
                pass
        except BaseException as exc:
            errors.append(exc)

    with catalog_writer(catalog_url, "outer") as held, catalog_writer(catalog_url, "inner") as again:
        assert again is held
        held.verify()
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(30)
    assert len(errors) == 1 and isinstance(errors[0], CatalogBusy)
    with catalog_writer(catalog_url, "after"):  # released by the outer exit
        pass


def test_a_lost_lock_stops_the_import_before_it_replaces_the_catalog(catalog_url: str, ptv_real_dir: Path,
                                                                     demo_dir: Path,
                                                                     request: pytest.FixtureRequest) -> None:
    import_catalog(catalog_url, ptv_real_dir)
    before = _count(catalog_url)
    with catalog_writer(catalog_url, "sync") as held:
        if catalog_url.startswith("sqlite"):
            lock_path_for(Path(catalog_url.removeprefix("sqlite:///"))).unlink()  # e.g. a clean-up of var/
        else:  # the session holding the advisory lock ends (idle timeout, restart, an administrator)
            lock = held.lock
            pid = lock.conn.execute(text("SELECT pg_backend_pid()")).scalar_one()  # type: ignore[union-attr]
            admin = create_engine(request.getfixturevalue("postgres_url"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.dispose()
        with pytest.raises(CatalogBusy, match=r"lost|removed"):
            import_catalog(catalog_url, demo_dir)
    assert _count(catalog_url) == before
    if catalog_url.startswith("sqlite"):
        assert not Path(catalog_url.removeprefix("sqlite:///") + ".new").exists()


def test_the_snapshot_folder_has_its_own_lock(tmp_path: Path) -> None:
    snapshot = tmp_path / "ptv"
    with folder_writer(snapshot, "sync of A"):
        assert (tmp_path / "ptv.lock").exists()
        holder = subprocess.run([sys.executable, "-c", (
            "import sys; from pathlib import Path; from bot.catalog.writer_lock import folder_writer\n"
            "with folder_writer(Path(sys.argv[1]), 'sync of B'): pass"), str(snapshot)],
            cwd=PROJECT_DIR, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)}, capture_output=True, text=True)
        assert holder.returncode != 0 and "another sync is running (sync of A by pid" in holder.stderr
    with folder_writer(snapshot, "sync of B"):
        pass


def test_only_sqlite_and_postgresql() -> None:
    with pytest.raises(ValueError, match="SQLite or PostgreSQL"), catalog_writer("mysql://u@h/db"):
        pass
