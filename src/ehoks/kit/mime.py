"""An e-mail as the bytes that go over SMTP: a text and an HTML part of one message, in UTF-8.

Written directly rather than through `email.message.EmailMessage`: its header objects and its
generator cost more than the rest of an invitation's sending (a worker sends hundreds a
second), and our messages always have the same shape. That shape, per RFC 5322, 2045-2047:
`multipart/alternative` with the plain text first and HTML second (the last part is the
preferred one), each part UTF-8 in quoted-printable (lines of at most 76 characters, CRLF line
ends); headers ASCII, a header with other letters written as RFC 2047 encoded words (base64),
folded so that no line passes 78 characters.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from typing import Final
from uuid import uuid4

CRLF: Final = "\r\n"
# 42 bytes of UTF-8 (in threes, so that each word's base64 stands alone) make an encoded word
# of 68 characters, which fits a line after `Subject: ` (RFC 2047: words of at most 75).
_WORD_BYTES: Final = 42
_LINE: Final = 78


class HeaderValueError(ValueError):
    """A header value with a line break: it would start a header or the body of its own."""


class NonAsciiAddressError(ValueError):
    """An address whose local part is not ASCII: only SMTPUTF8 could carry it."""


@dataclass(frozen=True, slots=True)
class Mail:
    """One message: who from and to, its subject, its Message-ID and Date, and its two bodies."""

    sender: str  # as configured: `Name <address>` or an address
    recipient: str  # an address
    subject: str
    message_id: str  # `<...@...>`
    date: str  # RFC 5322 date-time
    text: str
    html: str

    def with_message_id(self, message_id: str) -> Mail:
        return replace(self, message_id=message_id)

    @property
    def envelope_sender(self) -> str:
        return _bare_address(self.sender)

    @property
    def envelope_recipient(self) -> str:
        return _address(self.recipient)

    def as_bytes(self) -> bytes:
        # `=_` never occurs in quoted-printable text, so no body can end its part.
        boundary = f"=_{uuid4().hex[:24]}"
        headers = [
            ("From", _sender(self.sender)),
            ("To", _address(self.recipient)),
            ("Subject", encoded_header(self.subject)),
            ("Date", _checked(self.date)),
            ("Message-ID", _checked(self.message_id)),
            ("MIME-Version", "1.0"),
            ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        ]
        head = "".join(f"{name}: {value}{CRLF}" for name, value in headers)
        return b"".join(
            [
                head.encode("ascii"),
                f"{CRLF}--{boundary}{CRLF}".encode("ascii"),
                _part("plain", self.text),
                f"{CRLF}--{boundary}{CRLF}".encode("ascii"),
                _part("html", self.html),
                f"{CRLF}--{boundary}--{CRLF}".encode("ascii"),
            ]
        )


def date_now() -> str:
    """Now as a `Date:` header says it (UTC)."""
    return format_datetime(datetime.now(UTC))


@lru_cache(maxsize=64)  # a few subjects, the same for every recipient
def encoded_header(value: str) -> str:
    """`value` as an ASCII header value: as it is when it is printable ASCII and fits a line,
    otherwise as encoded words, one a line."""
    _checked(value)
    if value.isascii() and value.isprintable() and len(value) <= _LINE - len("Subject: "):
        return value
    words: list[str] = []
    chunk: list[str] = []
    size = 0
    for char in value:
        length = len(char.encode())
        if size + length > _WORD_BYTES:
            words.append(_word("".join(chunk)))
            chunk.clear()
            size = 0
        chunk.append(char)
        size += length
    words.append(_word("".join(chunk)))
    return f"{CRLF} ".join(words)


def _word(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode('ascii')}?="


@lru_cache(maxsize=8)
def _sender(sender: str) -> str:
    """`Name <address>` with the name encoded when it is not ASCII (the setting rarely changes)."""
    name, address = parseaddr(_checked(sender))
    return formataddr((name, address), charset="utf-8") if name else address


@lru_cache(maxsize=8)
def _bare_address(sender: str) -> str:
    return parseaddr(sender)[1]


def _address(address: str) -> str:
    """An address in ASCII: a domain of other letters in its IDNA form."""
    _checked(address)
    if address.isascii():
        return address
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise NonAsciiAddressError("the address's local part is not ASCII")
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError as error:
        raise NonAsciiAddressError("the address's domain is not a valid name") from error


def _checked(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise HeaderValueError("a header value may not contain a line break")
    return value


def _part(subtype: str, body: str) -> bytes:
    text = CRLF.join(body.splitlines()) + CRLF
    encoded = binascii.b2a_qp(text.encode(), istext=True)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}"
    ).encode("ascii") + encoded
