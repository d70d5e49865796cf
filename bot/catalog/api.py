"""The catalog service: search API, health, chat relay and the demo county website."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy import Engine, func, select

from bot.catalog import store
from bot.catalog.search import SearchQuery, present, search
from bot.finnish.places import counties, municipalities
from bot.finnish.vocabulary import TARGET_GROUP_LABELS, THEME_LABELS
from bot.settings import PROJECT_DIR, Settings, get_settings

WEB_DIR = PROJECT_DIR / "connectors" / "web"
MAX_CHAT_CHARS = 5000


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    app.state.engine = store.make_engine(settings.catalog_database_url)
    store.create_schema(app.state.engine)
    app.state.http = httpx.AsyncClient(timeout=settings.http_timeout)
    yield
    await app.state.http.aclose()
    app.state.engine.dispose()


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_http(request: Request) -> httpx.AsyncClient:
    client: httpx.AsyncClient = request.app.state.http
    return client


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


EngineDep = Annotated[Engine, Depends(get_engine)]
HttpDep = Annotated[httpx.AsyncClient, Depends(get_http)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


class ServiceItem(BaseModel):
    id: str = Field(description="PTV id of the service")
    name: str
    summary: str
    provider: str
    provider_type: str
    address: str
    location_name: str
    municipality: str
    phone: str
    email: str
    web_page: str
    opening_hours: str
    charge_type: str = Field(description="'free', 'chargeable' or '' when PTV does not say")
    languages: list[str]
    themes: list[str]
    target_groups: list[str]
    scope: str = Field(description="'local', 'county' or 'nationwide'")
    online: bool
    accessible: bool = Field(description="PTV has accessibility information for the location")
    demo: bool = Field(description="True for generated demo data (esimerkkiaineisto)")
    modified: str


class SearchResponse(BaseModel):
    items: list[ServiceItem]
    total: int
    limit: int
    offset: int


class ChatMessage(BaseModel):
    sender: str = Field(min_length=1, max_length=128)
    message: str = Field(max_length=20_000)
    metadata: dict[str, Any] | None = None


def _check_code(value: str | None, known: set[str], what: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in known:
        raise HTTPException(422, f"Tuntematon {what}: {value!r}")
    return value


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Hyte-navigaattori: palveluluettelo",
        description="Hyvinvointia ja terveyttä edistävien palvelujen haku (PTV-tietomalli).",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings or get_settings()

    @app.get("/health")
    async def health(engine: EngineDep, http: HttpDep, cfg: SettingsDep) -> JSONResponse:
        with engine.connect() as conn:
            services = conn.execute(select(func.count()).select_from(store.ServiceRow)).scalar_one()
        checks: dict[str, Any] = {"catalog_services": services}
        for name, url in (("rasa", f"{cfg.rasa_url}/"), ("action_server", f"{cfg.action_server_url}/health")):
            try:
                checks[name] = (await http.get(url, timeout=3)).status_code == 200
            except httpx.HTTPError:
                checks[name] = False
        ok = services > 0 and checks["rasa"] and checks["action_server"]
        return JSONResponse({"status": "ok" if ok else "unavailable", **checks},
                            status_code=200 if ok else 503)

    @app.get("/api/services", response_model=SearchResponse)
    def search_services(
        engine: EngineDep,
        theme: Annotated[str | None, Query(description="Theme id, e.g. liikunta")] = None,
        municipality: Annotated[str | None, Query(description="Municipality code, e.g. 684")] = None,
        county: Annotated[str | None, Query(description="Wellbeing services county code, e.g. 06")] = None,
        target_group: Annotated[str | None, Query(description="Target group id")] = None,
        q: Annotated[str | None, Query(max_length=500, description="Finnish free text")] = None,
        boost: Annotated[str | None, Query(max_length=500,
                                           description="Finnish words that reorder, not filter")] = None,
        free_only: bool = False,
        language: Annotated[str | None, Query(pattern="^(fi|sv|en)$", description="service language")] = None,
        open_on: Annotated[int | None, Query(ge=0, le=6, description="open on weekday, 0 = Monday")] = None,
        accessible: Annotated[bool, Query(description="only services with accessibility information")] = False,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ) -> SearchResponse:
        query = SearchQuery(
            theme=_check_code(theme, set(THEME_LABELS), "teema"),
            municipality=_check_code(municipality, set(municipalities()), "kuntakoodi"),
            county=_check_code(county, set(counties()), "hyvinvointialue"),
            target_group=_check_code(target_group, set(TARGET_GROUP_LABELS), "kohderyhmä"),
            q=q, boost=boost, free_only=free_only, language=language, open_on=open_on,
            accessible=accessible, limit=limit, offset=offset,
        )
        result = search(engine, query)
        return SearchResponse(items=[ServiceItem(**i) for i in result.items], total=result.total,
                              limit=limit, offset=offset)

    @app.get("/api/services/{service_id}")
    def service_details(service_id: str, engine: EngineDep) -> dict[str, Any]:
        with engine.connect() as conn:
            card = conn.execute(select(store.ServiceRow.card).where(store.ServiceRow.id == service_id)
                                ).scalar_one_or_none()
        if card is None:
            raise HTTPException(404, "Palvelua ei löytynyt.")
        data = json.loads(card)
        return {**data, **present(data, "nationwide" if data["nationwide"] else "local", None)}

    @app.get("/api/vocabulary")
    def vocabulary() -> dict[str, Any]:
        return {"themes": THEME_LABELS, "target_groups": TARGET_GROUP_LABELS}

    @app.post("/api/chat")
    async def chat(body: ChatMessage, http: HttpDep, cfg: SettingsDep) -> list[dict[str, Any]]:
        """Relay one message to the Rasa REST channel, so the website needs no cross-origin calls."""
        message = body.message[:MAX_CHAT_CHARS]
        payload = {"sender": body.sender, "message": message, "metadata": body.metadata or {}}
        try:
            response = await http.post(f"{cfg.rasa_url}/webhooks/rest/webhook", json=payload,
                                       timeout=30)
            response.raise_for_status()
            answer: list[dict[str, Any]] = response.json()
            return answer
        except (httpx.HTTPError, ValueError):
            return [{"recipient_id": body.sender,
                     "text": "Palvelu ei juuri nyt vastaa. Yritä hetken päästä uudelleen."}]

    app.mount("/widget", StaticFiles(directory=WEB_DIR / "widget"), name="widget")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "site" / "index.html")

    return app
