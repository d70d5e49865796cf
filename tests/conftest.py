from __future__ import annotations

import email.policy
import os
import socket
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

PROJECT_DIR = Path(__file__).resolve().parent.parent
PTV_REAL = PROJECT_DIR.parent / "shared" / "data" / "ptv-real"

# Tests never write into the project's data folder, and personal data gets a throw-away key.
os.environ.setdefault("HYTE_DATA_DIR", tempfile.mkdtemp(prefix="hyte-test-"))
os.environ.setdefault("HYTE_DATA_KEY", "kPj3Jc7bLq5mDq3S0x9YbU1mXy2Zb4Nw6Vt8Rs0Qp1E=")


@pytest.fixture(scope="session")
def ptv_real_dir() -> Path:
    if not (PTV_REAL / "services").is_dir():
        pytest.skip(f"real PTV records not found at {PTV_REAL} (../shared beside the clone)")
    return PTV_REAL





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
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL server (Debian's postgresql package) on a free local port."""
    import shutil
    import subprocess
    import time

    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (Debian package postgresql; .ci/run installs it)")
    root = Path(tempfile.mkdtemp(prefix="hyte-pg-"))  # outside pytest's root-only folder
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres user
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                    "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
                    "-o", f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    try:
        deadline = time.monotonic() + 30
        while subprocess.run([str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                             capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                pytest.fail("PostgreSQL did not start: " + (root / "server.log").read_text()[-2000:])
            time.sleep(0.2)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throw-away Redis server (Debian's redis-server) on a free local port."""
    import shutil
    import subprocess
    import time

    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian package redis-server; .ci/run installs it)")
    port = _free_port()
    root = Path(tempfile.mkdtemp(prefix="hyte-redis-"))
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(root),
                               "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
