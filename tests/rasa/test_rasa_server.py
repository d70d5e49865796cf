"""The Rasa launcher: no token on the command line, constant-time comparison, production refusal."""

import os
import subprocess
import sys
from pathlib import Path

from bot.rasa_server import ConstantTimeToken

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_token_comparison_takes_the_constant_time_path() -> None:
    token = ConstantTimeToken("s3cret-token")
    assert token == "s3cret-token" and not (token == "s3cret-tokeN") and token != "x"  # noqa: SIM201
    assert hash(token) == hash("s3cret-token")


def test_production_start_with_defaults_is_refused(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("RASA_AUTH_TOKEN", "HYTE_DATA_KEY", "HYTE_DEMO")}
    env.update({"HYTE_ENV": "production", "PYTHONPATH": str(PROJECT_DIR), "HYTE_DATA_DIR": str(tmp_path)})
    done = subprocess.run([sys.executable, "-m", "bot.rasa_server", "--port", "0"], env=env, cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "RASA_AUTH_TOKEN puuttuu" in done.stderr
