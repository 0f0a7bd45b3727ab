"""E-mail for every package: one message in Finnish, Swedish and English, handed over by SMTP.

A message is written in all three languages because the service rarely knows which one its
reader uses; `order` puts the likeliest first. Each package decides what a failure to hand a
message over means for it (retry later, or tell the asker), so `hand_over` lets SMTP's and the
network's errors through as they are.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, Final

from ehoks.config import Settings
from ehoks.kit.i18n import Lang
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
) -> EmailMessage:
    """`templates/mail/<template>.txt` and `.html` with `values`, and `texts` and `langs` (one
    translator and one language code per language, in `order`) for the template to loop over."""
    texts = [translator(each).gettext for each in order]
    context = {"texts": texts, "langs": [each.value for each in order], **values}
    message = EmailMessage()
    message["Subject"] = "eHOKS: " + " / ".join(gettext(subject) for gettext in texts)
    message["From"] = settings.mail_from
    message["To"] = recipient
    message["Message-ID"] = make_msgid(domain="ehoks.invalid")
    message.set_content(render_template(f"mail/{template}.txt", context, order[0]))
    message.add_alternative(
        render_template(f"mail/{template}.html", context, order[0]), subtype="html"
    )
    return message


def hand_over(settings: Settings, message: EmailMessage) -> None:
    """Send one message through the configured SMTP server (STARTTLS and login when set)."""
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)
