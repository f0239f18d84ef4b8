"""Writing the interchange CSV (export_pledges, the API's CSV, the admin's export)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from pledges.interchange import COLUMNS, PledgeRecord, csv_line_writer, format_record


def csv_lines(records: Iterable[PledgeRecord]) -> Iterator[str]:
    """The canonical CSV, header first, one string per line (RFC 4180, CRLF)."""
    return csv_lines_of_cells(format_record(record) for record in records)


def csv_lines_of_cells(rows: Iterable[list[str]]) -> Iterator[str]:
    """`csv_lines` of rows already formatted (`format_record`'s cells), header first."""
    writer = csv_line_writer()
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow(row)


def csv_header_line() -> str:
    """The CSV's first line: the column names."""
    return csv_line_writer().writerow(COLUMNS)


def write_csv(records: Iterable[PledgeRecord], out: TextIO) -> int:
    """Write the canonical CSV to `out`; returns the number of pledge rows."""
    lines = 0
    for line in csv_lines(records):
        out.write(line)
        lines += 1
    return lines - 1
