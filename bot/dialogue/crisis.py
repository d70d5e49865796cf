"""After the crisis answer: offer the mental-health services of the resident's municipality.

The crisis answer itself is a plain response uttered first by a rule, so it goes out even when
the action server or the catalog is down; this turn only adds to it. The services and this
offer are in Finnish only, so a crisis written in Swedish, English or another language gets
nothing more here: its answer (in that language) is complete without it.
"""

from __future__ import annotations

from typing import Any

from bot.catalog.client import CatalogUnavailable, search_services
from bot.dialogue.results import results_text
from bot.dialogue.search_turn import Reply
from bot.finnish.phrases import in_county, in_municipality

OFFERED = 3
FINNISH = "fi"


async def crisis_services(slots: dict[str, Any], language: str | None = None) -> Reply:
    """``language``: the slot ``message_language`` (fi, sv, en, other; None = Finnish)."""
    if language not in (None, FINNISH):
        return Reply([], {})
    municipality, county = slots.get("municipality"), slots.get("county")
    if not municipality and not county:
        return Reply([{"text": "Jos haluat, etsin sinulle myös keskusteluapua läheltä. Kerro silloin kuntasi."}],
                     {})
    params = {"theme": "mielen_hyvinvointi", "municipality": municipality,
              "county": None if municipality else county, "limit": OFFERED}
    try:
        data = await search_services(params)
    except CatalogUnavailable:
        return Reply([], {})
    items = data.get("items") or []
    if not items:
        return Reply([], {})
    place = in_municipality(municipality) if municipality else in_county(str(county))
    return Reply([{"text": f"Jos haluat jutella jonkun kanssa, mielen hyvinvoinnin tukea {place}:"},
                  {"text": results_text(items, 1)}],
                 {"result_ids": [i["id"] for i in items], "results_offset": 0})
