"""One writer at a time for a catalog: every import and sync holds this lock while it writes.

On SQLite the lock is ``flock`` on a file beside the database (``catalog.sqlite.lock``); on
PostgreSQL a session advisory lock (``pg_try_advisory_lock``) on a connection kept open for as
long as the writer runs. Neither waits: a second writer is refused at once with ``CatalogBusy``
and changes nothing. Both locks go away with the process that holds them, however it ends, so a
crashed sync never blocks the next one. Within one thread the lock is re-entrant (a sync holds it
and imports through ``import_catalog``, which takes it again); another thread of the same process
is refused like another process.

``Held.verify()`` is called right before a new catalog is committed or swapped in: a lock that
was lost on the way (the lock file deleted, the PostgreSQL session ended) stops the writer
before it replaces anything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

# pg_try_advisory_lock(bigint): "hyte" and "catW" as two 32-bit halves. Advisory locks are per
# database, so catalogs in different databases of one server do not block each other.
PG_KEY_HIGH, PG_KEY_LOW = 0x68797465, 0x63617457
PG_KEY = (PG_KEY_HIGH << 32) | PG_KEY_LOW


class CatalogBusy(RuntimeError):
    """Another sync or import is writing this catalog; nothing was changed. The message is one line."""


def sqlite_path(database_url: str) -> Path | None:
    """The database file of a ``sqlite:///`` URL, None for any other store."""
    if not database_url.startswith("sqlite:///"):
        return None
    return Path(database_url.removeprefix("sqlite:///").split("?", 1)[0])


def lock_path_for(path: Path) -> Path:
    """``catalog.sqlite`` -> ``catalog.sqlite.lock`` (also used for the sync's snapshot folder)."""
    resolved = path.resolve()
    return resolved.with_name(resolved.name + ".lock")


def _holder_line(what: str) -> str:
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{what} by pid {os.getpid()} on {socket.gethostname()} since {since}"


class _FileLock:
    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self.fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise CatalogBusy(f"another sync is running ({holder or 'an import or sync'}; lock {self.path}); "
                              "the catalog was left as it is") from None
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        line = _holder_line(self.what).encode("utf-8", "replace")[:500]
        os.ftruncate(fd, 0)
        os.pwrite(fd, line + b"\n", 0)

    def verify(self) -> None:
        """Still ours: the file we lock is the one a new writer would lock."""
        assert self.fd is not None
        try:
            same = os.stat(self.path).st_ino == os.fstat(self.fd).st_ino
        except OSError:
            same = False
        if not same:
            raise CatalogBusy(f"the catalog writer lock {self.path} was removed while this writer ran; "
                              "the catalog was left as it is")

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):  # the file stays: removing it would let a third writer lock a new one
            os.ftruncate(self.fd, 0)
        os.close(self.fd)  # closing releases the flock
        self.fd = None


def _read_holder(fd: int) -> str:
    try:
        return os.pread(fd, 500, 0).decode("utf-8", "replace").strip().splitlines()[0]
    except (OSError, IndexError):
        return ""


class _PostgresLock:
    def __init__(self, database_url: str, what: str) -> None:
        self.url = database_url
        self.what = what
        self.conn: Connection | None = None
        self._engine: Engine | None = None

    def acquire(self) -> None:
        name = f"{self.what[:40]} by pid {os.getpid()}"  # at most 63 characters are kept
        engine = self._engine = create_engine(self.url, poolclass=NullPool, isolation_level="AUTOCOMMIT",
                                              connect_args={"application_name": name})
        try:
            conn = engine.connect()
        except BaseException:
            engine.dispose()
            raise
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": PG_KEY}).scalar_one()
            if not got:
                holder = self._holder(conn)
                raise CatalogBusy(f"another sync is running ({holder or 'an import or sync'}; PostgreSQL advisory "
                                  f"lock {PG_KEY}); the catalog was left as it is")
        except BaseException:
            conn.close()
            engine.dispose()
            raise
        self.conn = conn

    @staticmethod
    def _holder(conn: Connection) -> str:
        try:
            row = conn.execute(text(
                "SELECT a.pid, a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = :high "
                "AND l.objid::bigint = :low AND l.objsubid = 1 "
                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
                {"high": PG_KEY_HIGH, "low": PG_KEY_LOW}).first()
        except SQLAlchemyError:
            return ""
        if row is None:
            return ""
        started = row.backend_start.strftime("%Y-%m-%dT%H:%M:%S%z") if row.backend_start else "?"
        where = row.client_addr or "the server"
        return f"{row.application_name or 'a writer'} on {where}, session {row.pid} since {started}"

    def verify(self) -> None:
        assert self.conn is not None
        try:
            held = self.conn.execute(text(
                "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' "
                "AND granted AND classid::bigint = :high AND objid::bigint = :low AND objsubid = 1"),
                {"high": PG_KEY_HIGH, "low": PG_KEY_LOW}).scalar_one()
        except SQLAlchemyError:
            held = 0
        if not held:
            raise CatalogBusy("the catalog writer lock (PostgreSQL session) was lost while this writer ran; "
                              "the catalog was left as it is")

    def release(self) -> None:
        if self.conn is not None:
            try:
                self.conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_KEY})
            except SQLAlchemyError:
                pass  # a lost session has released the lock already
            finally:
                self.conn.close()
                self.conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


@dataclass
class Held:
    """A writer lock held by this thread."""

    key: str
    lock: _FileLock | _PostgresLock
    owner: int = field(default_factory=threading.get_ident)
    depth: int = 1

    def verify(self) -> None:
        self.lock.verify()


_held: dict[str, Held] = {}
_guard = threading.Lock()


@contextmanager
def _exclusive(key: str, make: Callable[[], _FileLock | _PostgresLock]) -> Iterator[Held]:
    me = threading.get_ident()
    with _guard:
        held = _held.get(key)
        if held is not None:
            if held.owner != me:
                raise CatalogBusy(f"another sync is running (another thread of this process holds {key}); "
                                  "the catalog was left as it is")
            held.depth += 1
    if held is not None:
        try:
            yield held
        finally:
            with _guard:
                held.depth -= 1
        return
    lock = make()
    lock.acquire()
    held = Held(key, lock)
    with _guard:
        _held[key] = held
    try:
        yield held
    finally:
        with _guard:
            _held.pop(key, None)
        lock.release()


def catalog_writer(database_url: str, what: str = "import") -> AbstractContextManager[Held]:
    """``with catalog_writer(url, "sync of Municipality:905") as held:`` ... raises ``CatalogBusy``."""
    path = sqlite_path(database_url)
    if path is not None:
        lock_file = lock_path_for(path)
        return _exclusive(f"file:{lock_file}", lambda: _FileLock(lock_file, what))
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"the catalog store must be SQLite or PostgreSQL, not {url.get_backend_name()!r}")
    key = f"pg:{url.host}:{url.port}/{url.database}"
    return _exclusive(key, lambda: _PostgresLock(database_url, what))


def folder_writer(folder: Path, what: str) -> AbstractContextManager[Held]:
    """The same kind of lock for a folder (the sync's PTV snapshot): ``<folder>.lock`` beside it."""
    lock_file = lock_path_for(folder)
    return _exclusive(f"file:{lock_file}", lambda: _FileLock(lock_file, what))
