"""The real three processes on free ports: Rasa (trained model), action server, catalog service."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from bot.settings import DEV_PORTAL_SECRET
from bot.testing.servers import free_port
from tests.conftest import PROJECT_DIR, MailBox

MODEL = PROJECT_DIR / "models" / "current.tar.gz"
TOKEN = "integration-test-token"
PROFESSIONAL_KEY = "integration-professional-key"
ADMIN_TOKEN = "integration-admin-token"
ACTION_TOKEN = "integration-action-token"
CHANNEL_SECRET = "integration-channel-secret"
PORTAL_SECRET = DEV_PORTAL_SECRET  # the demo portal page mints its tokens only with the development secret


@dataclass
class Stack:
    rasa_url: str
    catalog_url: str
    private_url: str
    action_url: str
    logs: Path
    mailbox: MailBox
    tracker_db: Path
    personal_db: Path
    smtp: Any
    restart_catalog: Callable[[], None] = field(repr=False)

    def say(self, sender: str, message: str) -> list[dict[str, Any]]:
        response = httpx.post(f"{self.rasa_url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": message}, timeout=60)
        response.raise_for_status()
        answer: list[dict[str, Any]] = response.json()
        return answer

    def professional_say(self, sender: str, message: str, key: str = PROFESSIONAL_KEY) -> httpx.Response:
        return httpx.post(f"{self.rasa_url}/webhooks/professional/webhook",
                          json={"sender": sender, "message": message}, headers={"X-Api-Key": key}, timeout=60)

    def text(self, sender: str, message: str) -> str:
        return "\n".join(m.get("text") or "" for m in self.say(sender, message))

    def slots(self, sender: str) -> dict[str, Any]:
        response = httpx.get(f"{self.rasa_url}/conversations/{sender}/tracker",
                             params={"token": TOKEN}, timeout=30)
        response.raise_for_status()
        slots: dict[str, Any] = response.json()["slots"]
        return slots


@pytest.fixture(scope="session")
def stack(demo_engine: Engine, demo_dir: Path, tmp_path_factory: pytest.TempPathFactory,
          redis_url: str) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` (make test does it)")
    rasa_port, action_port, catalog_port, private_port = free_port(), free_port(), free_port(), free_port()
    logs = tmp_path_factory.mktemp("logs")
    mailbox = MailBox()
    smtp_port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR), "TF_CPP_MIN_LOG_LEVEL": "2",
           "CATALOG_DATABASE_URL": str(demo_engine.url), "REDIS_URL": redis_url,
           "RASA_URL": f"http://127.0.0.1:{rasa_port}",
           "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}",
           "CATALOG_URL": f"http://127.0.0.1:{catalog_port}",
           "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
           "RASA_AUTH_TOKEN": TOKEN, "PROFESSIONAL_API_KEYS": PROFESSIONAL_KEY,
           "HYTE_CHANNEL_SECRET": CHANNEL_SECRET, "SMTP_HOST": "127.0.0.1",
           "SMTP_PORT": str(smtp_port), "SMTP_TLS": "off", "OUTBOX_INTERVAL": "0.5",
           "PERSONAL_DATABASE_URL": f"sqlite:///{logs / 'personal.sqlite'}",
           "TRACKER_DB": str(logs / "trackers.sqlite"), "PARTNERS_FILE": str(demo_dir / "partners.yml"),
           "ADMIN_TOKEN": ADMIN_TOKEN, "INTERNAL_API_TOKEN": "integration-internal-token",
           "HYTE_DATA_DIR": str(logs), "PORTAL_JWT_SECRET": PORTAL_SECRET,
           "PORTAL_ORIGINS": f"http://127.0.0.1:{catalog_port}", "HYTE_DEMO": "1", "HYTE_ENV": "development",
           "PRIVATE_URL": f"http://127.0.0.1:{private_port}", "ACTION_SERVER_TOKEN": ACTION_TOKEN,
           "MAX_MESSAGE_CHARS": "1000"}
    commands = {
        "catalog": [str(PROJECT_DIR / ".venv/bin/python"), "-m", "bot.catalog", "serve",
                    "--host", "127.0.0.1", "--port", str(catalog_port), "--private-port", str(private_port)],
        "actions": [str(PROJECT_DIR / ".venv/bin/python"), "-m", "bot.action_server", "--actions", "actions",
                    "--port", str(action_port)],
        "rasa": [str(PROJECT_DIR / ".venv-rasa/bin/python"), "-m", "bot.rasa_server", "--model", str(MODEL),
                 "--endpoints", "endpoints.yml", "--credentials", "credentials.yml", "--port", str(rasa_port)],
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(name: str) -> None:
        log = (logs / f"{name}.log").open("a")
        processes[name] = subprocess.Popen(commands[name], cwd=PROJECT_DIR, env=env, stdout=log,
                                           stderr=subprocess.STDOUT)

    def wait_healthy() -> None:
        deadline = time.monotonic() + 240
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{catalog_port}/health", timeout=3).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes.values()):
                tails = {p.name: p.read_text()[-2000:] for p in logs.iterdir() if p.suffix == ".log"}
                pytest.fail(f"the three processes did not become healthy: {tails}")
            time.sleep(0.5)

    def restart_catalog() -> None:
        processes["catalog"].terminate()
        processes["catalog"].wait(timeout=20)
        start("catalog")
        wait_healthy()

    for name in commands:
        start(name)
    try:
        wait_healthy()
        yield Stack(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{catalog_port}",
                    f"http://127.0.0.1:{private_port}", f"http://127.0.0.1:{action_port}", logs, mailbox,
                    logs / "trackers.sqlite", logs / "personal.sqlite", smtp, restart_catalog)
    finally:
        with contextlib.suppress(AssertionError, RuntimeError):
            smtp.stop()
        for p in processes.values():
            p.terminate()
        for p in processes.values():
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
