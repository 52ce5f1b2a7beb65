"""Reading CSV records from a stream of bytes, one at a time, in bounded memory."""

from __future__ import annotations

import codecs
import csv
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass

from modules.catalogue.errors import InvalidImportFile

MAX_RECORD_CHARS = 64 * 1024


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record, the line it starts on, and why it cannot be parsed (if it cannot)."""

    line: int
    fields: list[str]
    error: str | None = None


async def csv_records(chunks: AsyncIterable[bytes]) -> AsyncIterator[Record]:
    """Yields each CSV record with the line it starts on, skipping blank lines. A record may
    span lines inside a quoted field; it ends on a line where its quotes are balanced."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    tail, pending, start, line = "", "", 0, 0
    async for text in _decoded(chunks, decoder):
        lines = (tail + text).split("\n")
        tail = lines.pop()
        if len(tail) > MAX_RECORD_CHARS:
            raise InvalidImportFile(
                f"Line {line + 1} is longer than {MAX_RECORD_CHARS} characters."
            )
        for physical in lines:
            line += 1
            start = start if pending else line
            pending += physical + "\n"
            if len(pending) > MAX_RECORD_CHARS:
                raise InvalidImportFile(
                    f"The record on line {start} is longer than {MAX_RECORD_CHARS} characters."
                )
            if pending.count('"') % 2 == 0:
                record, pending = _record(start, pending), ""
                if record is not None:
                    yield record
    if tail or pending:
        record = _record(start if pending else line + 1, pending + tail)
        if record is not None:
            yield record


def _record(line: int, text: str) -> Record | None:
    try:
        fields = next(csv.reader([text], strict=True), [])
    except csv.Error as exc:
        return Record(line, [], f"malformed CSV: {exc}")
    return Record(line, fields) if any(field.strip() for field in fields) else None


async def _decoded(
    chunks: AsyncIterable[bytes], decoder: codecs.IncrementalDecoder
) -> AsyncIterator[str]:
    async for chunk in chunks:
        try:
            yield decoder.decode(chunk)
        except UnicodeDecodeError:
            raise InvalidImportFile("The file is not UTF-8 text.") from None
    try:
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InvalidImportFile("The file is not UTF-8 text.") from None
