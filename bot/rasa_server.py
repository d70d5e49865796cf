"""Start the Rasa server without secrets on its command line: ``python -m bot.rasa_server [args]``.

``rasa run --auth-token TOKEN`` shows the token to every user of the machine in ``ps``; this
launcher reads it from RASA_AUTH_TOKEN instead, refuses a production start with weak settings, binds
to RASA_HOST (127.0.0.1 by default) and makes Rasa compare the token in constant time (Rasa 3.6
compares it with ``==``). Other arguments go to ``rasa run`` as they are.
"""

from __future__ import annotations

import hmac
import logging
import os
import sys
from typing import Any

from bot.security.production import enforce
from bot.settings import get_settings


class ConstantTimeToken(str):
    """Rasa checks ``provided == token``; with the token on the right of ``==`` this subclass's
    ``__eq__`` is tried first (Python's rule for a subclass operand), so the check is constant-time."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and hmac.compare_digest(self.encode(), other.encode())

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return str.__hash__(self)


def _patch_token_comparison() -> None:
    import rasa.server

    original = rasa.server.create_app

    def create_app(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("auth_token"):
            kwargs["auth_token"] = ConstantTimeToken(kwargs["auth_token"])
        return original(*args, **kwargs)

    rasa.server.create_app = create_app


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO)
    settings = get_settings()
    enforce(settings, "Rasa server")
    _patch_token_comparison()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "run", "--enable-api", "--auth-token", settings.rasa_auth_token,
                "--interface", os.environ.get("RASA_HOST", "127.0.0.1"), *argv]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
