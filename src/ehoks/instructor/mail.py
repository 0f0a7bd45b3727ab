"""The sign-in e-mail: composed in Finnish, Swedish and English, sent over SMTP.

The message names no student and no workplace, because it may be forwarded: it says only that
someone asked for a sign-in link to the workplace instructors' view of eHOKS.
"""

from __future__ import annotations

import html
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Final

from ehoks.config import Settings

log = logging.getLogger("ehoks.instructor.mail")

SMTP_TIMEOUT_S: Final = 10
SUBJECT: Final = "eHOKS: kirjautumislinkki / inloggningslänk / sign-in link"

_PARAGRAPHS: Final = (
    (
        "Hei,",
        (
            "pyysit kirjautumislinkkiä eHOKS-palvelun työpaikkaohjaajan näkymään. Linkki toimii "
            "kerran ja vanhenee {minutes} minuutin kuluttua:"
        ),
        "Jos et pyytänyt linkkiä, voit jättää tämän viestin huomiotta.",
    ),
    (
        "Hej,",
        (
            "du har beställt en inloggningslänk till arbetsplatshandledarens vy i eHOKS. Länken "
            "fungerar en gång och går ut om {minutes} minuter:"
        ),
        "Om du inte beställde länken kan du lämna detta meddelande utan åtgärd.",
    ),
    (
        "Hello,",
        (
            "you asked for a sign-in link to the workplace instructor's view of eHOKS. The link "
            "works once and expires in {minutes} minutes:"
        ),
        "If you did not ask for it, you can ignore this message.",
    ),
)


class MailUnavailableError(Exception):
    """The SMTP server could not be reached or refused the message."""


def compose(settings: Settings, recipient: str, url: str) -> EmailMessage:
    minutes = settings.instructor_link_minutes
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = settings.mail_from
    message["To"] = recipient
    message["Message-ID"] = make_msgid(domain="ehoks.invalid")
    text_parts = []
    html_parts = []
    for greeting, body, ignore in _PARAGRAPHS:
        text_parts.append(f"{greeting}\n\n{body.format(minutes=minutes)}\n\n{url}\n\n{ignore}")
        html_parts.append(
            f"<p>{html.escape(greeting)}</p><p>{html.escape(body.format(minutes=minutes))}</p>"
            f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'
            f"<p>{html.escape(ignore)}</p>"
        )
    message.set_content("\n\n----\n\n".join(text_parts))
    message.add_alternative(
        '<!doctype html><html lang="fi"><body>' + "<hr>".join(html_parts) + "</body></html>",
        subtype="html",
    )
    return message


def send(settings: Settings, message: EmailMessage) -> None:
    """Send one message; MailUnavailableError if it could not be handed over."""
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        # The address is personal data: log only what went wrong, not to whom.
        log.warning("sign-in e-mail not sent: %s", type(error).__name__)
        raise MailUnavailableError from error
