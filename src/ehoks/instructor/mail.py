"""The sign-in e-mail: composed in Finnish, Swedish and English (templates/mail), sent over SMTP.

The message names no student and no workplace, because it may be forwarded: it says only that
someone asked for a sign-in link to the workplace instructors' view of eHOKS.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Final

from ehoks.config import Settings
from ehoks.kit.i18n import DEFAULT_LANG, Lang
from ehoks.kit.pages.render import render_template
from ehoks.kit.translations import translator

log = logging.getLogger("ehoks.instructor.mail")

SMTP_TIMEOUT_S: Final = 10


class MailUnavailableError(Exception):
    """The SMTP server could not be reached or refused the message."""


def compose(
    settings: Settings, recipient: str, url: str, lang: Lang = DEFAULT_LANG
) -> EmailMessage:
    """The sign-in e-mail in the asker's language first, then in the other two: the address may
    belong to someone who reads another of them, and asking through the API tells no language
    for sure."""
    order = [lang, *(other for other in Lang if other is not lang)]
    texts = [translator(each).gettext for each in order]
    values = {
        "texts": texts,
        "langs": [each.value for each in order],
        "minutes": settings.instructor_link_minutes,
        "url": url,
    }
    message = EmailMessage()
    message["Subject"] = "eHOKS: " + " / ".join(gettext("sign-in link") for gettext in texts)
    message["From"] = settings.mail_from
    message["To"] = recipient
    message["Message-ID"] = make_msgid(domain="ehoks.invalid")
    message.set_content(render_template("mail/sign_in_link.txt", values, lang))
    message.add_alternative(render_template("mail/sign_in_link.html", values, lang), subtype="html")
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
