"""Keyset cursors: the position where a page ended, signed, so a client can send back only a
position the API gave it.

A cursor is URL-safe base64, without padding, of ``tag + payload``. The payload is the position's
values as a compact UTF-8 JSON array (text and integers as they are; decimals, timestamps and
UUIDs as strings); the tag is the first 16 bytes of its HMAC-SHA-256 under a key of the listing's
own, ``HMAC(MOSAIC_SECRET_KEY, "mosaic.cursor:" + purpose)``, so one listing's cursor is never
another's. Changing the secret key invalidates every cursor issued before.

Decoding checks the length, the alphabet and the tag (in constant time, over the cursor as it is
spelled) before reading anything, then reads each value with the type and range the listing
expects (:class:`CursorReader`): even a validly signed value cannot reach the database outside
its column's range. Whatever is wrong, the answer is the listing's own error, never a server
error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import NoReturn, TypeVar

from core.errors.exceptions import MosaicError

#: What a codec writes: URL-safe base64 without padding.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"
#: The longest cursor a codec writes or reads: room for 200 characters of text in any script.
MAX_CURSOR_LENGTH = 2048
#: The largest value of an ``INTEGER`` column, so of a serial primary key.
MAX_ROW_ID = 2**31 - 1
TAG_SIZE = 16

T = TypeVar("T")
CursorValue = str | int | Decimal | datetime | uuid.UUID

_KEY_LABEL = b"mosaic.cursor:"
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_DECIMAL = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")
_UUID_HEX = re.compile(r"[0-9a-f]{32}")
# Python strings may hold halves of UTF-16 pairs that no database or encoder accepts.
_SURROGATE = re.compile("[\ud800-\udfff]")
# What reading a cursor can raise: binascii, JSON, Unicode and value errors are all ValueError;
# decimal and date arithmetic raise ArithmeticError; deep JSON nesting raises RecursionError.
_DECODING_FAILURES = (ValueError, TypeError, ArithmeticError, RecursionError)


class CursorReader:
    """The values of a verified cursor, read in the order they were written. Each method takes
    the next value and refuses one of another type or out of the given range, so that what a
    listing gets fits its columns."""

    def __init__(self, values: list[object]) -> None:
        self._values = values
        self._read = 0

    def text(self, *, max_length: int) -> str:
        """Returns a string of at most ``max_length`` characters, without NUL or surrogates."""
        value = self._next(str)
        if len(value) > max_length or "\x00" in value or _SURROGATE.search(value):
            _refuse()
        return value

    def integer(self, *, minimum: int, maximum: int) -> int:
        """Returns an integer from ``minimum`` to ``maximum`` (a boolean is not one)."""
        value = self._next(int)
        if isinstance(value, bool) or not minimum <= value <= maximum:
            _refuse()
        return value

    def row_id(self) -> int:
        """Returns an ``INTEGER`` primary key: from 1 to 2**31 - 1."""
        return self.integer(minimum=1, maximum=MAX_ROW_ID)

    def decimal(self, *, digits: int, places: int) -> Decimal:
        """Returns a decimal a ``Numeric(digits, places)`` column holds: written in plain
        notation, with at most ``digits - places`` digits before the point and ``places``
        significant ones after it."""
        text = self._next(str)
        match = _DECIMAL.fullmatch(text)
        if match is None:
            _refuse()
        whole, fraction = match.group(1).lstrip("0"), (match.group(2) or "").rstrip("0")
        if len(whole) > digits - places or len(fraction) > places:
            _refuse()
        return Decimal(text)

    def timestamp(self) -> datetime:
        """Returns a timestamp written with its offset, in UTC."""
        value = datetime.fromisoformat(self._next(str))
        if value.tzinfo is None:
            _refuse()
        return value.astimezone(UTC)  # OverflowError near year 1 and 9999

    def uuid(self) -> uuid.UUID:
        """Returns a UUID written as 32 lower-case hexadecimal digits."""
        text = self._next(str)
        if not _UUID_HEX.fullmatch(text):
            _refuse()
        return uuid.UUID(hex=text)

    def _next(self, kind: type[T]) -> T:
        if self._read >= len(self._values):
            _refuse()
        value = self._values[self._read]
        self._read += 1
        if not isinstance(value, kind):
            _refuse()
        return value

    def _check_all_read(self) -> None:
        if self._read != len(self._values):
            _refuse()


class CursorCodec:
    """Writes and reads the cursors of one listing, its ``purpose``; any cursor it did not write
    raises ``error``."""

    def __init__(self, secret_key: str, *, purpose: str, error: type[MosaicError]) -> None:
        label = _KEY_LABEL + purpose.encode()
        self._key = hmac.new(secret_key.encode(), label, hashlib.sha256).digest()
        self.purpose = purpose
        self.error = error

    def encode(self, *values: CursorValue) -> str:
        """Returns the cursor of ``values``. A naive timestamp is taken to be UTC (SQLite keeps
        no offset); a cursor longer than ``MAX_CURSOR_LENGTH`` is a ``ValueError``."""
        payload = json.dumps(
            [_plain(value) for value in values], ensure_ascii=False, separators=(",", ":")
        ).encode()
        token = self._seal(payload)
        if len(token) > MAX_CURSOR_LENGTH:
            raise ValueError(f"a {self.purpose} cursor would exceed {MAX_CURSOR_LENGTH} characters")
        return token

    def decode(self, token: str, read: Callable[[CursorReader], T]) -> T:
        """Returns what ``read`` makes of the values of ``token``; raises ``error`` unless this
        codec wrote ``token`` and ``read`` accepts its values, all of them.

        ``read`` calls the reader's methods in the order the values were written, and may raise
        ``error`` itself with a more precise detail.
        """
        try:
            reader = CursorReader(self._verified_values(token))
            position = read(reader)
            reader._check_all_read()
        except _DECODING_FAILURES:
            raise self.error("The cursor is not a `next` value this listing returned.") from None
        return position

    def _verified_values(self, token: str) -> list[object]:
        if len(token) > MAX_CURSOR_LENGTH or not _TOKEN.fullmatch(token):
            _refuse()
        payload = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))[TAG_SIZE:]
        # The padding bits of the last character are part of the token too: one cursor, one
        # spelling, so no edit of a character goes unnoticed.
        if not hmac.compare_digest(self._seal(payload), token):
            _refuse()
        values = json.loads(
            payload.decode("utf-8"), parse_constant=_refuse_json, parse_float=_refuse_json
        )
        if not isinstance(values, list):
            _refuse()
        return values

    def _seal(self, payload: bytes) -> str:
        return base64.urlsafe_b64encode(self._tag(payload) + payload).rstrip(b"=").decode()

    def _tag(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:TAG_SIZE]


class CursorKeys:
    """Every listing's codec under one secret key, each built once."""

    def __init__(self, secret_key: str) -> None:
        self._secret_key = secret_key
        self._codecs: dict[tuple[str, type[MosaicError]], CursorCodec] = {}

    def codec(self, purpose: str, error: type[MosaicError]) -> CursorCodec:
        """Returns the codec of the listing ``purpose``, raising ``error``."""
        codec = self._codecs.get((purpose, error))
        if codec is None:
            codec = CursorCodec(self._secret_key, purpose=purpose, error=error)
            self._codecs[(purpose, error)] = codec
        return codec


def _plain(value: CursorValue) -> str | int:
    """Returns ``value`` as the payload holds it."""
    if isinstance(value, bool):
        raise TypeError("a cursor holds no booleans")
    if isinstance(value, str | int):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"a cursor holds finite decimals, not {value}")
        return format(value, "f")
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        return aware.astimezone(UTC).isoformat()
    return value.hex


def _refuse() -> NoReturn:
    raise ValueError("not a cursor this codec wrote")


def _refuse_json(_text: str) -> NoReturn:
    _refuse()
