"""Run the catalog service: the public listener (website, search, chat relays, professionals) and
the private listener (internal, partner and admin APIs) in one process, sharing engines and workers."""

from __future__ import annotations

import asyncio
import logging

import uvicorn

from bot.catalog.api import create_app, create_private_app
from bot.security.http import quiet_logs
from bot.security.production import enforce
from bot.settings import Settings


def serve(settings: Settings, host: str, port: int, private_host: str, private_port: int) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    enforce(settings, "catalog service")
    public = create_app(settings)
    private = create_private_app(settings, shared_with=public)
    servers = [uvicorn.Server(uvicorn.Config(public, host=host, port=port, log_level="info",
                                             proxy_headers=True, forwarded_allow_ips="127.0.0.1")),
               uvicorn.Server(uvicorn.Config(private, host=private_host, port=private_port, log_level="info",
                                             lifespan="off"))]
    quiet_logs()  # after uvicorn configured its loggers

    async def both() -> None:
        tasks = [asyncio.create_task(s.serve()) for s in servers]
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for server in servers:
            server.should_exit = True
        await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            task.result()

    asyncio.run(both())
