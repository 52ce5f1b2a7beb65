"""Request heads are bounded by ``mosaic serve``.

The attack: a 100 MB header was answered after 13.6 s of CPU, and four at once took a worker
from 113 to 584 MB. Now a head past ``MOSAIC_MAX_HEADER_SIZE`` or ``MOSAIC_MAX_HEADERS`` gets
431 and the connection is closed, before the application runs, and the server serves on.
"""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from core.config.settings import Settings
from tests.attacks.server import Server, serving

LIMITS = Settings()
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("heads"), "[modules]\nenabled = []\n", {}) as server:
        yield server


def exchange(server: Server, head: bytes, body: bytes = b"") -> tuple[bytes, float]:
    """Sends a request on a new connection; returns what came back and how long it took.

    The server may close the connection before reading all that was sent: the answer it had
    written can then be lost to the reset, so an empty answer counts as a refusal too.
    """
    started = time.monotonic()
    answer = b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        try:
            sock.sendall(head + body)
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionError:
            pass
    return answer, time.monotonic() - started


def request(*headers: bytes, method: bytes = b"GET", close: bool = True) -> bytes:
    lines = [method + b" /health/live HTTP/1.1", b"Host: 127.0.0.1", *headers]
    if close:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n"


def assert_refused(answer: bytes, seconds: float) -> None:
    assert answer == b"" or answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert seconds < 2


def assert_still_serving(server: Server) -> None:
    assert httpx.get(f"{server.base}/health/live", timeout=5).status_code == 200


def test_a_one_megabyte_header_is_refused_at_once(server):
    answer, seconds = exchange(server, request(b"X-Padding: " + b"a" * MIB))

    assert_refused(answer, seconds)
    assert_still_serving(server)


def test_a_head_just_past_the_limit_is_refused_with_431(server):
    answer, seconds = exchange(server, request(b"X-Padding: " + b"a" * LIMITS.max_header_size))

    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert answer.endswith(b"larger than %d bytes." % LIMITS.max_header_size)
    assert b"connection: close" in answer
    assert seconds < 2
    assert_still_serving(server)


def test_too_many_headers_are_refused(server):
    headers = [b"X-H%d: 1" % n for n in range(LIMITS.max_headers + 1)]

    answer, seconds = exchange(server, request(*headers))

    assert answer.startswith(b"HTTP/1.1 431 ")
    assert answer.endswith(b"More than %d headers." % LIMITS.max_headers)
    assert seconds < 2
    assert_still_serving(server)


def test_a_head_sent_in_pieces_is_counted_across_them(server):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ")
        answer = b""
        try:
            for _ in range(4 * LIMITS.max_header_size // 1024):
                sock.sendall(b"a" * 1024)
                time.sleep(0.001)
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionError:
            pass

    assert_refused(answer, time.monotonic() - started)
    assert_still_serving(server)


def test_a_head_within_the_limits_is_served(server):
    padding = b"X-Padding: " + b"a" * (LIMITS.max_header_size - 200)
    headers = [b"X-H%d: 1" % n for n in range(LIMITS.max_headers - 3)]

    for head in (request(padding), request(*headers)):
        answer, _ = exchange(server, head)
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]


def test_a_large_body_read_with_its_head_is_not_counted_as_head(server):
    # Head and body leave in one write and may arrive in one read; only the head is bounded.
    body = b"b" * (4 * LIMITS.max_header_size)
    head = request(b"Content-Length: %d" % len(body), method=b"POST", close=False)

    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + body)
        # The connection stays open (the body was read to its end): read the status line only.
        answer = b""
        while b"\r\n" not in answer and (chunk := sock.recv(65536)):
            answer += chunk

    assert answer.startswith(b"HTTP/1.1 405 "), answer[:200]
