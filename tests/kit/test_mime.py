"""An e-mail's bytes read back by the standard library's parser, as a mail program reads them."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from ehoks.kit.mime import HeaderValueError, Mail, NonAsciiAddressError, date_now

SUBJECT = "eHOKS: palautekysely työpaikalla / arbetsplatsens responsenkät / workplace feedback"


def mail(**changes: str) -> Mail:
    values = {
        "sender": "eHOKS-palvelu Åbo <noreply@ehoks.invalid>",
        "recipient": "matti@example.fi",
        "subject": SUBJECT,
        "message_id": "<one@ehoks.invalid>",
        "date": date_now(),
        "text": "Hei,\n\nvastaa kyselyyn "
        + "pitkä rivi " * 20
        + "\n.\nhttps://a.example/?a=1&b=2\n",
        "html": '<p>Hyvä opiskelija</p>\n<a href="https://a.example/?a=1&amp;b=2">linkki</a>\n',
    }
    return Mail(**(values | changes))


def test_headers_and_both_parts_read_back_as_written():
    raw = mail().as_bytes()
    message = message_from_bytes(raw, policy=policy.default)

    assert message["Subject"] == SUBJECT
    assert message["From"].addresses[0].display_name == "eHOKS-palvelu Åbo"
    assert message["From"].addresses[0].addr_spec == "noreply@ehoks.invalid"
    assert message["To"] == "matti@example.fi"
    assert message["Message-ID"] == "<one@ehoks.invalid>"
    assert message["Date"].datetime.tzinfo is not None
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert plain.get_content().splitlines() == mail().text.splitlines()
    assert html.get_content().splitlines() == mail().html.splitlines()
    assert all(not part.defects for part in message.walk())
    # ASCII on the wire, CRLF line ends, no line longer than RFC 5322 recommends.
    assert raw.isascii()
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 78
    assert not any(b"\n" in line or b"\r" in line for line in lines)


def test_a_short_ascii_subject_goes_as_it_is():
    raw = mail(subject="eHOKS: sign-in link").as_bytes()
    assert b"\r\nSubject: eHOKS: sign-in link\r\n" in raw


def test_a_line_break_in_a_header_is_refused():
    with pytest.raises(HeaderValueError):
        mail(subject="hello\r\nBcc: someone@example.com").as_bytes()
    with pytest.raises(HeaderValueError):
        mail(recipient="a@example.fi\nBcc: b@example.fi").as_bytes()


def test_an_address_goes_in_ascii_or_not_at_all():
    assert mail(recipient="matti@esimerkkiä.fi").envelope_recipient == "matti@xn--esimerkki-32a.fi"
    with pytest.raises(NonAsciiAddressError):
        _ = mail(recipient="mätti@example.fi").envelope_recipient
