"""The catalog service: search API, health, chat relay and the demo county website."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import httpx
import jwt
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy import Engine, func, select

from bot.catalog import store
from bot.catalog.cache import SearchCache
from bot.catalog.deps import catalog_engine, search_cache
from bot.catalog.describe import service_record
from bot.catalog.geo import Point, valid_wgs84
from bot.catalog.importer import reindex_if_outdated
from bot.catalog.print_view import MAX_SERVICES, render
from bot.catalog.search import SearchQuery, search
from bot.catalog.sync import sync
from bot.catalog.writer_lock import CatalogBusy
from bot.finnish.places import counties, municipalities, postal_code_centre
from bot.finnish.vocabulary import TARGET_GROUP_LABELS, THEME_LABELS
from bot.outbox import deliver_due
from bot.outbox.config import senders_from
from bot.personal.conversation_retention import delete_old_conversations
from bot.personal.store import personal_engine
from bot.portal_token import PortalConfig, TokenRejected, verify
from bot.professional.routes import router as professional_router
from bot.referrals.partners import active_partners, load_partner_file
from bot.referrals.routes import portal_prefill
from bot.referrals.routes import router as referral_router
from bot.referrals.service import apply_retention, offer_for
from bot.security.conversation_ids import is_valid_web_id, issue_web_id
from bot.security.http import MAX_BODY_BYTES, PRIVATE_PREFIXES, add_security_headers, routes_under
from bot.security.limits import EntryGuard
from bot.settings import PROJECT_DIR, Settings, get_settings

log = logging.getLogger(__name__)

WEB_DIR = PROJECT_DIR / "connectors" / "web"
RELAYED_METADATA = ("channel", "lang")  # all the widget may say about a message; nothing personal
RETENTION_EVERY_S = 3600.0
SILENT_ANSWER = "En saanut vastausta juuri nyt. Yritä hetken päästä uudelleen."


async def outbox_loop(app: FastAPI) -> None:
    """Deliver due outbox messages every OUTBOX_INTERVAL seconds, for as long as the service runs."""
    settings: Settings = app.state.settings
    senders = senders_from(settings)
    while True:
        try:
            report = await asyncio.to_thread(deliver_due, app.state.personal_engine, senders)
            if asyncio.get_running_loop().time() >= app.state.next_retention:
                await asyncio.to_thread(apply_retention, app.state.personal_engine, settings.retention_days)
                await asyncio.to_thread(_forget_old_conversations, settings)
                app.state.next_retention = asyncio.get_running_loop().time() + RETENTION_EVERY_S
            if report.sent or report.retried or report.failed:
                log.info("outbox: %d sent, %d to retry, %d failed", report.sent, report.retried, report.failed)
        except Exception:
            log.exception("outbox delivery round failed")
        await asyncio.sleep(settings.outbox_interval)


def _forget_old_conversations(settings: Settings) -> None:
    """Conversations are deleted CONVERSATION_RETENTION_DAYS after their last message."""
    tracker_db = settings.tracker_db_url
    if tracker_db.startswith("sqlite:///") and not Path(tracker_db.removeprefix("sqlite:///")).exists():
        return  # no conversations yet
    deleted = delete_old_conversations(tracker_db, settings.conversation_retention_days)
    if deleted.conversations:
        log.info("conversation retention: %d conversations deleted", deleted.conversations)


async def sync_loop(app: FastAPI) -> None:
    """Sync the catalog from PTV every SYNC_INTERVAL_HOURS; a failed run keeps the catalog as it was."""
    settings: Settings = app.state.settings
    while True:
        await asyncio.sleep(settings.sync_interval_hours * 3600)
        try:
            report = await asyncio.to_thread(sync, settings.ptv_api_url, settings.ptv_area,
                                             settings.ptv_snapshot_dir, settings.catalog_database_url, out=None)
            app.state.catalog.reopen_if_replaced()  # new connections open the new catalog version
            await asyncio.to_thread(app.state.search_cache.invalidate)
            log.info("%s", report.summary())
        except CatalogBusy as exc:
            log.warning("periodic PTV sync skipped: %s", exc)
        except Exception:
            log.exception("periodic PTV sync failed; the previous catalog stays in use")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    try:  # a catalog an older version built gets the current index and theming before serving
        rebuilt = await asyncio.to_thread(reindex_if_outdated, settings.catalog_database_url)
        if rebuilt:
            log.info("catalog rebuilt for this version from its stored records: %s", rebuilt.summary())
    except CatalogBusy as exc:
        log.warning("catalog index not rebuilt now (%s); it is rebuilt at the next start or import", exc)
    app.state.catalog = store.CatalogEngine(settings.catalog_database_url)
    app.state.search_cache = SearchCache(settings.redis_url, settings.search_cache_ttl_s)
    app.state.personal_engine = personal_engine(settings.personal_database_url)
    if settings.partners_file is not None:
        partners = load_partner_file(app.state.personal_engine, settings.partners_file)
        log.info("referral partners loaded: %d from %s", partners, settings.partners_file)
    app.state.next_retention = 0.0
    app.state.http = httpx.AsyncClient(timeout=settings.http_timeout)
    workers = [asyncio.create_task(outbox_loop(app))] if settings.outbox_interval > 0 else []
    if settings.sync_interval_hours > 0:
        workers.append(asyncio.create_task(sync_loop(app)))
    yield
    for worker in workers:
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
    await app.state.http.aclose()
    app.state.catalog.dispose()
    app.state.personal_engine.dispose()


def get_http(request: Request) -> httpx.AsyncClient:
    client: httpx.AsyncClient = request.app.state.http
    return client


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


EngineDep = Annotated[Engine, Depends(catalog_engine)]
CacheDep = Annotated[SearchCache, Depends(search_cache)]
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
    referral_available: bool = Field(default=False, description="a partner takes wellbeing referrals to it")
    modified: str
    distance_km: float | None = Field(default=None, description="to the nearest location, when a position "
                                      "was given and PTV knows the location's coordinates")


class SearchResponse(BaseModel):
    items: list[ServiceItem]
    total: int
    limit: int
    offset: int

    model_config = {"json_schema_extra": {"examples": [{
        "items": [{"id": "8d6cab50-d0b9-584b-a94f-79532628caf5", "name": "Ikäihmisten kuntosaliryhmä",
                   "summary": "Ohjattu kuntosaliryhmä yli 65-vuotiaille. (Esimerkkiaineisto.)",
                   "provider": "Rauman kaupunki", "provider_type": "Municipality",
                   "address": "Urheilutie 26, 26100 Rauma",
                   "location_name": "Kuntosali", "municipality": "Rauma", "phone": "050 526 9847", "email": "",
                   "web_page": "", "opening_hours": "ti klo 10–11.30", "charge_type": "chargeable",
                   "languages": ["fi"], "themes": ["liikunta"], "target_groups": ["ikaantyneet"], "scope": "local",
                   "online": False, "accessible": True, "demo": True, "modified": "2026-10-01T08:00:00",
                   "referral_available": True}],
        "total": 8, "limit": 5, "offset": 0}]}}


class PortalMessage(BaseModel):
    message: str = Field(max_length=MAX_BODY_BYTES)  # the configured limit is checked with a Finnish answer


class DemoLogin(BaseModel):
    municipality: str = Field(default="684", pattern=r"^\d{3}$")
    role: Literal["resident", "professional"] = "resident"
    minutes: int = Field(default=30, ge=-60, le=120)


class ChatMessage(BaseModel):
    sender: str | None = Field(default=None, max_length=128,
                               description="the id this service issued (X-Conversation-Id); none to start")
    message: str = Field(max_length=MAX_BODY_BYTES)  # the configured limit is checked with a Finnish answer
    metadata: dict[str, Any] | None = None


def _relayed_metadata(metadata: dict[str, Any] | None) -> dict[str, str]:
    return {k: v for k, v in (metadata or {}).items() if k in RELAYED_METADATA and isinstance(v, str) and len(v) < 20}


def _check_code(value: str | None, known: set[str], what: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in known:
        raise HTTPException(422, f"Tuntematon {what}: {value!r}")
    return value


def _position(lat: float | None, lon: float | None, postal_code: str | None,
              municipality: str | None) -> tuple[Point | None, str | None]:
    """The resident's position and the municipality it implies, from coordinates or a postal code."""
    if (lat is None) != (lon is None):
        raise HTTPException(422, "Anna sijainnista sekä leveysaste (lat) että pituusaste (lon).")
    if lat is not None and lon is not None:
        if not valid_wgs84(lat, lon):
            raise HTTPException(422, "Sijainti ei ole kelvollinen (WGS84-asteina, esim. lat=61.13&lon=21.51).")
        return Point(lat, lon), municipality
    if postal_code:
        centre = postal_code_centre(postal_code)
        if centre is None:
            raise HTTPException(422, f"Postinumeroa {postal_code} ei tunneta.")
        return Point(centre[1], centre[2]), municipality or centre[0]
    return None, municipality


