"""The senders a deployment uses, from the settings."""

from __future__ import annotations

from bot.outbox.senders import Sender, SmsGatewaySender, SmtpSender, WebhookSender
from bot.settings import Settings


def senders_from(settings: Settings) -> dict[str, Sender]:
    return {
        "email": SmtpSender(settings.smtp_host, settings.smtp_port, settings.mail_from),
        "sms": SmsGatewaySender(settings.sms_gateway_url),
        "webhook": WebhookSender(settings.channel_secret),  # partners' own secrets take precedence
    }
