"""Invitation e-mails: composed in Finnish, Swedish and English (templates/mail), sent over SMTP.

A student's invitation carries their own survey link; a workplace instructor gets one e-mail per
workplace, provider, qualification and month, listing a link for each ended period.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from typing import Any, Final

from ehoks.config import Settings
from ehoks.kit import mail
from ehoks.kit.i18n import Lang
from ehoks.kit.mime import Mail
from ehoks.kit.translations import N_

ORDER: Final = (Lang.FI, Lang.SV, Lang.EN)


STUDENT_SUBJECT: Final = N_("feedback survey")
WORKPLACE_SUBJECT: Final = N_("workplace feedback survey")


class MailTemporaryError(Exception):
    """The SMTP server could not be reached or asked to try later."""


class MailRefusedError(Exception):
    """The SMTP server refused the message or its recipient for good."""


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: str


def compose(
    settings: Settings, recipient: str, template: str, values: dict[str, Any], subject: str
) -> Mail:
    """A message in all three languages: the service does not know which one the reader uses."""
    return mail.compose(settings, recipient, template, values, subject, order=ORDER)


def send(settings: Settings, message: Mail, via: mail.Connections | None = None) -> Sent:
    """Hand the message over, on a connection of `via` when given (a worker's round)."""
    try:
        if via is not None:
            via.hand_over(message)
        else:
            mail.hand_over(settings, message)
    except smtplib.SMTPRecipientsRefused as error:
        raise MailRefusedError("recipient refused") from error
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:  # noqa: PLR2004 - SMTP's permanent failures
            raise MailRefusedError(f"SMTP {error.smtp_code}") from error
        raise MailTemporaryError(f"SMTP {error.smtp_code}") from error
    except (OSError, smtplib.SMTPException) as error:
        raise MailTemporaryError(type(error).__name__) from error
    return Sent(message_id=message.message_id)
