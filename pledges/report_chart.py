"""The totals chart of a follow-up report, drawn on the server: SVG for the web page, PNG for
email (Gmail, Outlook and many other mail clients do not display SVG images).

Pure functions over (label, value, highlighted) bars; both drawings share one geometry. Text in
the SVG is escaped; the PNG is drawn with the default font of Pillow.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

WIDTH = 600
LABEL_WIDTH = 150
VALUE_ROOM = 100
BAR_HEIGHT = 18
GAP = 8
TOP = 30
COLOURS = {"plain": "#8a99a6", "highlight": "#1f7a4d", "total": "#2b4a6f"}
MAX_LABEL = 24


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: int
    kind: str = "plain"  # plain | highlight | total


@dataclass(frozen=True)
class _Placed:
    bar: ChartBar
    y: int
    width: int


def _layout(bars: list[ChartBar]) -> tuple[int, list[_Placed]]:
    top = max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    placed = [
        _Placed(bar, TOP + index * (BAR_HEIGHT + GAP), round(room * max(bar.value, 0) / top))
        for index, bar in enumerate(bars)
    ]
    height = TOP + len(bars) * (BAR_HEIGHT + GAP) + 4
    return height, placed


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def chart_svg(*, title: str, bars: list[ChartBar]) -> str:
    """An accessible SVG (role=img with a title) of horizontal bars; every text escaped."""
    height, placed = _layout(bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for item in placed:
        middle = item.y + BAR_HEIGHT / 2 + 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end">'
            f"{escape(_label(item.bar.label))}</text>"
        )
        if item.width:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{item.y}" width="{item.width}" '
                f'height="{BAR_HEIGHT}" fill="{COLOURS.get(item.bar.kind, COLOURS["plain"])}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + item.width + 6}" y="{middle}">{item.bar.value:,}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def chart_png(*, title: str, bars: list[ChartBar], scale: int = 2) -> bytes:
    """The same chart as a PNG, drawn at `scale` times the size for sharp high-DPI display."""
    from PIL import Image, ImageDraw, ImageFont  # only the mail path needs Pillow

    height, placed = _layout(bars)
    image = Image.new("RGB", (WIDTH * scale, height * scale), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    # Pillow's wheels bundle FreeType and a scalable default font (Aileron).
    font = ImageFont.load_default(size=12 * scale)
    bold = ImageFont.load_default(size=13 * scale)
    draw.text((0, 4 * scale), title, fill=(0, 0, 0), font=bold)
    for item in placed:
        middle = (item.y + BAR_HEIGHT / 2) * scale
        draw.text(
            ((LABEL_WIDTH - 8) * scale, middle),
            _label(item.bar.label),
            fill=(0, 0, 0),
            font=font,
            anchor="rm",
        )
        if item.width:
            draw.rectangle(
                (
                    LABEL_WIDTH * scale,
                    item.y * scale,
                    (LABEL_WIDTH + item.width) * scale - 1,
                    (item.y + BAR_HEIGHT) * scale - 1,
                ),
                fill=_hex(COLOURS.get(item.bar.kind, COLOURS["plain"])),
            )
        draw.text(
            ((LABEL_WIDTH + item.width + 6) * scale, middle),
            f"{item.bar.value:,}",
            fill=(0, 0, 0),
            font=font,
            anchor="lm",
        )
    buffer = io.BytesIO()
    # A 64-colour palette keeps the anti-aliased text and makes the attachment ~3x smaller.
    image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(
        buffer, format="PNG", optimize=True
    )
    return buffer.getvalue()
