"""`EMAIL_URL` → Django's email settings, strictly (an unknown scheme or option is an error).

    console://                          the console backend (the default: mail is printed)
    smtp://user:pass@host:587/?tls=True SMTP with STARTTLS; smtps://... or ?ssl=True for TLS
    locmem:// · dummy://                in-memory (tests) / dropped
    file:///var/mail                    one file per message under that directory

User and password may be percent-encoded (`%40` for `@`). `?timeout=N` seconds (default 30,
so a stuck mail server cannot hold a worker forever).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tracker.env import EnvError

_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
DEFAULT_TIMEOUT = 30


def _flag(query: dict[str, list[str]], name: str) -> bool:
    raw = (query.get(name) or ["0"])[-1].lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise EnvError(f"EMAIL_URL: {name}={raw!r} is not a boolean")


def parse_email_url(url: str) -> dict[str, Any]:
    """The `EMAIL_*` settings `url` stands for (names as in django.conf.settings)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise EnvError(f"EMAIL_URL is not a URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _BACKENDS:
        raise EnvError(f"EMAIL_URL scheme {scheme!r} is not one of {', '.join(sorted(_BACKENDS))}")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"tls", "ssl", "timeout"}
    if unknown:
        raise EnvError(f"EMAIL_URL: unknown option(s) {', '.join(sorted(unknown))}")
    settings: dict[str, Any] = {"EMAIL_BACKEND": _BACKENDS[scheme]}
    if scheme == "file":
        if not parts.path:
            raise EnvError("EMAIL_URL: file:// needs a directory, e.g. file:///var/mail")
        settings["EMAIL_FILE_PATH"] = unquote(parts.path)
    if scheme not in ("smtp", "smtps"):
        return settings
    if not parts.hostname:
        raise EnvError("EMAIL_URL: an smtp URL needs a host, e.g. smtp://mail.example.org:587")
    use_ssl = scheme == "smtps" or _flag(query, "ssl")
    use_tls = _flag(query, "tls")
    if use_ssl and use_tls:
        raise EnvError("EMAIL_URL: use tls (STARTTLS) or ssl, not both")
    raw_timeout = (query.get("timeout") or [str(DEFAULT_TIMEOUT)])[-1]
    try:
        timeout = float(raw_timeout)
    except ValueError:
        raise EnvError(f"EMAIL_URL: timeout={raw_timeout!r} is not a number") from None
    if timeout <= 0:
        raise EnvError("EMAIL_URL: timeout must be more than 0")
    settings.update(
        EMAIL_HOST=parts.hostname,
        EMAIL_PORT=port or (465 if use_ssl else 587 if use_tls else 25),
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_TLS=use_tls,
        EMAIL_USE_SSL=use_ssl,
        EMAIL_TIMEOUT=timeout,
    )
    return settings
