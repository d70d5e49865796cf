"""Attacks on the real processes: conversation takeover, personal data in slots and logs, and one
long message stalling every conversation (issue 12)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import threading
import time
from typing import Any

import httpx
import websockets

from tests.integration.conftest import ADMIN_TOKEN, Stack
from tests.integration.test_portal import portal_token

LEAKY = "kuntosali Porissa, soittakaa minulle 040 1234567 tai maija.meikalainen@example.fi"
PERSONAL = ("1234567", "040 123", "maija", "meikalainen")


def relay(stack: Stack, message: str, sender: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"message": message}
    if sender is not None:
        body["sender"] = sender
    return httpx.post(f"{stack.catalog_url}/api/chat", json=body, timeout=60)


def _stored(stack: Stack, sender: str) -> str:
    with sqlite3.connect(stack.tracker_db) as db:
        rows = db.execute("select data from events where sender_id = ?", (sender,)).fetchall()
    return json.dumps([json.loads(r[0]) for r in rows], ensure_ascii=False)


def test_portal_conversation_cannot_be_taken_over_by_knowing_sub(stack: Stack) -> None:
    token, sender = portal_token(municipality="609", name="Maija Meikäläinen", phone="040 1234567")
    assert httpx.post(f"{stack.catalog_url}/api/chat/portal", json={"message": "liikuntaa ikääntyneille"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=60).status_code == 200
    subject = json.loads(__import__("base64").urlsafe_b64decode(token.split(".")[1] + "==="))["sub"]
    unkeyed = "portal-" + hashlib.sha256(subject.encode()).hexdigest()[:24]  # the old, guessable id
    assert unkeyed != sender
    for claimed in (sender, unkeyed):  # the REST channel and the relay refuse portal ids outright
        rest = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": claimed, "message": "kyllä"},
                          timeout=30)
        assert rest.status_code == 403
        assert relay(stack, "kyllä", claimed).status_code == 403
    assert "Maija" not in _stored(stack, sender)


def test_web_conversations_take_only_ids_the_server_issued(stack: Stack) -> None:
    first = relay(stack, "kulttuuria Porissa")
    victim = first.headers["X-Conversation-Id"]
    assert first.status_code == 200 and victim.startswith("web-")
    nonce = victim.split(".")[0]
    for forged in (nonce, nonce + "." + "0" * 32, "web-" + "1" * 32 + "." + "2" * 32):
        assert relay(stack, "näytä lisää", forged).status_code == 403
    assert relay(stack, "näytä lisää", victim).status_code == 200  # the holder of the id goes on


def test_socket_clients_cannot_join_another_conversation(stack: Stack) -> None:
    victim = relay(stack, "hei").headers["X-Conversation-Id"]
    made_up = "web-" + "a" * 32 + "." + "b" * 32
    url = stack.rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"

    async def confirmed(requested: str) -> str:
        async with websockets.connect(url) as ws:
            await ws.recv()  # engine.io open
            await ws.send("40")
            await ws.recv()  # namespace connected
            await ws.send("42" + json.dumps(["session_request", {"session_id": requested}]))
            while True:
                packet = str(await ws.recv())
                if packet.startswith("42"):
                    event, session = json.loads(packet[2:])
                    assert event == "session_confirm"
                    return str(session)

    assert asyncio.run(confirmed(victim)) == victim  # an issued id is taken back (page reloads)
    given = asyncio.run(confirmed(made_up))
    assert given != made_up and given.startswith("web-")


def test_personal_data_typed_into_a_search_stays_out_of_slots_trackers_and_logs(stack: Stack) -> None:
    sender = f"leak-check-{time.time_ns()}"
    stack.say(sender, LEAKY)
    slots = json.dumps(stack.slots(sender), ensure_ascii=False).lower()
    assert not [p for p in PERSONAL if p in slots], slots
    stored = _stored(stack, sender).lower()
    assert not [p for p in PERSONAL if p in stored]
    issued = relay(stack, LEAKY).headers["X-Conversation-Id"]
    assert not [p for p in PERSONAL if p in _stored(stack, issued).lower()]
    time.sleep(0.5)
    logs = "\n".join(p.read_text(errors="replace") for p in stack.logs.glob("*.log")).lower()
    assert not [p for p in PERSONAL if p in logs]


def test_one_long_message_does_not_stall_other_conversations(stack: Stack) -> None:
    long_message = "kuntosali " * 10_000  # 100 kB
    refused: dict[str, int] = {}

    def send_long(name: str, url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        refused[name] = httpx.post(url, json=body, headers=headers or {}, timeout=120).status_code

    token, _ = portal_token()
    attacks = [
        threading.Thread(target=send_long, args=("rest", f"{stack.rasa_url}/webhooks/rest/webhook",
                                                 {"sender": "attacker", "message": long_message})),
        threading.Thread(target=send_long, args=("relay", f"{stack.catalog_url}/api/chat", {"message": long_message})),
        threading.Thread(target=send_long, args=("portal", f"{stack.rasa_url}/webhooks/portal/webhook",
                                                 {"message": long_message}, {"Authorization": f"Bearer {token}"})),
        threading.Thread(target=send_long, args=("professional", f"{stack.rasa_url}/webhooks/professional/webhook",
                                                 {"sender": "pro-attacker", "message": long_message},
                                                 {"X-Api-Key": "integration-professional-key"})),
    ]
    for attack in attacks:
        attack.start()
    started = time.monotonic()
    answer = stack.text(f"bystander-{time.time_ns()}", "liikuntaa Raumalla")
    waited = time.monotonic() - started
    for attack in attacks:
        attack.join()
    assert refused == {"rest": 413, "relay": 413, "portal": 413, "professional": 413}
    assert "Raumalla" in answer
    assert waited < 20, f"a normal message waited {waited:.1f} s behind long ones"


def test_rasa_refuses_oversized_metadata(stack: Stack) -> None:
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=30,
                          json={"sender": "meta-check", "message": "hei", "metadata": {"x": "y" * 10_000}})
    assert response.status_code == 413


def test_private_apis_are_not_on_the_public_listener(stack: Stack) -> None:
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    assert httpx.get(f"{stack.catalog_url}/api/admin/partners", headers=admin, timeout=10).status_code == 404
    assert httpx.get(f"{stack.private_url}/api/admin/partners", headers=admin, timeout=10).status_code == 200
    openapi = httpx.get(f"{stack.catalog_url}/openapi.json", timeout=10).json()
    assert not [p for p in openapi["paths"] if "/admin/" in p or "/referrals/drafts" in p]


def test_the_action_server_refuses_calls_without_the_token(stack: Stack) -> None:
    assert httpx.get(f"{stack.catalog_url}/health", timeout=10).json()["action_server"] is True  # Rasa's calls work
    call = {"next_action": "action_start_referral", "sender_id": "x", "tracker": {"sender_id": "x", "events": []},
            "domain": {}, "version": "3.6.21"}
    assert httpx.post(f"{stack.action_url}/webhook", json=call, timeout=10).status_code == 401
    wrong = httpx.post(f"{stack.action_url}/webhook", json=call, headers={"X-Action-Token": "guess"}, timeout=10)
    assert wrong.status_code == 401


def test_malformed_slot_payloads_get_an_answer_not_an_error(stack: Stack) -> None:
    for payload in ('/inform{"municipality": 123}', '/inform{"theme": {"a": 1}}', '/inform{"target_group": ["x"]}',
                    '/inform{"results_offset": "abc"}', '/start_referral{"ordinal": "zz"}', '/choose{"x": 1}',
                    '/inform{"filters": "free"}'):
        sender = f"bad-payload-{time.time_ns()}"
        answer = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": payload},
                            timeout=60)
        assert answer.status_code == 200 and any(m.get("text") for m in answer.json()), payload
    actions_log = (stack.logs / "actions.log").read_text(errors="replace")
    assert "Traceback" not in actions_log


def test_a_flood_from_one_conversation_is_slowed_down(stack: Stack) -> None:
    sender = relay(stack, "hei").headers["X-Conversation-Id"]
    statuses = [relay(stack, "/greet", sender).status_code for _ in range(25)]
    assert 429 in statuses and statuses[0] == 200
    other = relay(stack, "hei")  # another conversation is not affected
    assert other.status_code == 200
