"""The load measurements of one database and worker count: the kernel and the bare app side by
side, each scenario warmed up; the product list measured in pairs of short runs of the kernel and
the bare app, then each other scenario of the kernel ``repeats`` times."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from bench import load
from bench.applications import BARE, KERNEL
from bench.config import ADMIN_EMAIL, ADMIN_PASSWORD, LIST_PAGE, Profile
from bench.databases import BenchDatabase
from bench.load import Sample, Scenario
from bench.noise import (
    DISTURBED,
    RetryBudget,
    foreign_cpu_seconds,
    foreign_share,
    wait_for_idle_servers,
    wait_for_quiet,
)
from bench.servers import Server, serving_target

QUIET_WAIT_S = 15
IDLE_WAIT_S = 10


@dataclass(frozen=True, slots=True)
class Figure:
    """One line of the results: a scenario served by a target, over ``runs`` wrk runs."""

    scenario: str
    label: str
    target: str
    database: str
    workers: int
    samples: tuple[Sample, ...]

    @property
    def rps(self) -> float:
        """Mean requests per second."""
        return statistics.fmean(s.rps for s in self.samples)

    @property
    def p50_ms(self) -> float:
        """Mean of the runs' median latencies."""
        return statistics.fmean(s.p50_ms for s in self.samples)

    @property
    def p99_ms(self) -> float:
        """Mean of the runs' 99th percentile latencies."""
        return statistics.fmean(s.p99_ms for s in self.samples)

    @property
    def other_pct(self) -> float:
        """Mean share of the CPUs that other work used during the runs, in percent."""
        return statistics.fmean(s.other_cpu for s in self.samples) * 100

    @property
    def spread_pct(self) -> float:
        """How far apart the runs' throughputs are: (max - min) / mean, in percent."""
        values = [s.rps for s in self.samples]
        return (max(values) - min(values)) / self.rps * 100


def measure(
    database: BenchDatabase,
    workers: int,
    *,
    env: Mapping[str, str],
    active_ids: Sequence[int],
    profile: Profile,
    workdir: Path,
    retries: RetryBudget,
) -> list[Figure]:
    """Serves ``database`` with ``workers`` workers (kernel and bare app) and measures both."""
    with ExitStack() as stack:
        kernel, bare = (
            stack.enter_context(
                serving_target(
                    target,
                    workers,
                    url=database.url,
                    env=env,
                    log=workdir / f"{target}-{database.label}-{workers}.log",
                )
            )
            for target in (KERNEL, BARE)
        )
        kernel.wait_ready()  # both start at once; each takes seconds to import
        bare.wait_ready()
        scenarios = [
            load.list_scenario(LIST_PAGE),
            load.by_id_scenario(active_ids),
            load.me_scenario(kernel.token()),
            load.login_scenario(ADMIN_EMAIL, ADMIN_PASSWORD),
        ]
        runs = _Runs(profile, workdir, retries)
        for scenario in scenarios:
            runs.warm_up(kernel, scenario)
        runs.warm_up(bare, scenarios[0])
        samples: dict[tuple[str, str], list[Sample]] = {}
        # The list in pairs, in the order kernel-bare, bare-kernel, ...: a drift of the
        # machine's speed during the pairs weighs on both sides alike.
        for pair in range(profile.list_pairs):
            order = [(KERNEL, kernel), (BARE, bare)]
            for target, server in order if pair % 2 == 0 else reversed(order):
                sample = runs.run(server, scenarios[0], profile.list_duration_s)
                samples.setdefault(("list", target), []).append(sample)
        for _ in range(profile.repeats):
            for scenario in scenarios[1:]:
                sample = runs.run(kernel, scenario, profile.duration_s)
                samples.setdefault((scenario.name, KERNEL), []).append(sample)
    labels = {scenario.name: scenario.label for scenario in scenarios}
    return [
        Figure(name, labels[name], target, database.label, workers, tuple(found))
        for (name, target), found in samples.items()
    ]


class _Runs:
    """wrk with the profile's options (fewer connections for logins, which only queue)."""

    def __init__(self, profile: Profile, workdir: Path, retries: RetryBudget) -> None:
        self.profile = profile
        self.workdir = workdir
        self.retries = retries

    def warm_up(self, server: Server, scenario: Scenario) -> None:
        self._wrk(server, scenario, self.profile.warmup_s)

    def run(self, server: Server, scenario: Scenario, seconds: int) -> Sample:
        """Measures once; again (within the budget) while other work disturbed the measure."""
        while True:
            wait_for_idle_servers(IDLE_WAIT_S)
            before, started = foreign_cpu_seconds(), time.monotonic()
            sample = self._wrk(server, scenario, seconds)
            other = foreign_share(before, foreign_cpu_seconds(), time.monotonic() - started)
            sample = replace(sample, other_cpu=other)
            print(
                f"  {scenario.name:<6} {server.base}: {sample.rps:8.1f} req/s  "
                f"p50 {sample.p50_ms:7.2f} ms  p99 {sample.p99_ms:7.2f} ms  "
                f"other work {other:4.0%}",
                file=sys.stderr,
                flush=True,
            )
            if other <= DISTURBED or not self.retries.take():
                return sample
            print("  disturbed: measuring again once the machine is quiet", file=sys.stderr)
            wait_for_quiet(QUIET_WAIT_S)

    def _wrk(self, server: Server, scenario: Scenario, seconds: int) -> Sample:
        login = scenario.name == "login"
        return load.run_wrk(
            server.base,
            scenario,
            workdir=self.workdir,
            threads=self.profile.threads,
            connections=self.profile.login_connections if login else self.profile.connections,
            seconds=seconds,
        )