PUBLIC = "public"
PRIVATE = "private"


def create_private_app(settings: Settings | None = None, shared_with: FastAPI | None = None) -> FastAPI:
    """Internal (action server), partner and admin APIs: served on a private listener only.

    With ``shared_with`` it uses that app's engines and workers (one process, two listeners)."""
    return create_app(settings, surfaces=(PRIVATE,), shared_with=shared_with)


def create_app(settings: Settings | None = None, surfaces: tuple[str, ...] = (PUBLIC,),
               shared_with: FastAPI | None = None) -> FastAPI:
    """The public service (search, website, chat relays, professionals' API) by default; the private
    APIs only when asked for: ``surfaces=(PUBLIC, PRIVATE)`` in tests, ``create_private_app`` to serve."""
    app = FastAPI(
        title="Hyte-navigaattori: palveluluettelo" if PUBLIC in surfaces else "Hyte-navigaattori: sisäiset rajapinnat",
        description="Hyvinvointia ja terveyttä edistävien palvelujen haku (PTV-tietomalli).",
        version="0.1.0",
        lifespan=None if shared_with is not None else lifespan,
    )
    if shared_with is not None:
        app.state = shared_with.state
    app.state.settings = settings or get_settings()
    add_security_headers(app)
    if PRIVATE in surfaces:
        for route in routes_under(referral_router, PRIVATE_PREFIXES):
            app.router.routes.append(route)
    if PUBLIC not in surfaces:
        return app
    app.state.entry_guard = EntryGuard.from_settings(app.state.settings)

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

    @app.get("/api/services", response_model=SearchResponse, tags=["haku"], summary="Search services",
             description="The same search the chat uses, for integrations: results in the municipality first, "
                         "then county-wide, then nationwide (`scope`). Example: "
                         "`/api/services?theme=liikunta&municipality=684&target_group=ikaantyneet&limit=5`.")
    def search_services(
        request: Request,
        engine: EngineDep,
        cache: CacheDep,
        theme: Annotated[str | None, Query(description="Theme id (see /api/vocabulary)",
                                           examples=["liikunta"])] = None,
        municipality: Annotated[str | None, Query(description="Municipality code (Statistics Finland)",
                                                  examples=["684"])] = None,
        county: Annotated[str | None, Query(description="Wellbeing services county code", examples=["06"])] = None,
        target_group: Annotated[str | None, Query(description="Target group id (see /api/vocabulary)",
                                                  examples=["ikaantyneet"])] = None,
        q: Annotated[str | None, Query(max_length=500, description="Finnish free text, inflected forms welcome",
                                       examples=["kuntosaleja"])] = None,
        boost: Annotated[str | None, Query(max_length=500,
                                           description="Finnish words that reorder, not filter")] = None,
        free_only: bool = False,
        language: Annotated[str | None, Query(pattern="^(fi|sv|en)$", description="service language")] = None,
        open_on: Annotated[int | None, Query(ge=0, le=6, description="open on weekday, 0 = Monday")] = None,
        accessible: Annotated[bool, Query(description="only services with accessibility information")] = False,
        lat: Annotated[float | None, Query(description="the resident's position, WGS84 latitude: nearest first",
                                           examples=[61.1280])] = None,
        lon: Annotated[float | None, Query(description="WGS84 longitude", examples=[21.5110])] = None,
        postal_code: Annotated[str | None, Query(pattern=r"^\d{5}$", description="position by postal code "
                                                 "(centres of the demo municipalities)", examples=["26100"])] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ) -> SearchResponse:
        near, municipality = _position(lat, lon, postal_code, municipality)
        query = SearchQuery(
            theme=_check_code(theme, set(THEME_LABELS), "teema"),
            municipality=_check_code(municipality, set(municipalities()), "kuntakoodi"),
            county=_check_code(county, set(counties()), "hyvinvointialue"),
            target_group=_check_code(target_group, set(TARGET_GROUP_LABELS), "kohderyhmä"),
            q=q, boost=boost, free_only=free_only, language=language, open_on=open_on,
            accessible=accessible, near=near, limit=limit, offset=offset,
        )
        result = cache.search(query, lambda q: search(engine, q))
        partners = active_partners(request.app.state.personal_engine)
        items = [ServiceItem(**i, referral_available=any(p.accepts(i["id"], i.get("organization_id") or "",
                                                                   query.target_group)
                                                         for p in partners)) for i in result.items]
        return SearchResponse(items=items, total=result.total, limit=limit, offset=offset)

    @app.get("/api/services/{service_id}")
    def service_details(service_id: str, engine: EngineDep, request: Request) -> dict[str, Any]:
        record = service_record(engine, service_id)
        if record is None:
            raise HTTPException(404, "Palvelua ei löytynyt.")
        offer = offer_for(request.app.state.personal_engine, record, None)
        return {**record, "referral_available": offer.available}

    @app.get("/print", response_class=HTMLResponse, tags=["ammattilaiset"])
    def print_view(engine: EngineDep,
                   ids: Annotated[str, Query(max_length=1000, description="Comma-separated PTV ids")]) -> HTMLResponse:
        """One-page printable summary of up to ten services."""
        wanted = [i.strip() for i in ids.split(",") if i.strip()][:MAX_SERVICES]
        if not wanted:
            raise HTTPException(422, "Valitse vähintään yksi palvelu.")
        records = [service_record(engine, i) for i in wanted]
        found = [r for r in records if r is not None]
        return HTMLResponse(render(found, missing=len(wanted) - len(found)))

    @app.get("/api/vocabulary")
    def vocabulary() -> dict[str, Any]:
        return {"themes": THEME_LABELS, "target_groups": TARGET_GROUP_LABELS}

    @app.post("/api/chat/session", tags=["keskustelu"])
    def new_conversation(cfg: SettingsDep) -> dict[str, str]:
        """A new conversation id, issued and signed by the service (the widget asks for none itself)."""
        return {"sender": issue_web_id(cfg.channel_secret)}

    @app.post("/api/chat", tags=["keskustelu"])
    async def chat(body: ChatMessage, request: Request, http: HttpDep, cfg: SettingsDep) -> JSONResponse:
        """Relay one message to Rasa, so the website needs no cross-origin calls. The conversation id
        is the one this service issued (header ``X-Conversation-Id`` of the first answer)."""
        sender = body.sender or issue_web_id(cfg.channel_secret)
        if not is_valid_web_id(cfg.channel_secret, sender):
            return JSONResponse({"error": "Keskustelun tunniste ei kelpaa. Aloita uusi keskustelu."},
                                status_code=403)
        metadata = _relayed_metadata(body.metadata)
        guard: EntryGuard = request.app.state.entry_guard
        refused = guard.refusal(body.message, metadata, sender, request.client.host if request.client else None)
        if refused:
            return JSONResponse({"error": refused[1]}, status_code=refused[0], headers={"X-Conversation-Id": sender})
        payload = {"sender": sender, "message": body.message, "metadata": metadata}
        headers = {"X-Conversation-Id": sender}
        try:
            response = await http.post(f"{cfg.rasa_url}/webhooks/rest/webhook", json=payload,
                                       timeout=30)
            response.raise_for_status()
            answer: list[dict[str, Any]] = response.json()
            return JSONResponse(answer or [{"recipient_id": sender, "text": SILENT_ANSWER}], headers=headers)
        except (httpx.HTTPError, ValueError):
            return JSONResponse([{"recipient_id": sender,
                                  "text": "Palvelu ei juuri nyt vastaa. Yritä hetken päästä uudelleen."}],
                                headers=headers)

    @app.post("/api/chat/portal", include_in_schema=False)
    async def portal_chat(body: PortalMessage, request: Request, http: HttpDep, cfg: SettingsDep) -> JSONResponse:
        """Relay for the embedded chat: the portal's token goes on to the Rasa portal channel."""
        headers = {"Authorization": request.headers.get("authorization", "")}
        guard: EntryGuard = request.app.state.entry_guard
        refused = guard.refusal(body.message, None, None, request.client.host if request.client else None)
        if refused:
            return JSONResponse({"error": refused[1]}, status_code=refused[0])
        try:  # contact details in the token are kept for prefill only, in the personal store
            user = verify(headers["Authorization"].removeprefix("Bearer ").strip(), PortalConfig.from_settings(cfg))
            if user.prefill:
                await asyncio.to_thread(portal_prefill, request.app.state.personal_engine,
                                        user.conversation_id(cfg.channel_secret), user.prefill)
        except TokenRejected:
            pass  # the portal channel answers with the reason
        try:
            response = await http.post(f"{cfg.rasa_url}/webhooks/portal/webhook", headers=headers, timeout=30,
                                       json={"message": body.message})
            answer = response.json()
        except (httpx.HTTPError, ValueError):
            return JSONResponse([{"text": "Palvelu ei juuri nyt vastaa. Yritä hetken päästä uudelleen."}])
        if response.status_code == 200 and not answer:
            answer = [{"text": SILENT_ANSWER}]
        return JSONResponse(answer, status_code=response.status_code)

    @app.get("/api/widget-config", include_in_schema=False)
    def widget_config(cfg: SettingsDep) -> dict[str, Any]:
        return {"socket_url": cfg.rasa_public_url}

    @app.get("/embed/config", include_in_schema=False)
    def embed_config(cfg: SettingsDep) -> dict[str, Any]:
        return {"allowed_origins": list(cfg.portal_origins)}

    @app.get("/embed", include_in_schema=False)
    def embed_page() -> FileResponse:
        return FileResponse(WEB_DIR / "embed" / "index.html")

    @app.get("/tietosuoja", include_in_schema=False)
    def privacy_statement() -> FileResponse:
        return FileResponse(WEB_DIR / "site" / "tietosuoja.html")

    if app.state.settings.demo and app.state.settings.portal_jwt_secret:
        add_demo_portal(app)

    app.mount("/embed", StaticFiles(directory=WEB_DIR / "embed"), name="embed")
    app.include_router(professional_router)
    for route in routes_under(referral_router, ("/api/professional/",)):
        app.router.routes.append(route)
    app.mount("/widget", StaticFiles(directory=WEB_DIR / "widget"), name="widget")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "site" / "index.html")

    return app


def add_demo_portal(app: FastAPI) -> None:
    """The demo portal page and its token route: only with HYTE_DEMO and an HS256 secret."""

    @app.get("/portaali", include_in_schema=False)
    def demo_portal() -> FileResponse:
        return FileResponse(WEB_DIR / "site" / "portal.html")

    @app.post("/demo/portal-token", include_in_schema=False)
    def demo_portal_token(body: DemoLogin, cfg: SettingsDep) -> dict[str, str]:
        """A token for a made-up demo user: each login is a new user (random ``sub``)."""
        claims = {"sub": f"demo-{body.role}-{secrets.token_hex(8)}", "aud": cfg.portal_jwt_audience,
                  "iss": cfg.portal_jwt_issuer, "exp": int(time.time()) + body.minutes * 60,
                  "municipality": body.municipality, "role": body.role, "language": "fi"}
        return {"token": jwt.encode(claims, cfg.portal_jwt_secret, algorithm="HS256")}
