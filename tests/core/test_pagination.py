"""The keyset cursor codec of ``core.pagination``: what it writes, and what it refuses to read."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core import CURSOR_PATTERN, MAX_CURSOR_LENGTH, CursorCodec, CursorReader, cursor_codec
from core.errors import BadRequest, NotFound

SECRET = "a-test-secret-key-of-enough-characters"


class WrongCursor(BadRequest):
    code = "probe.invalid_cursor"
    title = "Invalid cursor"


def codec(purpose: str = "probe.items", secret: str = SECRET) -> CursorCodec:
    return CursorCodec(secret, purpose=purpose, error=WrongCursor)


def read_all(values: CursorReader) -> tuple[object, ...]:
    return (
        values.text(max_length=10),
        values.integer(minimum=1, maximum=2**31 - 1),
        values.decimal(digits=12, places=2),
        values.timestamp(),
        values.uuid(),
    )


def signed(payload: bytes, *, purpose: str = "probe.items") -> str:
    """A cursor of any payload, signed as the codec signs: what only the key's holder can make."""
    key = hmac.new(SECRET.encode(), b"mosaic.cursor:" + purpose.encode(), hashlib.sha256).digest()
    tag = hmac.new(key, payload, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(tag + payload).rstrip(b"=").decode()


ID = uuid.UUID("12345678123456781234567812345678")
WHEN = datetime(2026, 1, 2, 3, 4, 5, 600, tzinfo=UTC)


def test_a_cursor_reads_back_what_was_written():
    token = codec().encode("pear", 7, Decimal("19.90"), WHEN, ID)

    assert codec().decode(token, read_all) == ("pear", 7, Decimal("19.90"), WHEN, ID)


def test_a_cursor_is_url_safe_base64_of_the_tag_and_a_json_array():
    token = codec().encode("pear", 7)
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))

    assert re.fullmatch(CURSOR_PATTERN, token)
    assert raw[16:] == b'["pear",7]'
    assert token == signed(b'["pear",7]')


def test_timestamps_are_written_in_utc_and_naive_ones_taken_as_utc():
    paris = WHEN.astimezone(timezone(timedelta(hours=1)))

    assert codec().encode(paris) == codec().encode(WHEN.replace(tzinfo=None))
    assert codec().decode(codec().encode(paris), lambda values: values.timestamp()) == WHEN


def test_a_cursor_of_another_purpose_or_secret_is_refused():
    token = codec("probe.items").encode("pear")

    for other in (codec("probe.others"), codec(secret=SECRET + "!")):
        with pytest.raises(WrongCursor):
            other.decode(token, lambda values: values.text(max_length=10))


def test_any_edit_of_a_character_is_refused():
    token = codec().encode("pear", 7)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    for index, original in enumerate(token):
        for replacement in alphabet.replace(original, ""):
            edited = token[:index] + replacement + token[index + 1 :]
            with pytest.raises(WrongCursor):
                codec().decode(
                    edited,
                    lambda values: (
                        values.text(max_length=10),
                        values.integer(minimum=0, maximum=9),
                    ),
                )


def test_every_value_must_be_read():
    token = codec().encode("pear", 7)

    with pytest.raises(WrongCursor):
        codec().decode(token, lambda values: values.text(max_length=10))


@pytest.mark.parametrize(
    ("payload", "read"),
    [
        (b'["a\\u0000b"]', lambda values: values.text(max_length=10)),
        (b'["a\\ud800"]', lambda values: values.text(max_length=10)),
        (b'["eleven chars"]', lambda values: values.text(max_length=10)),
        (b"[2147483648]", lambda values: values.integer(minimum=1, maximum=2**31 - 1)),
        (b"[0]", lambda values: values.integer(minimum=1, maximum=2**31 - 1)),
        (b"[true]", lambda values: values.integer(minimum=0, maximum=1)),
        (b"[" + b"9" * 5000 + b"]", lambda values: values.integer(minimum=0, maximum=1)),
        (b'["1e999999"]', lambda values: values.decimal(digits=12, places=2)),
        (b'["NaN"]', lambda values: values.decimal(digits=12, places=2)),
        (b'["12345678901.00"]', lambda values: values.decimal(digits=12, places=2)),
        (b'["1.001"]', lambda values: values.decimal(digits=12, places=2)),
        (b"[1e999999]", lambda values: values.decimal(digits=12, places=2)),
        (b"[NaN]", lambda values: values.integer(minimum=0, maximum=1)),
        (b'["0001-01-01T00:00:00+01:00"]', lambda values: values.timestamp()),
        (b'["9999-12-31T23:59:59-01:00"]', lambda values: values.timestamp()),
        (b'["2026-01-02T03:04:05"]', lambda values: values.timestamp()),
        (b'["12345678-1234-5678-1234-567812345678"]', lambda values: values.uuid()),
        (b"{}", lambda values: values.text(max_length=10)),
        (b"[]", lambda values: values.text(max_length=10)),
        (b"[" * 5000, lambda values: values.text(max_length=10)),
        (b'["\xff"]', lambda values: values.text(max_length=10)),
    ],
)
def test_a_signed_value_out_of_its_range_is_refused(payload, read):
    with pytest.raises(WrongCursor):
        codec().decode(signed(payload), read)


@pytest.mark.parametrize(
    "token",
    ["", "a", "not a cursor", "a+b/", "QQ==", "x" * (MAX_CURSOR_LENGTH + 1), "\x00", "\ud800"],
)
def test_a_token_that_is_not_one_is_refused(token):
    with pytest.raises(WrongCursor):
        codec().decode(token, lambda values: values.text(max_length=10))


def test_the_reader_may_refuse_with_its_own_detail():
    token = codec().encode("name")

    def read(values: CursorReader) -> str:
        raise WrongCursor(f"issued for {values.text(max_length=10)}")

    with pytest.raises(WrongCursor, match="issued for name"):
        codec().decode(token, read)


def test_two_hundred_characters_of_any_script_fit():
    longest = codec().encode("\U0001f600" * 200, 2**31 - 1)
    control = codec().encode("\x01" * 200, 2**31 - 1)

    assert len(longest) <= MAX_CURSOR_LENGTH
    assert len(control) <= MAX_CURSOR_LENGTH
    assert json.loads(base64.urlsafe_b64decode(control + "===")[16:])[0] == "\x01" * 200


def test_what_cannot_be_written_is_a_programming_error():
    with pytest.raises(ValueError, match="exceed"):
        codec().encode("x" * MAX_CURSOR_LENGTH)
    with pytest.raises(ValueError, match="finite"):
        codec().encode(Decimal("Infinity"))
    with pytest.raises(TypeError):
        codec().encode(True)


def test_only_a_bad_request_may_refuse_a_cursor():
    class Missing(NotFound):
        code = "probe.missing"
        title = "Missing"

    with pytest.raises(TypeError, match="400"):
        cursor_codec("probe.items", Missing)  # type: ignore[arg-type]
