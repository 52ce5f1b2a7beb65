"""Serves ``GET path`` in-process under callgrind, counting only the requests measured.

Run by ``bench/instructions.py`` as::

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*qsort_r' \\
        python -m bench.instruction_probe TARGET URL PATH REQUESTS [login]

TARGET is kernel, bare, limit-only, floor, or client (``bench.in_process.fixed_answer``: the
in-process client's own share of each count).

Callgrind counts nothing until the program enters the C library's ``qsort_r``, and stops when it
leaves it. The probe starts the application and warms it up first, then sorts a two-element array
with a comparison function written in Python: that function serves the measured requests, so the
count holds them and nothing else (no interpreter startup, imports or warm-up). ``qsort`` rather
than an interpreter function because the C library always exports it, whatever the build of
Python. With ``login``, the probe signs in as the benchmark's administrator during the warm-up and
sends the bearer token with every request (``/users/me``).

The kernel's event dispatcher and job runner are off: they poll the database on a timer, so
under callgrind, fifty times slower than usual, they would add a share of their polls to every
request that depends on the slowdown, not on the request.
"""

from __future__ import annotations

import os
import sys

import httpx

from bench.applications import application
from bench.config import ADMIN_EMAIL, ADMIN_PASSWORD
from bench.in_process import CLIENT, fixed_answer, serve_measured

# Work on a timer, not per request: see the module's docstring.
TIMED_WORK_OFF = {"MOSAIC_EVENTS_DISPATCH": "false", "MOSAIC_JOBS_ENABLED": "false"}


def main(target: str, url: str, path: str, requests: int, *, login: bool = False) -> None:
    """Serves ``requests`` requests of ``GET path`` inside ``qsort``, after a warm-up; with
    ``login``, as the benchmark's administrator."""
    os.environ.update(TIMED_WORK_OFF)
    serve_measured(
        (lambda: fixed_answer)
        if target == CLIENT
        else lambda: application(target, url, os.environ),
        path,
        requests,
        prepare=_sign_in if login else None,
    )


async def _sign_in(client: httpx.AsyncClient) -> None:
    form = {"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    token = (await client.post("/api/v1/auth/token", data=form)).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), login=sys.argv[5:] == ["login"])
