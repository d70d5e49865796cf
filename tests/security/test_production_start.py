"""The real entry points refuse a production start with the published development secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

SECRETS = ("RASA_AUTH_TOKEN", "HYTE_CHANNEL_SECRET", "PROFESSIONAL_API_KEYS", "ADMIN_TOKEN", "INTERNAL_API_TOKEN",
           "ACTION_SERVER_TOKEN", "HYTE_DATA_KEY", "PORTAL_JWT_SECRET", "HYTE_DEMO")


@pytest.mark.parametrize("module", [["bot.catalog", "serve", "--port", "0"], ["bot.action_server", "--port", "0"]])
def test_production_start_with_defaults_is_refused(module: list[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env.update({"HYTE_ENV": "production", "PYTHONPATH": str(PROJECT_DIR), "HYTE_DATA_DIR": str(tmp_path)})
    done = subprocess.run([sys.executable, "-m", *module], env=env, cwd=PROJECT_DIR, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert "HYTE_ENV=production" in done.stderr and "RASA_AUTH_TOKEN puuttuu" in done.stderr
    assert "HYTE_DATA_KEY puuttuu" in done.stderr
