"""Geometry of the server-rendered SVG charts (no JavaScript): pure functions, no Django.

The templates draw what these compute; every label is escaped there. Each chart comes with
a data table on the page, so the numbers are readable without the picture.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    value_text: str
    css: str
    x: float
    y: float
    width: float
    height: float

    @property
    def end(self) -> float:
        return round(self.x + self.width, 1)

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Chart:
    """Bars in a `width` × `height` box; `axis_y` is where column bars stand."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    label_width: int = 0
    axis_y: float = 0

    @property
    def label_end(self) -> int:
        return self.label_width - 8


def thousands(value: int | None) -> str:
    """1000000 → '1,000,000'; None → 'unknown'."""
    return "unknown" if value is None else f"{value:,}"


def compact(value: int) -> str:
    """1000000 → '1M', 85300 → '85k', 950 → '950': short enough to sit above a column."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if value >= size:
            return f"{value / size:.1f}".removesuffix(".0") + suffix
    return str(value)


@dataclass(frozen=True)
class Badge:
    """A shields-style badge: a grey label box and a coloured value box."""

    label: str
    value: str
    label_width: int
    value_width: int

    @property
    def width(self) -> int:
        return self.label_width + self.value_width

    @property
    def label_x(self) -> float:
        return self.label_width / 2

    @property
    def value_x(self) -> float:
        return self.label_width + self.value_width / 2


def badge(label: str, value: str, *, char_width: float = 6.6, padding: int = 12) -> Badge:
    """Box widths for two texts in an 11px sans-serif font (an estimate: no font metrics on
    the server, so the boxes are a little generous)."""
    return Badge(
        label=label,
        value=value,
        label_width=round(len(label) * char_width + 2 * padding),
        value_width=round(len(value) * char_width + 2 * padding),
    )


def horizontal_bars(
    rows: list[tuple[str, int, str]],
    *,
    width: int = 640,
    label_width: int = 170,
    bar_height: int = 22,
    gap: int = 10,
    value_room: int = 90,
) -> Chart:
    """One bar per (label, value, css class) row, longest = full width, labels left of the
    bars and values right of them. Zero-valued rows keep their line, with no bar."""
    top = max((value for _, value, _ in rows), default=0) or 1
    room = width - label_width - value_room
    bars = tuple(
        Bar(
            label=label,
            value=value,
            value_text=thousands(value),
            css=css,
            x=label_width,
            y=index * (bar_height + gap),
            width=round(room * value / top, 1),
            height=bar_height,
        )
        for index, (label, value, css) in enumerate(rows)
    )
    return Chart(
        width=width,
        height=max(len(rows) * (bar_height + gap) - gap, 1),
        bars=bars,
        label_width=label_width,
    )


def columns(
    rows: list[tuple[str, int, str]],
    *,
    width: int = 640,
    height: int = 220,
    label_room: int = 24,
    value_room: int = 20,
) -> Chart:
    """One column per (label, value, css class) row, tallest = full height, the label under
    each column and its value above it."""
    top = max((value for _, value, _ in rows), default=0) or 1
    slot = width / max(len(rows), 1)
    room = height - label_room - value_room
    bars = []
    for index, (label, value, css) in enumerate(rows):
        bar_height = round(room * value / top, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                value_text=compact(value),
                css=css,
                x=round(index * slot + slot * 0.15, 1),
                y=round(value_room + room - bar_height, 1),
                width=round(slot * 0.7, 1),
                height=bar_height,
            )
        )
    return Chart(width=width, height=height, bars=tuple(bars), axis_y=height - label_room)
