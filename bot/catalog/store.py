"""The catalog's tables (SQLAlchemy 2) and the engine that opens them.

SQLite is the embedded default, PostgreSQL the store for larger deployments; the full-text index
of either lives in ``text_index``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    Boolean,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ServiceRow(Base):
    __tablename__ = "services"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    provider_id: Mapped[str] = mapped_column(String(64), index=True)
    charge_type: Mapped[str] = mapped_column(String(32))
    nationwide: Mapped[bool] = mapped_column(Boolean, index=True)
    general: Mapped[bool] = mapped_column(Boolean)  # for everyone, no specific target group
    languages: Mapped[str] = mapped_column(String(64), default="")  # " fi sv "
    open_days: Mapped[str] = mapped_column(String(8), default="")  # weekdays open, "01234" = ma–pe
    accessible: Mapped[bool] = mapped_column(Boolean, default=False)  # PTV accessibility info says so
    modified: Mapped[str] = mapped_column(String(40))


class ServiceDocumentRow(Base):
    """The wide part of a service, read only for the services a page shows: ranking scans stay
    on the narrow ``services`` table."""

    __tablename__ = "service_documents"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    card: Mapped[str] = mapped_column(Text)  # JSON: what a search result shows
    raw: Mapped[str] = mapped_column(Text)  # the PTV record, unchanged


class ChannelRow(Base):
    __tablename__ = "channels"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)


class OrganizationRow(Base):
    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(40))
    raw: Mapped[str] = mapped_column(Text)


class CoverageRow(Base):
    """A municipality a service reaches: scope 0 = local (area or location), 1 = county-wide."""

    __tablename__ = "coverage"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    scope: Mapped[int] = mapped_column(Integer)

    # Covering: a municipality's services and scopes come from the index alone.
    __table_args__ = (Index("ix_coverage_municipality", "municipality_code", "scope", "service_id"),)


class CountyCoverageRow(Base):
    """The wellbeing services counties a service reaches, with its best scope there: a county
    search reads one key instead of every municipality of the county."""

    __tablename__ = "county_coverage"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    county_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    scope: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_county_coverage_county", "county_code", "scope", "service_id"),)


class ServiceThemeRow(Base):
    __tablename__ = "service_themes"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    theme: Mapped[str] = mapped_column(String(32), primary_key=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0, server_default="1.0")  # how surely, 0-1

    __table_args__ = (Index("ix_service_themes_theme", "theme", "service_id"),)


class ServiceGroupRow(Base):
    __tablename__ = "service_target_groups"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    target_group: Mapped[str] = mapped_column(String(32), primary_key=True)

    __table_args__ = (Index("ix_service_groups_group", "target_group", "service_id"),)


class LocationRow(Base):
    """A service location with known coordinates (WGS84), for distance ranking."""

    __tablename__ = "service_locations"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(3))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class MetaRow(Base):
    __tablename__ = "catalog_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Reads through a memory map instead of a system call per page: a third of the search time
    # at 50,000 services (docs/benchmarks.md). Address space only; the OS shares the pages.
    cursor.execute(f"PRAGMA mmap_size={1 << 30}")
    cursor.execute("PRAGMA cache_size=-16384")  # KiB per connection
    cursor.close()


def _sqlite_durable_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """For data nobody may lose (referrals, outbox): every commit reaches the disk."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str, *, durable: bool = False) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_durable_pragmas if durable else _sqlite_pragmas)
    else:  # room for the service's worker threads (40 by default) without queueing for a connection
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=30)
    return engine


# Columns added after a catalog's tables may have been created (a PostgreSQL catalog keeps its
# tables across imports; an SQLite catalog is rebuilt whole): (table, column, SQL type and default).
ADDED_COLUMNS = (("service_themes", "weight", "REAL NOT NULL DEFAULT 1.0"),)


def create_schema(engine: Engine) -> None:
    from bot.catalog import text_index

    Base.metadata.create_all(engine)
    text_index.create(engine)
    with engine.begin() as conn:
        inspector = inspect(conn)
        for table, column, sql_type in ADDED_COLUMNS:
            if column not in {c["name"] for c in inspector.get_columns(table)}:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))


class CatalogEngine:
    """The catalog's engine for a long-running service. An import or sync swaps in a whole new
    SQLite file, perhaps from another process (`make sync`); the next ``get()`` notices the new
    file and reopens, so pooled connections never keep reading the replaced one."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
        self._engine = make_engine(url)
        create_schema(self._engine)
        self._file_id = self._current_file_id()

    def _current_file_id(self) -> tuple[int, int] | None:
        if self._path is None:
            return None
        try:
            stat = self._path.stat()
        except OSError:
            return None
        return stat.st_dev, stat.st_ino

    def get(self) -> Engine:
        return self._engine

    def reopen_if_replaced(self) -> bool:
        """True when a new catalog file was found (and is now in use)."""
        current = self._current_file_id()
        if current == self._file_id:
            return False
        self._file_id = current
        self._engine.dispose()  # connections in use finish on the old file, then close
        return True

    def dispose(self) -> None:
        self._engine.dispose()
