"""From a fetched page to what a re-check compares: the article text, its fingerprint, its
sentences, its modified date, its correction notes, and whether it is still an article at all.

Pure functions over bytes and text (no ORM, no network), so each rule is tested on its own.
The fingerprint is taken over the *normalised* extracted text: trafilatura drops navigation,
ads and footers, and normalisation drops what still moves on every request (clock readings,
"posted 5 minutes ago", nonces), so only an edit of the article counts as a change.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import htmldate
import trafilatura

MAX_TEXT_CHARS = 200_000  # an article longer than this is cut: a page is not a book
MAX_BAD_BYTES_SHARE = 0.005  # undecodable share of a body above which it is a protocol error

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([a-zA-Z0-9_.:-]{1,40})""", re.I)
_NOISE = [
    re.compile(p, re.I)
    for p in (
        r"\b\d+\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b",
        r"\b(?:just now|moments ago|updated \w+ ago)\b",
        r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}\b)?",  # clock readings
        r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b",  # hex nonces
        r"\b(?=\w*\d)(?=\w*[a-z])\w{20,}\b",  # long random tokens
    )
]
_NOT_FOUND = re.compile(
    r"\b(?:page (?:was )?not (?:be )?found|(?:could|can)\s?not be found|404\b|no longer "
    r"(?:exists|available)|does(?:n't| not) exist|page you (?:requested|are looking for))",
    re.I,
)
_PARKED = re.compile(
    r"\b(?:this domain (?:is|may be) for sale|buy this domain|domain (?:is )?parked|"
    r"parked (?:free|domain)|the domain \S+ (?:is|may be) for sale)",
    re.I,
)
_TITLE = re.compile(r"<title[^>]*>([^<]{0,500})</title>", re.I)
_NOTE = re.compile(r"^\s*((?:correction|update|updated|editor'?s note|clarification)\s*:.*)$", re.I)
# A sentence ends at . ! ? (perhaps with a closing quote) before whitespace and a capital, a
# digit or an opening quote; except after the honorifics that end in a full stop.
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?(\s+)(?=[A-Z\"“‘(0-9])")
_HONORIFIC = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|No|Gov|Sen|Rep|Gen)|\bU\.S)\.$")


class UndecodableBody(ValueError):
    """The body is not text in its declared (or sniffed) character set."""


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str  # the article text, paragraphs separated by newlines
    fingerprint: str  # sha256 of the normalised text
    sentences: tuple[str, ...] = field(repr=False)
    modified_on: dt.date | None
    notes: tuple[str, ...]  # "Correction: ..." / "Update: ..." paragraphs, verbatim
    soft_404: bool  # a "page not found" page, or a parked domain
    parked: bool


def decode_body(body: bytes, declared: str | None) -> str:
    """Text of an HTML body: the header's charset, else the page's <meta charset>, else UTF-8
    (windows-1252 when that fails, as browsers do). A body with more than a trace of bytes its
    charset cannot decode, or with NUL bytes, raises UndecodableBody."""
    charset = declared
    if not charset:
        found = _META_CHARSET.search(body[:4096])
        charset = found[1].decode("ascii").lower() if found else None
    try:
        codec = codecs.lookup(charset or "utf-8").name
    except LookupError:
        codec = "utf-8"
    if b"\x00" in body:
        raise UndecodableBody("the body contains NUL bytes")
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        if not charset:
            return body.decode("cp1252", errors="replace")
    text = body.decode(codec, errors="replace")
    if text.count("\ufffd") > max(2, len(text) * MAX_BAD_BYTES_SHARE):
        raise UndecodableBody(f"the body is not valid {codec}")
    return text


def normalise_text(text: str) -> str:
    """The text as the fingerprint sees it: NFKC, lower case, volatile bits removed, single
    spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def fingerprint(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def split_sentences(text: str) -> list[str]:
    """Sentences of the text, verbatim (only the surrounding whitespace trimmed)."""
    sentences = []
    for paragraph in text.splitlines():
        start = 0
        for end in _SENTENCE_END.finditer(paragraph):
            if _HONORIFIC.search(paragraph, 0, end.start(1)):
                continue
            sentences.append(paragraph[start : end.start(1)].strip())
            start = end.end(1)
        sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def sentence_diff(old: str, new: str) -> tuple[list[str], list[str]]:
    """(added, removed) sentences of ``new`` against ``old``, compared normalised, in order."""
    old_keys = {normalise_text(s) for s in split_sentences(old)}
    new_sentences = split_sentences(new)
    new_keys = {normalise_text(s) for s in new_sentences}
    added = [s for s in new_sentences if normalise_text(s) not in old_keys]
    removed = [s for s in split_sentences(old) if normalise_text(s) not in new_keys]
    return added, removed


def is_home_page(url: str, original: str) -> bool:
    """A redirect of an article to the site's front page: the classic soft 404."""
    final, start = urlsplit(url), urlsplit(original)
    home = final.path in ("", "/", "/index.html", "/index.php", "/home") and not final.query
    return home and start.path not in ("", "/")


def extract(html: str, *, url: str = "") -> Extracted:
    """Article text, fingerprint, sentences, modified date and notes of an HTML page."""
    doc = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        deduplicate=False,
    )
    title = (getattr(doc, "title", None) or "").strip()[:500]
    text = (getattr(doc, "text", None) or "").strip()[:MAX_TEXT_CHARS]
    if not text:  # not an article page: fall back to its visible text, so it can be compared
        text = (trafilatura.html2txt(html) or "").strip()[:MAX_TEXT_CHARS]
    modified = None
    try:
        found = htmldate.find_date(html, extensive_search=False, original_date=False)
        modified = dt.date.fromisoformat(found) if found else None
    except (ValueError, TypeError):
        modified = None
    notes = tuple(m[1].strip() for line in text.splitlines() if (m := _NOTE.match(line)))
    found_title = _TITLE.search(html[:20_000])
    page_title = found_title[1] if found_title else ""
    head = f"{title}\n{page_title}\n{text[:600]}"
    soft_404 = bool(_NOT_FOUND.search(f"{title}\n{page_title}")) or (
        len(text) < 600 and bool(_NOT_FOUND.search(head))
    )
    parked = bool(_PARKED.search(head))
    return Extracted(
        title=title,
        text=text,
        fingerprint=fingerprint(text),
        sentences=tuple(split_sentences(text)),
        modified_on=modified,
        notes=notes,
        soft_404=soft_404 or parked,
        parked=parked,
    )


def drifted(old: str, new: str) -> bool:
    """True when ``new`` shares almost no sentences with ``old``: the URL now shows another
    page (a new owner, a parked domain, a section front) rather than an edited article."""
    old_keys = {normalise_text(s) for s in split_sentences(old)}
    new_keys = {normalise_text(s) for s in split_sentences(new)}
    if len(old_keys) < 3 or not new_keys:
        return False
    return len(old_keys & new_keys) / len(old_keys) < 0.1
