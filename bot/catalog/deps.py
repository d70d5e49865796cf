"""FastAPI dependencies shared by the catalog service's routers."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Engine

from bot.catalog.cache import SearchCache
from bot.catalog.store import CatalogEngine


def catalog_engine(request: Request) -> Engine:
    """The catalog in use; a catalog file swapped in by `make sync` or an import in another
    process is picked up here, and the search cache emptied."""
    catalog: CatalogEngine = request.app.state.catalog
    if catalog.reopen_if_replaced():
        search_cache(request).invalidate()
    return catalog.get()


def search_cache(request: Request) -> SearchCache:
    cache: SearchCache = request.app.state.search_cache
    return cache
