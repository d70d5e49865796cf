"""Outgoing messages (service details to a client, referrals to partners), stored before they
are sent and delivered by a worker with retries, backoff and an idempotency key."""

from bot.outbox.queue import Outgoing, enqueue
from bot.outbox.worker import deliver_due

__all__ = ["Outgoing", "deliver_due", "enqueue"]
