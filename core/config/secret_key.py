"""How strong ``MOSAIC_SECRET_KEY`` looks: placeholders, repeated patterns and an entropy estimate.

A key cannot be proven random; it can be shown not to be. The estimate counts the alphabet its
character classes span (lower case 26, upper case 26, digits 10, anything else 33) and the
characters left once a repeated pattern is counted once and runs of one character twice, so
``secrets.token_urlsafe(32)`` scores about 280 bits and ``"ab" * 32`` about 9.
"""

from __future__ import annotations

import math
import re
import string

# Only ever accepted when MOSAIC_ENV=development, so a laptop needs no set-up and production
# cannot start with a key that is printed in the source.
DEVELOPMENT_SECRET_KEY = "mosaic-development-only-secret-key-do-not-deploy"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_BITS = 128
GENERATE = 'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'

# Words the examples and templates of this and other projects put where a key belongs; compared
# with separators removed, so "change-me", "change_me" and "CHANGEME" are one.
_PLACEHOLDERS = ("changeme", "example", "secret", "placeholder", "replaceme", "yourkey")
_SEPARATORS = re.compile(r"[\s_.\-]+")
_CLASSES = (
    (frozenset(string.ascii_lowercase), 26),
    (frozenset(string.ascii_uppercase), 26),
    (frozenset(string.digits), 10),
)
_OTHER = 33  # printable ASCII punctuation and space


def secret_key_problem(key: str) -> str | None:
    """Returns why ``key`` must not sign anything in production, or ``None`` when it may."""
    if key == DEVELOPMENT_SECRET_KEY:
        return "MOSAIC_SECRET_KEY must be set outside development"
    folded = _SEPARATORS.sub("", key.lower())
    for word in _PLACEHOLDERS:
        if word in folded:
            return (
                f"MOSAIC_SECRET_KEY looks like a placeholder (it contains {word!r}): "
                f"generate one with {GENERATE}"
            )
    advice = f"use at least {MIN_SECRET_KEY_LENGTH} random characters such as {GENERATE} prints"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"MOSAIC_SECRET_KEY is too weak ({len(key)} characters): {advice}"
    bits = estimated_bits(key)
    if len(set(key)) < 8 or bits < MIN_SECRET_KEY_BITS:
        return (
            f"MOSAIC_SECRET_KEY is too weak (about {bits} bits counting its character classes "
            f"and repeats, {MIN_SECRET_KEY_BITS} needed): {advice}"
        )
    return None


def estimated_bits(key: str) -> int:
    """Returns the bits ``key`` could hold at most, judged by its character classes and repeats."""
    if not key:
        return 0
    alphabet = sum(size for chars, size in _CLASSES if chars.intersection(key))
    if any(not any(char in chars for chars, _ in _CLASSES) for char in key):
        alphabet += _OTHER
    unit = key[: _period(key)]
    # A pair of like characters happens by chance (a random hex key has two); a third is a run.
    fresh = sum(1 for i, char in enumerate(unit) if i < 2 or not char == unit[i - 1] == unit[i - 2])
    return int(fresh * math.log2(alphabet)) if alphabet > 1 else 0


def _period(text: str) -> int:
    """The length of the shortest unit whose repetition spells ``text`` ("abcab" → 3)."""
    # The prefix function of Knuth-Morris-Pratt: the longest proper prefix that is also a suffix.
    border = [0] * len(text)
    for index in range(1, len(text)):
        length = border[index - 1]
        while length and text[index] != text[length]:
            length = border[length - 1]
        if text[index] == text[length]:
            length += 1
        border[index] = length
    return len(text) - border[-1]
