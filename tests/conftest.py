from __future__ import annotations

import email.policy
import os
import tempfile
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from bot.catalog import store
from bot.catalog.importer import import_folder
from bot.demo.generator import write
from bot.testing.servers import ServerUnavailable, free_port, throwaway_postgres, throwaway_redis

PROJECT_DIR = Path(__file__).resolve().parent.parent
PTV_REAL = PROJECT_DIR.parent / "shared" / "data" / "ptv-real"
PTV_REAL_NAMES = PROJECT_DIR.parent / "shared" / "data" / "ptv-real-names" / "catalog"

# Tests never write into the project's data folder, and personal data gets a throw-away key.
os.environ.setdefault("HYTE_DATA_DIR", tempfile.mkdtemp(prefix="hyte-test-"))
os.environ.setdefault("HYTE_DATA_KEY", "kPj3Jc7bLq5mDq3S0x9YbU1mXy2Zb4Nw6Vt8Rs0Qp1E=")


@pytest.fixture(scope="session")
def ptv_real_dir() -> Path:
    if not (PTV_REAL / "services").is_dir():
        pytest.skip(f"real PTV records not found at {PTV_REAL} (../shared beside the clone)")
    return PTV_REAL


@pytest.fixture(scope="session")
def real_names_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The 1,793 real services of ../shared/data/ptv-real-names imported into a throw-away SQLite."""
    if not (PTV_REAL_NAMES / "services").is_dir():
        pytest.skip(f"real PTV catalog not found at {PTV_REAL_NAMES} (../shared beside the clone)")
    engine = store.make_engine(f"sqlite:///{tmp_path_factory.mktemp('real') / 'catalog.sqlite'}")
    store.create_schema(engine)
    import_folder(engine, PTV_REAL_NAMES)
    yield engine
    engine.dispose()





@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "catalog"
    write(out)
    return out


@pytest.fixture(scope="session")
def demo_engine(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    db = tmp_path_factory.mktemp("db") / "catalog.sqlite"
    engine = store.make_engine(f"sqlite:///{db}")
    store.create_schema(engine)
    report = import_folder(engine, demo_dir)
    assert not report.skipped
    return engine


@pytest.fixture()
def empty_engine(tmp_path: Path) -> Engine:
    engine = store.make_engine(f"sqlite:///{tmp_path / 'c.sqlite'}")
    store.create_schema(engine)
    return engine


class MailBox:
    """A real SMTP server on a free local port that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture()
def smtp_server() -> Iterator[tuple[int, MailBox]]:
    box = MailBox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


def _server(start: Any) -> Iterator[str]:
    try:
        with start() as url:
            yield url
    except ServerUnavailable as exc:
        pytest.skip(f"{exc}; .ci/run installs it")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL server (Debian's postgresql package) on a free local port."""
    yield from _server(throwaway_postgres)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throw-away Redis server (Debian's redis-server) on a free local port."""
    yield from _server(throwaway_redis)
