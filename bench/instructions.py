"""CPU instructions per request, counted by valgrind's callgrind.

Throughput and CPU time move with whatever else the machine does; the number of instructions a
request executes does not. Each application serves the product list in-process under callgrind
(``bench/instruction_probe.py``), counting only the measured requests, and the count is divided
by their number. It includes the test client's share, the same for every application (the
``client`` target counts it alone), so a ratio understates the difference. Skipped, and reported
so, where valgrind is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from bench.applications import TARGETS
from bench.config import PYTHON, ROOT

TIMEOUT_S = 900
_TOTALS = re.compile(rb"^totals:\s+(\d+)", re.MULTILINE)


def available() -> bool:
    """Whether valgrind is installed."""
    return shutil.which("valgrind") is not None


def per_request(
    url: str,
    path: str,
    env: Mapping[str, str],
    *,
    requests: int,
    targets: Sequence[str] = TARGETS,
    login: bool = False,
) -> dict[str, float]:
    """Returns the instructions per request of ``GET path`` for each of ``targets``, over the
    database at ``url`` (``login``: as the benchmark's administrator). The applications run at
    the same time, each in its own process."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise RuntimeError("valgrind is not installed")
    with tempfile.TemporaryDirectory(prefix="mosaic-callgrind-") as directory:
        outputs = {target: Path(directory) / f"{target}.out" for target in targets}
        running = {
            target: subprocess.Popen(  # noqa: S603 - valgrind and this package's probe
                [
                    valgrind,
                    "--tool=callgrind",
                    "--collect-atstart=no",
                    "--toggle-collect=*qsort_r",
                    f"--callgrind-out-file={outputs[target]}",
                    PYTHON,
                    "-m",
                    "bench.instruction_probe",
                    target,
                    url,
                    path,
                    str(requests),
                    *(["login"] if login else []),
                ],
                cwd=ROOT,
                env={**env, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for target in targets
        }
        counts: dict[str, float] = {}
        for target, process in running.items():
            _, errors = process.communicate(timeout=TIMEOUT_S)
            if process.returncode != 0:
                raise RuntimeError(f"the {target} probe failed: {errors.decode()[-3000:]}")
            found = _TOTALS.search(outputs[target].read_bytes())
            if found is None:
                raise RuntimeError(f"callgrind wrote no total for the {target} probe")
            counts[target] = int(found.group(1)) / requests
    return counts
