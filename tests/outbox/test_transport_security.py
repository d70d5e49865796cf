"""Transport security of the outbox: SMTP over STARTTLS or implicit TLS against real TLS servers
(no fallback to plain text), webhooks only with the partner's own secret and to https."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import Engine, select

from bot.outbox import Outgoing, deliver_due, enqueue
from bot.outbox.config import senders_from, smtp_tls_mode
from bot.outbox.senders import Delivery, DeliveryError, PermanentDeliveryError, SmtpSender, WebhookSender
from bot.personal.crypto import encrypt
from bot.personal.store import OutboxRow, personal_engine, utcnow
from bot.settings import Settings
from bot.testing.servers import free_port
from tests.conftest import MailBox

MAIL = Delivery("m-1", "key-1", "kumppani@esimerkki.fi", "Hyvinvointilähete HL-ABCDEF", "Nimi: Maija")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (PEM certificate, PEM key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def _client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=str(certificate[0]))
    return context


@pytest.fixture()
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[int, MailBox]]:
    box, port = MailBox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, tls_context=_server_context(certificate),
                            require_starttls=True)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


def test_mail_goes_over_starttls_with_a_verified_certificate(starttls_server: tuple[int, MailBox],
                                                             certificate: tuple[Path, Path]) -> None:
    port, box = starttls_server
    SmtpSender("127.0.0.1", port, "bot@esimerkki.fi", ssl_context=_client_context(certificate)).send(MAIL)
    (mail,) = box.messages
    assert mail["Subject"] == "Hyvinvointilähete HL-ABCDEF"


def test_an_unverifiable_certificate_is_refused(starttls_server: tuple[int, MailBox]) -> None:
    port, box = starttls_server
    with pytest.raises(DeliveryError, match="starttls"):
        SmtpSender("127.0.0.1", port, "bot@esimerkki.fi", timeout=5).send(MAIL)  # the system's CAs only
    assert box.messages == []


def test_a_server_without_starttls_gets_nothing_in_plain_text(smtp_server: tuple[int, MailBox]) -> None:
    port, box = smtp_server  # a plain SMTP server
    with pytest.raises(DeliveryError, match="SMTPNotSupportedError"):
        SmtpSender("127.0.0.1", port, "bot@esimerkki.fi", timeout=5).send(MAIL)
    assert box.messages == []


def test_implicit_tls(certificate: tuple[Path, Path]) -> None:
    box, port = MailBox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, ssl_context=_server_context(certificate))
    controller.start()
    try:
        SmtpSender("127.0.0.1", port, "bot@esimerkki.fi", tls="implicit",
                   ssl_context=_client_context(certificate)).send(MAIL)
    finally:
        controller.stop()
    assert len(box.messages) == 1


def test_tls_modes() -> None:
    assert SmtpSender("smtp.example.org", 465, "a@b.fi").mode == "implicit"
    assert SmtpSender("smtp.example.org", 587, "a@b.fi").mode == "starttls"
    assert SmtpSender("localhost", 25, "a@b.fi", tls="off").mode == "off"
    with pytest.raises(ValueError):
        SmtpSender("localhost", 25, "a@b.fi", tls="maybe")
    assert [smtp_tls_mode(v) for v in ("", "on", "OFF", "false", "starttls", "implicit", "kyllä")] == [
        "auto", "auto", "off", "off", "starttls", "implicit", "auto"]  # an unknown value keeps TLS on


def test_senders_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMTP_TLS", raising=False)
    settings = Settings.from_env()
    email = senders_from(settings)["email"]
    assert isinstance(email, SmtpSender) and email.tls == "auto"  # TLS by default
    monkeypatch.setenv("SMTP_TLS", "off")
    settings = Settings.from_env()
    email = senders_from(settings)["email"]
    assert isinstance(email, SmtpSender) and email.tls == "off"
    webhook = senders_from(settings)["webhook"]
    assert isinstance(webhook, WebhookSender) and not hasattr(webhook, "secret")  # no shared secret


# ---- webhooks

@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    return personal_engine(f"sqlite:///{tmp_path / 'personal.sqlite'}")


@pytest.mark.parametrize(("url", "secret", "reason"), [
    ("https://kumppani.example.org/in", "", "no signing secret"),
    ("http://kumppani.example.org/in", "oma-salaisuus", "https required"),
])
def test_a_webhook_that_cannot_be_sent_safely_fails_at_once(engine: Engine, url: str, secret: str,
                                                            reason: str) -> None:
    enqueue(engine, Outgoing("webhook", url, "", '{"viite": "HL-ABCDEF"}', "service_info", "",
                             encrypt(secret) if secret else ""), "w-1", "t")
    report = deliver_due(engine, {"webhook": WebhookSender(timeout=2)}, utcnow())
    assert (report.sent, report.retried, report.failed) == (0, 0, 1)  # no retries: it can never succeed
    with engine.connect() as conn:
        row = conn.execute(select(OutboxRow.status, OutboxRow.attempts, OutboxRow.last_error)).one()
    assert row.status == "failed" and row.attempts == 1 and reason in row.last_error


def test_webhook_sender_refuses_before_any_connection() -> None:
    with pytest.raises(PermanentDeliveryError):
        WebhookSender().send(Delivery("1", "k", "https://127.0.0.1:9/in", "", "{}"))
    with pytest.raises(PermanentDeliveryError):
        WebhookSender().send(Delivery("1", "k", "http://10.0.0.1/in", "", "{}", secret="s"))
