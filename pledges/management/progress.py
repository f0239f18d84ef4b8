"""The progress bar of the long-running commands."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm


def progress_bar(command: BaseCommand, desc: str, unit: str, *, disable: bool) -> tqdm:
    """A bar on the command's stderr (not stdout, which carries its summary)."""
    return tqdm(
        desc=desc,
        unit=unit,
        disable=disable,
        file=command.stderr._out,
        dynamic_ncols=True,
    )
