"""Bounced invitations: the delivery reports (RFC 3464) that come back after the SMTP server
took a message.

The SMTP server accepting an invitation (`lahetetty`) does not mean it arrived: a mailbox that
does not exist answers later with a delivery report to the sender's address. The mail system
hands each such report to `ehoks feedback bounce` (e.g. a Postfix `pipe` transport or an
`.forward` on the sender's mailbox); the report names the original message by its `Message-ID`,
which every invitation's row keeps. The message becomes `lahetys_epaonnistunut` with the
report's status and diagnostic, and so does each survey it invited to, which staff then see on
the plan's feedback page with "send again" (after correcting the address). A report about a
message that is not ours, or a delay notice, changes nothing; the same report twice changes
nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, message_from_string, policy
from email.message import Message
from typing import Final

from sqlalchemy.orm import Session

from ehoks.feedback import repository
from ehoks.feedback.rules import State

FAILED: Final = "lahetys_epaonnistunut"
BOUNCE_EVENT: Final = "sahkoposti_palautui"
MAX_REASON: Final = 500


@dataclass(frozen=True, slots=True)
class Bounce:
    message_id: str
    recipient: str | None
    status: str
    diagnostic: str | None

    @property
    def reason(self) -> str:
        text = f"bounce {self.status}: {self.diagnostic or ''}".strip().rstrip(":")
        return text[:MAX_REASON]


def parse(raw: bytes) -> Bounce | None:
    """The failed delivery a report tells of; None for anything else (a delay, not a report)."""
    report = message_from_bytes(raw, policy=policy.default)
    if report.get_content_type() != "multipart/report":
        return None
    failed: Message | None = None
    original_id: str | None = None
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            failed = failed or _failed_recipient(part)
        elif kind == "text/rfc822-headers":
            original_id = original_id or _message_id(message_from_string(_text(part)))
        elif kind == "message/rfc822":
            inner = part.get_payload(0) if part.is_multipart() else None
            if isinstance(inner, Message):
                original_id = original_id or _message_id(inner)
    if failed is None or original_id is None:
        return None
    return Bounce(
        message_id=original_id,
        recipient=_address(failed.get("Final-Recipient")),
        status=str(failed.get("Status") or "").strip(),
        diagnostic=" ".join(str(failed.get("Diagnostic-Code") or "").split()) or None,
    )


def record(session: Session, bounce: Bounce, now: datetime) -> str:
    """Record a bounce; what was done: `recorded`, `already` or `unknown` (not our message)."""
    message = repository.message_by_header_id(session, bounce.message_id)
    if message is None:
        return "unknown"
    if message.state == FAILED and (message.reason or "").startswith("bounce"):
        return "already"
    repository.set_message_state(session, message.id, state=FAILED, reason=bounce.reason)
    for feedback in repository.feedback_of_message(session, message.id):
        if feedback.state != State.SENT:
            continue
        repository.move(
            session,
            feedback,
            State.SENDING_FAILED,
            event=BOUNCE_EVENT,
            now=now,
            reason=BOUNCE_EVENT,
        )
    return "recorded"


def _failed_recipient(part: Message) -> Message | None:
    blocks = part.get_payload()
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, Message) and str(block.get("Action", "")).strip().lower() == "failed":
            return block
    return None


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)


def _message_id(headers: Message) -> str | None:
    value = headers.get("Message-ID")
    return str(value).strip() if value else None


def _address(value: object) -> str | None:
    """`rfc822; someone@example.fi` → the address."""
    if not value:
        return None
    return str(value).split(";", 1)[-1].strip() or None
