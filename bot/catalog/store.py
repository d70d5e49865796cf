"""The catalog's tables (SQLAlchemy 2) and the engine that opens them.

SQLite is the embedded default; the full-text index is an FTS5 table of pre-analysed terms
(Voikko lemmas and compound parts), so the database itself needs no Finnish knowledge.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    Boolean,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
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

    __table_args__ = (Index("ix_coverage_municipality", "municipality_code", "scope"),)


class ServiceThemeRow(Base):
    __tablename__ = "service_themes"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    theme: Mapped[str] = mapped_column(String(32), primary_key=True)

    __table_args__ = (Index("ix_service_themes_theme", "theme", "service_id"),)


class ServiceGroupRow(Base):
    __tablename__ = "service_target_groups"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    target_group: Mapped[str] = mapped_column(String(32), primary_key=True)

    __table_args__ = (Index("ix_service_groups_group", "target_group", "service_id"),)


class MetaRow(Base):
    __tablename__ = "catalog_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS service_fts USING fts5("
    "service_id UNINDEXED, name, summary, body, tokenize='unicode61 remove_diacritics 0')"
)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
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
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text(FTS_DDL))
