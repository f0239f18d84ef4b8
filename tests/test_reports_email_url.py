"""EMAIL_URL: the mail settings of the follow-up reports, parsed strictly."""

from __future__ import annotations

import pytest

from tracker.email_url import parse_email_url
from tracker.env import EnvError


def test_email_url_smtp_with_starttls_and_encoded_password() -> None:
    parsed = parse_email_url("smtp://reports%40example.org:p%40ss@mail.example.org:587/?tls=True")
    assert parsed == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "reports@example.org",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30.0,
    }


def test_email_url_smtps_defaults_to_port_465() -> None:
    parsed = parse_email_url("smtps://mail.example.org?timeout=5")
    assert (parsed["EMAIL_PORT"], parsed["EMAIL_USE_SSL"], parsed["EMAIL_TIMEOUT"]) == (
        465,
        True,
        5.0,
    )


def test_email_url_console_is_the_plain_default() -> None:
    assert parse_email_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    assert parse_email_url("file:///var/mail")["EMAIL_FILE_PATH"] == "/var/mail"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("imap://mail.example.org", "scheme 'imap'"),
        ("smtp://mail.example.org?tls=maybe", "tls='maybe' is not a boolean"),
        ("smtp://mail.example.org?tls=1&ssl=1", "not both"),
        ("smtp://mail.example.org?verify=0", "unknown option"),
        ("smtp://:25", "needs a host"),
        ("smtp://mail.example.org?timeout=soon", "not a number"),
        ("smtp://mail.example.org:port", "not a URL"),
    ],
)
def test_email_url_rejects_what_it_cannot_understand(url: str, message: str) -> None:
    with pytest.raises(EnvError, match=message):
        parse_email_url(url)
