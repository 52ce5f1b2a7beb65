"""Reading the ``Idempotency-Key`` header (draft-ietf-httpapi-idempotency-key-header).

The draft makes the header a Structured Fields *String* (RFC 8941 §3.3.3): printable ASCII in
double quotes, where ``\\"`` and ``\\\\`` are the only escapes. Many clients send the bare value
(``Idempotency-Key: 8e03978e-…``) instead; it is accepted as the same key when it holds no
quote, backslash, space or control character, so ``"abc"`` and ``abc`` name one key.
"""

from __future__ import annotations

import re

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

# What OpenAPI says the header holds: a quoted Structured Fields string or a bare value, at
# most MAX_KEY_LENGTH characters as sent (so at most that many once unquoted). Every value it
# matches is accepted; the rare longer one that unquotes short enough is accepted too.
PATTERN = r'^(?:"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])+"|[\x21\x23-\x5b\x5d-\x7e]+)$'

_QUOTED = re.compile(r'^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$')
_BARE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")
_ESCAPE = re.compile(r'\\(["\\])')


def parse_key(value: str) -> str | None:
    """Returns the key ``value`` carries, or ``None`` when it is malformed, empty or longer
    than :data:`MAX_KEY_LENGTH` characters."""
    value = value.strip(" \t")
    quoted = _QUOTED.match(value)
    if quoted is not None:
        key = _ESCAPE.sub(r"\1", quoted.group(1))
    elif _BARE.match(value):
        key = value
    else:
        return None
    return key if 0 < len(key) <= MAX_KEY_LENGTH else None
