from __future__ import annotations

import pytest

from pledges.urlnorm import BadURL, normalise_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Fortune.COM/2017/01/09/jack-ma/", "https://fortune.com/2017/01/09/jack-ma/"),
        ("https://example.org/a?utm_source=x&id=3&fbclid=y#top", "https://example.org/a?id=3"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:443", "https://example.org/"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org/A%20B?q=a%20b", "https://example.org/A%20B?q=a%20b"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("https://example.org./a", "https://example.org/a"),
    ],
)
def test_normalise_url_canonical_form(raw: str, expected: str) -> None:
    assert normalise_url(raw) == expected
    assert normalise_url(expected) == expected  # idempotent


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ftp://example.org/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://user:secret@example.org/",
        "https:///nohost",
        "https://example.org/a b",
        "https://example.org/\x00",
        "https://" + "a" * 2000 + ".org/",
        "https://example.org:99999/",
    ],
)
def test_normalise_url_rejects_non_http_and_junk(raw: str) -> None:
    with pytest.raises(BadURL):
        normalise_url(raw)
