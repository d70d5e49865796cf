"""A clean one-page HTML summary of chosen services, for a professional to print and hand over."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from bot.catalog.describe import facts

MAX_SERVICES = 10
STYLE = """
body { font-family: system-ui, Arial, sans-serif; font-size: 11pt; line-height: 1.35; color: #111;
       max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 15pt; margin: 0 0 .2rem; }
.meta { color: #444; font-size: 9pt; margin-bottom: 1rem; }
section { border-top: 1px solid #999; padding: .4rem 0; break-inside: avoid; }
h2 { font-size: 12pt; margin: .2rem 0; }
p { margin: .15rem 0; }
dl { display: grid; grid-template-columns: 9.5rem 1fr; gap: 0 .6rem; margin: .2rem 0; font-size: 10pt; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
.demo { font-weight: 600; color: #8a1c1c; }
.noprint { margin: 1rem 0; }
@media print { .noprint { display: none; } body { margin: 0; } @page { size: A4; margin: 12mm; } }
"""


def render(services: list[dict[str, Any]], missing: int = 0) -> str:
    today = dt.date.today()
    parts = ["<!doctype html>", '<html lang="fi"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Palvelujen yhteystiedot</title>", f"<style>{STYLE}</style></head><body>",
             "<h1>Palvelujen yhteystiedot</h1>",
             f'<p class="meta">Tulostettu {today.day}.{today.month}.{today.year}. '
             "Tarkista ajantasaiset tiedot palvelusta ennen käyntiä.</p>",
             '<p class="noprint"><button type="button" onclick="window.print()">Tulosta</button></p>']
    if any(s.get("demo") for s in services):
        parts.append('<p class="demo">Esimerkkiaineisto: nämä palvelut eivät ole todellisia.</p>')
    for service in services:
        parts.append("<section>")
        parts.append(f"<h2>{escape(service['name'])}</h2>")
        if service.get("provider"):
            parts.append(f"<p>{escape(service['provider'])}</p>")
        if service.get("summary"):
            parts.append(f"<p>{escape(service['summary'])}</p>")
        parts.append("<dl>")
        for label, value in facts(service):
            parts.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
        parts.append("</dl></section>")
    if missing:
        parts.append(f'<p class="meta">{missing} palvelua ei löytynyt enää palveluluettelosta.</p>')
    parts.append("</body></html>")
    return "\n".join(parts)
