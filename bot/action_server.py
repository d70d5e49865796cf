"""The action server (Rasa SDK) behind a token: ``python -m bot.action_server --port 5055``.

Rasa's calls carry ``X-Action-Token`` (endpoints.yml); anything else gets 401, because a crafted
tracker sent to the action server could otherwise make it read drafts with the internal token it
holds. Listens on 127.0.0.1 unless ACTION_HOST says otherwise; no CORS; request URLs out of logs.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
from functools import partial

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.worker.loader import AppLoader

from bot.security.http import quiet_logs
from bot.security.production import enforce
from bot.settings import get_settings

TOKEN_HEADER = "X-Action-Token"
OPEN_PATHS = ("/health",)


def build_app(actions_package: str) -> Sanic:  # type: ignore[type-arg]
    executor = ActionExecutor()
    executor.register_package(actions_package)
    app: Sanic = create_app(executor, cors_origins=None)  # type: ignore[type-arg]
    token = get_settings().action_server_token

    @app.on_request  # type: ignore[untyped-decorator]
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        presented = request.headers.get(TOKEN_HEADER, "")
        if not token or not hmac.compare_digest(presented.encode(), token.encode()):
            return response.json({"error": "Virheellinen tai puuttuva tunniste."}, status=401)
        return None

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.action_server", description=__doc__)
    parser.add_argument("--actions", default="actions")
    parser.add_argument("--host", default=os.environ.get("ACTION_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_PORT", "5055")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    enforce(get_settings(), "action server")
    quiet_logs()
    loader = AppLoader(factory=partial(build_app, args.actions))
    app = loader.load()
    app.prepare(host=args.host, port=args.port, single_process=True, access_log=False)
    Sanic.serve_single(primary=app)


if __name__ == "__main__":
    main()
