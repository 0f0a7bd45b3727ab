"""The sign-in e-mail: composed in Finnish, Swedish and English (templates/mail), sent over SMTP.

The message names no student and no workplace, because it may be forwarded: it says only that
someone asked for a sign-in link to the workplace instructors' view of eHOKS.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Final

from ehoks.config import Settings
from ehoks.kit import mail
from ehoks.kit.i18n import DEFAULT_LANG, Lang
from ehoks.kit.mime import Mail
from ehoks.kit.translations import N_

log = logging.getLogger("ehoks.instructor.mail")


SUBJECT: Final = N_("sign-in link")


class MailUnavailableError(Exception):
    """The SMTP server could not be reached or refused the message."""


def compose(settings: Settings, recipient: str, url: str, lang: Lang = DEFAULT_LANG) -> Mail:
    """The sign-in e-mail in the asker's language first, then in the other two: the address may
    belong to someone who reads another of them, and asking through the API tells no language
    for sure."""
    order = [lang, *(other for other in Lang if other is not lang)]
    values = {"minutes": settings.instructor_link_minutes, "url": url}
    return mail.compose(settings, recipient, "sign_in_link", values, SUBJECT, order=order)


def send(settings: Settings, message: Mail) -> None:
    """Send one message; MailUnavailableError if it could not be handed over."""
    try:
        mail.hand_over(settings, message)
    except (OSError, smtplib.SMTPException) as error:
        # The address is personal data: log only what went wrong, not to whom.
        log.warning("sign-in e-mail not sent: %s", type(error).__name__)
        raise MailUnavailableError from error
