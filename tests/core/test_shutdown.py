"""``mosaic serve`` stopped by SIGTERM finishes the requests in flight, then exits 0."""

import json
import signal
import subprocess
import threading
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.core.installed import MOSAIC, clean_environ, free_port, install_entry_points
from tests.dockerfile import serve_arguments

SLOW_SECONDS = 2.0


def in_progress(base):
    text = httpx.get(f"{base}/metrics", timeout=2).text
    for family in text_string_to_metric_families(text):
        if family.name == "mosaic_http_requests_in_progress":
            return family.samples[0].value
    return 0


def wait_until(condition, *, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def one_worker(port):
    return ["serve", "--port", str(port)]


def image_command(port):
    """The Docker image's ``CMD`` (two workers), bound to the loopback and a free port."""
    arguments = serve_arguments()
    arguments[arguments.index("--host") + 1] = "127.0.0.1"
    arguments[arguments.index("--port") + 1] = str(port)
    return arguments


@pytest.mark.parametrize("serve", [one_worker, image_command])
def test_sigterm_lets_the_request_in_flight_finish(tmp_path, serve):
    install_entry_points(tmp_path / "site", {"notes": "tests.fixture_modules.notes.plugin"})
    (tmp_path / "plugins.toml").write_text('[modules]\nenabled = ["notes"]\n')
    env = clean_environ(
        [tmp_path / "site"],
        {
            "MOSAIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/var/mosaic.db",
            "MOSAIC_LOG_FORMAT": "json",
            "MOSAIC_SHUTDOWN_TIMEOUT": "20",
        },
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = serve(port)
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen([*MOSAIC, *args], cwd=tmp_path, env=env, stdout=log, stderr=log)
    try:
        wait_until(
            lambda: httpx.get(f"{base}/health/live", timeout=1).status_code == 200,
            seconds=30,
            what="the server to start",
        )
        answers = []
        slow = threading.Thread(
            target=lambda: answers.append(
                httpx.get(f"{base}/api/v1/notes/slow?seconds={SLOW_SECONDS}", timeout=30)
            )
        )
        slow.start()
        # The scrape is one request in progress; the slow one makes two (whichever worker has it).
        wait_until(lambda: in_progress(base) >= 2, seconds=10, what="the slow request")

        server.send_signal(signal.SIGTERM)
        slow.join(timeout=30)
        returncode = server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    log.seek(0)
    output = log.read()

    assert returncode == 0, output
    [answer] = answers
    assert answer.status_code == 200
    assert answer.json() == {"seconds": SLOW_SECONDS}
    records = [json.loads(line) for line in output.splitlines() if line.strip()]
    [slow_line] = [r for r in records if r.get("path") == "/api/v1/notes/slow"]
    assert (slow_line["route"], slow_line["status"]) == ("/api/v1/notes/slow", 200)
    loggers = {record["logger"] for record in records}
    assert "uvicorn.error" in loggers, "uvicorn's own lines are not routed through ours"
    assert "uvicorn.access" not in loggers
