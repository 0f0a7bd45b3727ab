"""A local SMTP server for the demo: the e-mail the service sends is printed on the console.

So that a workplace instructor's sign-in link can be tried on one laptop without a mail server.
It listens on the configured SMTP address (127.0.0.1:8025 by default) and only when the demo runs.
"""

from __future__ import annotations

import email
import email.policy
from typing import Any, Protocol

import click

from ehoks.config import get_settings


class _Stoppable(Protocol):
    def stop(self) -> None: ...


class _PrintingHandler:
    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        click.echo(
            f"\n--- e-mail to {', '.join(envelope.rcpt_tos)}: {message['subject']}\n{text}---\n"
        )
        return "250 OK"


def start_mail_sink() -> _Stoppable | None:
    """Start the sink, or say why not (the demo works without it, sending mail fails then)."""
    try:
        from aiosmtpd.controller import Controller  # noqa: PLC0415 - a development dependency
    except ImportError:
        click.echo("(no demo mail sink: aiosmtpd is not installed)")
        return None
    settings = get_settings()
    controller = Controller(
        _PrintingHandler(), hostname=settings.smtp_host, port=settings.smtp_port
    )
    try:
        controller.start()
    except OSError as exc:
        click.echo(f"(no demo mail sink on {settings.smtp_host}:{settings.smtp_port}: {exc})")
        return None
    click.echo(
        f"Demo mail sink on {settings.smtp_host}:{settings.smtp_port}: e-mail is printed here."
    )
    stoppable: _Stoppable = controller
    return stoppable
