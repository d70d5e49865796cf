"""The outbox against a real SMTP server and a real HTTP receiver that is down for a while."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from bot.outbox import Outgoing, deliver_due, enqueue
from bot.outbox.senders import SmsGatewaySender, SmtpSender, WebhookSender, signature
from bot.outbox.worker import MAX_ATTEMPTS, backoff
from bot.personal.store import AuditRow, OutboxRow, personal_engine, utcnow
from bot.testing.servers import free_port
from tests.conftest import MailBox


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    return personal_engine(f"sqlite:///{tmp_path / 'personal.sqlite'}")


class Receiver:
    """A local HTTP endpoint (SMS gateway or partner webhook) that can be switched off."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.up = False
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if not receiver.up:
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/in"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()


def test_email_is_delivered_once_through_real_smtp(engine: Engine, smtp_server: tuple[int, MailBox]) -> None:
    port, box = smtp_server
    message = Outgoing("email", "asiakas@esimerkki.fi", "Palvelun tiedot: Kuntosali", "Hei,\nkuntosali.",
                       "service_info")
    row_id, created = enqueue(engine, message, "key-1", "professional:test")
    again, created_again = enqueue(engine, message, "key-1", "professional:test")
    assert created and not created_again and again == row_id
    senders = {"email": SmtpSender("127.0.0.1", port, "bot@esimerkki.fi", tls="off")}
    assert deliver_due(engine, senders).sent == 1
    assert deliver_due(engine, senders).sent == 0  # nothing is sent twice
    (mail,) = box.messages
    assert mail["To"] == "asiakas@esimerkki.fi" and mail["Subject"] == "Palvelun tiedot: Kuntosali"
    assert "kuntosali." in mail.get_content()
    with engine.connect() as conn:
        row = conn.execute(select(OutboxRow.__table__)).one()
        assert row.status == "sent" and row.attempts == 1
        assert "asiakas" not in row.recipient_enc and "kuntosali" not in row.body_enc  # encrypted at rest
        actions = conn.execute(select(AuditRow.action)).scalars().all()
    assert actions == ["outbox.create", "outbox.deliver"]


def test_mail_server_down_loses_nothing(engine: Engine) -> None:
    port = free_port()  # nothing listens here yet
    enqueue(engine, Outgoing("email", "a@esimerkki.fi", "Aihe", "Teksti", "service_info"), None, "t")
    senders = {"email": SmtpSender("127.0.0.1", port, "bot@esimerkki.fi", timeout=2, tls="off")}
    now = utcnow()
    report = deliver_due(engine, senders, now)
    assert (report.sent, report.retried) == (0, 1)
    assert deliver_due(engine, senders, now + dt.timedelta(seconds=1)).retried == 0  # waits for its backoff
    box = MailBox()
    from aiosmtpd.controller import Controller

    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert deliver_due(engine, senders, now + backoff(1)).sent == 1
    finally:
        controller.stop()
    assert len(box.messages) == 1


def test_sms_gateway_down_then_up_delivers_exactly_once(engine: Engine, receiver: Receiver) -> None:
    enqueue(engine, Outgoing("sms", "+358401234567", "", "Kuntosali, puh. 02 123", "service_info"), "sms-1", "t")
    senders = {"sms": SmsGatewaySender(receiver.url)}
    now = utcnow()
    for attempt in range(1, 4):
        now += backoff(attempt)
        assert deliver_due(engine, senders, now).retried == 1
    receiver.up = True
    now += backoff(4)
    assert deliver_due(engine, senders, now).sent == 1
    assert deliver_due(engine, senders, now + dt.timedelta(days=1)).sent == 0
    (headers, body) = receiver.received[0]
    assert len(receiver.received) == 1 and headers["idempotency-key"] == "sms-1"
    assert b"+358401234567" in body


def test_webhook_down_then_back_is_delivered_once_and_signed(engine: Engine, receiver: Receiver) -> None:
    from bot.personal.crypto import encrypt

    enqueue(engine, Outgoing("webhook", receiver.url, "", '{"viite": "ABC"}', "referral", "ABC",
                             encrypt("kumppanin-salaisuus")), "w-1", "t")
    senders = {"webhook": WebhookSender()}
    now = utcnow()
    assert deliver_due(engine, senders, now).retried == 1  # the receiver answers 503
    receiver.up = True
    assert deliver_due(engine, senders, now + backoff(1)).sent == 1
    assert deliver_due(engine, senders, now + dt.timedelta(hours=2)).sent == 0
    (headers, body), = receiver.received
    assert headers["x-hyte-signature"] == signature("kumppanin-salaisuus", body)  # the partner's own secret
    assert headers["idempotency-key"] == "w-1"


def test_a_message_is_marked_failed_only_after_many_attempts(engine: Engine) -> None:
    enqueue(engine, Outgoing("sms", "+358401234567", "", "x", "service_info"), None, "t")
    now = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        now += backoff(attempt)
        deliver_due(engine, {}, now)  # no sender configured: every attempt fails
    with engine.connect() as conn:
        row = conn.execute(select(OutboxRow.__table__)).one()
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS and "no sender" in row.last_error
