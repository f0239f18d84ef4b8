"""URL normalisation: one `Source` row per article, whatever tracking junk a link carries.

Pure functions, no Django models: imports, the admin, the API and the re-check jobs all call
`normalise_url`, so two spellings of one article can never become two sources.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from django.core.exceptions import ValidationError

MAX_URL_LENGTH = 2000

# Query parameters that identify a campaign or a click, never the article.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "cmpid",
        "ocid",
        "smid",
        "smtyp",
        "ncid",
        "mbid",
        "sr_share",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Already canonical: lower-case host, no port or a non-default one, no query, no fragment.
_CANONICAL = re.compile(
    r"https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?P<port>:[1-9][0-9]{0,4})?/[^?#\s\x00-\x1f\x7f]*"
)
_BAD_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")


class BadURL(ValueError):
    """The text is not an acceptable http(s) source URL; the message says why."""


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _port_is_canonical(port: str | None) -> bool:
    return port is None or (port not in (":80", ":443") and int(port[1:]) <= 65535)


def normalise_url(raw: str) -> str:
    """The canonical form of an article URL, or `BadURL`.

    Scheme and host are lower-cased (the host IDNA-encoded), default ports, the fragment and
    tracking parameters (`utm_*`, `fbclid`, ...) are dropped; path and remaining query keep
    their case and order, because servers may care.
    """
    text = (raw or "").strip()
    canonical = _CANONICAL.fullmatch(text) if len(text) <= MAX_URL_LENGTH else None
    if canonical and _port_is_canonical(canonical.group("port")):
        return text  # the common case, made cheap: an import normalises ~250,000 URLs
    if not text:
        raise BadURL("the URL is empty")
    if len(text) > MAX_URL_LENGTH:
        raise BadURL(f"the URL is longer than {MAX_URL_LENGTH} characters")
    if _BAD_CHARS.search(text):
        raise BadURL("the URL contains white space or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"the URL cannot be parsed ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise BadURL("only http:// and https:// URLs are accepted")
    if parts.username is not None or parts.password is not None:
        raise BadURL("the URL must not contain a user name or password")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BadURL("the URL has no host")
    try:
        host = host.encode("idna").decode("ascii").lower() if not host.isascii() else host.lower()
    except UnicodeError:
        raise BadURL("the host name is not a valid internationalised domain name") from None
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    # Filter the raw `k=v` pieces rather than re-encoding them: `%20` must stay `%20`.
    query = "&".join(
        piece
        for piece in parts.query.split("&")
        if piece and not _is_tracking(unquote_plus(piece.split("=", 1)[0]))
    )
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def validate_http_url(value: str) -> None:
    """Model-field validator: the value must normalise (http(s), a host, no credentials)."""
    if not value:
        return
    try:
        normalise_url(value)
    except BadURL as exc:
        raise ValidationError(f"Enter a valid http(s) URL: {exc}.", code="invalid_url") from None
