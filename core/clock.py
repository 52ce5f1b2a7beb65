"""The one clock every module and the kernel read: aware, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Returns the current time, in UTC (never naive)."""
    return datetime.now(UTC)
