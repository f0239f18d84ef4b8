"""The progress bar of the long-running commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm


def progress_bar(
    command: BaseCommand,
    desc: str,
    unit: str,
    *,
    disable: bool,
    iterable: Iterable[Any] | None = None,
    total: int | None = None,
) -> tqdm:
    """A bar on the command's stderr (not stdout, which carries its summary); around
    `iterable` when given, counting each item it yields."""
    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        disable=disable,
        file=command.stderr._out,
        dynamic_ncols=True,
    )
