"""E-mail for every package: one message in Finnish, Swedish and English, handed over by SMTP.

A message is written in all three languages because the service rarely knows which one its
reader uses; `order` puts the likeliest first. Each package decides what a failure to hand a
message over means for it (retry later, or tell the asker), so `hand_over` lets SMTP's and the
network's errors through as they are (an address only SMTPUTF8 could carry as
`SMTPNotSupportedError`, as smtplib says it).

The message is built by `kit.mime`; each template is compiled once (Jinja2's cache) and
rendered per recipient.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
import time
from collections.abc import Sequence
from email.utils import make_msgid
from typing import Any, Final

from ehoks.config import Settings
from ehoks.kit.i18n import Lang
from ehoks.kit.mime import Mail, NonAsciiAddressError, date_now
from ehoks.kit.pages.render import render_template
from ehoks.kit.translations import translator

SMTP_TIMEOUT_S: Final = 10


def compose(
    settings: Settings,
    recipient: str,
    template: str,
    values: dict[str, Any],
    subject: str,
    *,
    order: Sequence[Lang],
) -> Mail:
    """`templates/mail/<template>.txt` and `.html` with `values`, and `texts` and `langs` (one
    translator and one language code per language, in `order`) for the template to loop over."""
    texts = [translator(each).gettext for each in order]
    context = {"texts": texts, "langs": [each.value for each in order], **values}
    return Mail(
        sender=settings.mail_from,
        recipient=recipient,
        subject="eHOKS: " + " / ".join(gettext(subject) for gettext in texts),
        message_id=make_msgid(domain="ehoks.invalid"),
        date=date_now(),
        text=render_template(f"mail/{template}.txt", context, order[0]),
        html=render_template(f"mail/{template}.html", context, order[0]),
    )


def hand_over(settings: Settings, message: Mail) -> None:
    """Send one message through the configured SMTP server (STARTTLS and login when set)."""
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        _send(smtp, message)


def _send(smtp: smtplib.SMTP, message: Mail) -> None:
    try:
        recipient, content = message.envelope_recipient, message.as_bytes()
    except NonAsciiAddressError as error:
        raise smtplib.SMTPNotSupportedError(str(error)) from error
    smtp.sendmail(message.envelope_sender, [recipient], content)


class Connections:
    """SMTP connections kept open for a run of many messages: one per thread, opened on its
    first message and reused while it is fresh (`FRESH_S` since its last message); `close`
    ends them all. A message whose hand-over fails drops its connection (the next one opens a
    new one), so an error never leaves a half-used connection behind."""

    FRESH_S: Final = 10.0

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[smtplib.SMTP] = []

    def hand_over(self, message: Mail) -> None:
        smtp, used = getattr(self._local, "smtp", None), getattr(self._local, "used", 0.0)
        with self._lock:
            closed = smtp is not None and smtp not in self._open  # `close` ended it
        if closed:
            smtp = None
        elif smtp is not None and time.monotonic() - used > self.FRESH_S:
            self._drop(smtp)
            smtp = None
        if smtp is None:
            smtp = _connect(self._settings)
            with self._lock:
                self._open.append(smtp)
        self._local.smtp = None
        try:
            _send(smtp, message)
        except smtplib.SMTPRecipientsRefused:
            # Every recipient refused: smtplib has reset the transaction; the connection is fine.
            self._keep(smtp)
            raise
        except BaseException:
            self._drop(smtp)
            raise
        self._keep(smtp)

    def close(self) -> None:
        with self._lock:
            connections, self._open = self._open, []
        for smtp in connections:
            _quit_quietly(smtp)

    def _keep(self, smtp: smtplib.SMTP) -> None:
        self._local.smtp, self._local.used = smtp, time.monotonic()

    def _drop(self, smtp: smtplib.SMTP) -> None:
        with self._lock:
            if smtp in self._open:
                self._open.remove(smtp)
        _quit_quietly(smtp)


def _connect(settings: Settings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S)
    try:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
    except BaseException:
        _quit_quietly(smtp)
        raise
    return smtp


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
