"""The catalog's tests run on both stores: SQLite (the embedded default) and PostgreSQL (a
throw-away Debian server started by the test run)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.catalog import store
from bot.catalog.importer import import_folder

STORES = ["sqlite", "postgresql"]


def new_postgres_database(server_url: str) -> str:
    name = "catalog_" + uuid.uuid4().hex[:12]
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session", params=STORES)
def demo_engine(request: pytest.FixtureRequest, demo_engine: Engine) -> Iterator[Engine]:
    """The demo catalog on each store."""
    if request.param == "sqlite":
        yield demo_engine
        return
    engine = store.make_engine(new_postgres_database(request.getfixturevalue("postgres_url")))
    store.create_schema(engine)
    report = import_folder(engine, request.getfixturevalue("demo_dir"))
    assert not report.skipped
    yield engine
    engine.dispose()


@pytest.fixture(params=STORES)
def catalog_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty catalog database URL on each store."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    return new_postgres_database(request.getfixturevalue("postgres_url"))


@pytest.fixture()
def empty_engine(catalog_url: str) -> Iterator[Engine]:
    engine = store.make_engine(catalog_url)
    store.create_schema(engine)
    yield engine
    engine.dispose()
