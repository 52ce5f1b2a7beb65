"""The results as markdown: written to ``bench/RESULTS.md`` and printed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median, quantiles

from bench.applications import BARE, KERNEL, LIMIT_ONLY, TARGETS
from bench.config import PRODUCTS, STATEMENT_PAGE_SIZES, Profile
from bench.cpu import median_ratio
from bench.machine import Machine
from bench.matrix import Figure
from bench.noise import DISTURBED, RetryBudget
from bench.startup import Startup
from bench.statements import StatementCounts

MAX_OVERHEAD = 0.10
MAX_STARTUP_S = 2.0
RERUN = ".venv/bin/python bench/run.py"


@dataclass(frozen=True, slots=True)
class Results:
    """Everything one run measured."""

    machine: Machine
    profile: Profile
    figures: Sequence[Figure]
    statements: Sequence[StatementCounts]
    startup: tuple[Startup, Startup]
    hash_ms: float
    retries: RetryBudget
    load_after: tuple[float, float, float]
    reference_after_ms: float
    minutes: float

    def kernel_vs_bare(self) -> list[tuple[Figure, Figure]]:
        """The kernel's product list and the bare app's, per database and worker count."""
        bare = {(f.database, f.workers): f for f in self.figures if f.target == BARE}
        return [
            (f, bare[f.database, f.workers])
            for f in self.figures
            if f.target == KERNEL and f.scenario == "list"
        ]


def render(results: Results) -> str:
    """Returns the whole report."""
    return "\n".join(
        [
            "# Benchmark results",
            "",
            *_machine(results),
            "",
            *_load_table(results.figures),
            "",
            *_login_note(results.hash_ms),
            "",
            *_comparison(results),
            "",
            *_statements(results.statements),
            "",
            *_startup(results.startup),
            "",
            *_noise(results),
            "",
        ]
    )


def _machine(results: Results) -> list[str]:
    m = results.machine
    versions = ", ".join(f"{name} {value}" for name, value in m.packages.items())
    return [
        f"- Date: {m.date}; whole run {results.minutes:.1f} min (`{_command(results.profile)}`)",
        f"- Machine: {m.cpus} CPUs (`nproc`), {m.cpu_model}; server, database and wrk share them",
        f"- Python {m.python}; {versions}",
        f"- Code measured: SHA-256 of `core/` and `modules/` sources `{m.source_digest}` "
        "(`bench.machine.source_digest`)",
        f"- Load: {results.profile.wrk_label()}; loopback; {PRODUCTS:,} products seeded",
        "- Server: `mosaic serve --workers N`, `MOSAIC_ENV=production`, "
        "`MOSAIC_LOG_LEVEL=WARNING`, metrics on (`GET /metrics`), no Redis",
    ]


def _command(profile: Profile) -> str:
    return RERUN + (" --quick" if profile.name == "quick" else "")


def _load_table(figures: Sequence[Figure]) -> list[str]:
    lines = [
        "## Throughput and latency (the kernel: `mosaic serve`)",
        "",
        "| scenario | database | workers | req/s | p50 ms | p99 ms | spread of req/s "
        "| other work |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    order = {"list": 0, "by_id": 1, "me": 2, "login": 3}
    kernel = [f for f in figures if f.target == KERNEL]
    for f in sorted(kernel, key=lambda f: (order[f.scenario], f.database, f.workers)):
        lines.append(
            f"| {f.label} | {f.database} | {f.workers} | {f.rps:,.0f} | {f.p50_ms:.1f} | "
            f"{f.p99_ms:.1f} | {f.spread_pct:.0f}% | {f.other_pct:.0f}% |"
        )
    return lines


def _login_note(hash_ms: float) -> list[str]:
    return [
        f"Login is slow by design: one argon2id verification (the users module's defaults: "
        f"64 MiB, 3 passes, 4 lanes) takes {hash_ms:.0f} ms here, measured alone; every login "
        "also opens a session (one INSERT). The throttle counts failures only, and every "
        "benchmarked login succeeds.",
    ]


def _comparison(results: Results) -> list[str]:
    lines = [
        "## Kernel against the bare FastAPI + SQLAlchemy app (product list, page of 50)",
        "",
        "Target: the kernel costs at most 10% (req/s ratio at least 0.90). The req/s columns "
        "are means over the runs; the req/s ratio is the median of the pairs' ratios (each pair: "
        "a run of the kernel and a run of the bare app, one right after the other).",
        "",
        "| database | workers | kernel req/s | bare req/s | req/s ratio | ratio of each pair "
        "| kernel p50 ms | bare p50 ms | p50 ratio | within 10% | other work |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---|---:|",
    ]
    for kernel, bare in results.kernel_vs_bare():
        pairs = run_ratios(kernel, bare)
        ratio = median(pairs)
        each = ", ".join(f"{r:.2f}" for r in pairs)
        lines.append(
            f"| {kernel.database} | {kernel.workers} | {kernel.rps:,.0f} | {bare.rps:,.0f} | "
            f"{ratio:.2f} | {each} | {kernel.p50_ms:.1f} | {bare.p50_ms:.1f} | "
            f"{kernel.p50_ms / bare.p50_ms:.2f} | {'yes' if ratio >= 1 - MAX_OVERHEAD else 'no'} | "
            f"{(kernel.other_pct + bare.other_pct) / 2:.0f}% |"
        )
    lines += [
        "",
        "The same page, in-process: CPU time the application spends per request, one request "
        "at a time (medians over rounds alternating the applications; a ratio is the median of "
        "the rounds' ratios). It moves less with the machine's other work than req/s does. The "
        "last two columns compare the kernel with the bare app stripped down to `limit`, the "
        "only parameter this request sends: the difference is what FastAPI spends on the nine "
        "other parameters the product list declares, which the bare app declares too.",
        "",
        "| database | kernel CPU ms | bare CPU ms | kernel extra | bare/kernel (req/s bound) "
        "| rounds' ratios, middle half | within 10% | bare, `limit` only, CPU ms "
        "| kernel extra over it |",
        "|---|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for c in results.statements:
        kernel_ms, bare_ms = median(c.cpu_ms[KERNEL]), median(c.cpu_ms[BARE])
        limit_only_ms = median(c.cpu_ms[LIMIT_ONLY])
        bound = median_ratio(c.cpu_ms[BARE], c.cpu_ms[KERNEL])
        low, high = cpu_ratio_quartiles(c)
        lines.append(
            f"| {c.database} | {kernel_ms:.2f} | {bare_ms:.2f} | "
            f"{(kernel_ms - bare_ms) / bare_ms * 100:+.0f}% | {bound:.2f} | "
            f"{low:.2f} to {high:.2f} | {'yes' if bound >= 1 - MAX_OVERHEAD else 'no'} | "
            f"{limit_only_ms:.2f} | {(kernel_ms - limit_only_ms) / limit_only_ms * 100:+.0f}% |"
        )
    return [*lines, "", *_instructions(results.statements)]


def _instructions(counts: Sequence[StatementCounts]) -> list[str]:
    if not any(c.instructions for c in counts):
        return ["Instructions per request: not counted (valgrind is not installed)."]
    lines = [
        "The same page, in CPU instructions per request (valgrind's callgrind, in-process, the "
        "measured requests only; `bench/instructions.py`). The count is the same on a busy "
        "machine as on an idle one, so this ratio does not move with the machine's load.",
        "",
        "| database | kernel M instr. | bare M instr. | kernel extra | bare/kernel | within 10% "
        "| bare, `limit` only, M instr. | kernel extra over it |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for c in counts:
        kernel, bare, limit_only = (c.instructions[t] for t in TARGETS)
        lines.append(
            f"| {c.database} | {kernel / 1e6:.2f} | {bare / 1e6:.2f} | "
            f"{(kernel - bare) / bare * 100:+.1f}% | {bare / kernel:.3f} | "
            f"{'yes' if bare / kernel >= 1 - MAX_OVERHEAD else 'no'} | {limit_only / 1e6:.2f} | "
            f"{(kernel - limit_only) / limit_only * 100:+.1f}% |"
        )
    return lines


def run_ratios(kernel: Figure, bare: Figure) -> list[float]:
    """Kernel req/s over bare req/s for each pair of runs made one right after the other."""
    return [k.rps / b.rps for k, b in zip(kernel.samples, bare.samples, strict=True)]


def cpu_ratio_quartiles(counts: StatementCounts) -> tuple[float, float]:
    """The first and third quartiles of the rounds' bare/kernel CPU ratios."""
    ratios = [b / k for b, k in zip(counts.cpu_ms[BARE], counts.cpu_ms[KERNEL], strict=True)]
    if len(ratios) < 2:
        return ratios[0], ratios[0]
    low, _, high = quantiles(ratios, n=4)
    return low, high


def _statements(counts: Sequence[StatementCounts]) -> list[str]:
    sizes = " | ".join(f"limit={size}" for size in STATEMENT_PAGE_SIZES)
    lines = [
        "## SQL statements per request (in-process, `core.testing.statements`)",
        "",
        "Target: the product list costs the same number of statements whatever the page size.",
        "",
        f"| database | {sizes} | constant | bare app, same sizes | same SQL as bare "
        "| by id | `/users/me` | login |",
        "|---|" + "---:|" * len(STATEMENT_PAGE_SIZES) + "---|---|---|---:|---:|---:|",
    ]
    for c in counts:
        kernel = " | ".join(str(c.kernel_list[size]) for size in STATEMENT_PAGE_SIZES)
        bare = ", ".join(str(c.bare_list[size]) for size in STATEMENT_PAGE_SIZES)
        lines.append(
            f"| {c.database} | {kernel} | {'yes' if c.constant else 'no'} | {bare} | "
            f"{'yes' if c.same_sql else 'no'} | {c.others['by_id']} | {c.others['me']} | "
            f"{c.others['login']} |"
        )
    return lines


def _startup(startup: tuple[Startup, Startup]) -> list[str]:
    runs = startup[0].runs
    lines = [
        f"## Startup (median of {runs} fresh interpreters)",
        "",
        "Target: under 2 s with 50 generated modules enabled (import + load + build).",
        "",
        "| modules enabled | API paths | import + load + build s | first OpenAPI s "
        "| whole process s | under 2 s | CPU ms per `GET /health/live` |",
        "|---:|---:|---:|---:|---:|---|---:|",
    ]
    for s in startup:
        holds = "yes" if s.load_build_s < MAX_STARTUP_S else "no"
        lines.append(
            f"| {s.modules} | {s.paths} | {s.load_build_s:.2f} | {s.openapi_s:.2f} | "
            f"{s.process_s:.2f} | {holds} | {s.health_cpu_ms:.2f} |"
        )
    lines += [
        "",
        "The last column is the CPU time of the smallest request (no database, no dependency), "
        "in-process. The health routes are included after every module's routes, and routing "
        "tries the routes in order, so this request pays for every enabled module ahead of it.",
    ]
    return lines


def _noise(results: Results) -> list[str]:
    spreads = [f.spread_pct for f in results.figures]
    others = sorted(s.other_cpu * 100 for f in results.figures for s in f.samples)
    before = ", ".join(f"{v:.2f}" for v in results.machine.load_before)
    after = ", ".join(f"{v:.2f}" for v in results.load_after)
    worst = max(spreads) if spreads else 0.0
    typical = sorted(spreads)[len(spreads) // 2] if spreads else 0.0
    ratios = [r for k, b in results.kernel_vs_bare() for r in run_ratios(k, b)]
    return [
        "## Noise",
        "",
        f"- Load average (1, 5, 15 min) before the run: {before}; after: {after}.",
        "- Speed of the machine: a fixed pure-Python loop (`bench.machine.reference_ms`) took "
        f"{results.machine.reference_before_ms:.1f} ms before the run and "
        f"{results.reference_after_ms:.1f} ms after it. Compare it with other runs before "
        "comparing their absolute figures (req/s, latencies, startup times): on this kind of "
        "virtual machine it moves by tens of percent from one hour to the next. Ratios measured "
        "within a run, and instruction counts, do not depend on it.",
        "- Other work (processes outside the benchmark, read from `/proc`; a lower bound) used "
        f"a median of {others[len(others) // 2] if others else 0:.0f}% and at most "
        f"{others[-1] if others else 0:.0f}% of the CPUs during the wrk runs (column "
        f'"other work"). A run disturbed by more than {DISTURBED:.0%} is measured again once '
        f"the machine is quiet: {results.retries.used} run(s) were, and "
        f"{sum(share > DISTURBED * 100 for share in others)} kept more than {DISTURBED:.0%} "
        "when the retries ran out.",
        f"- Each figure is the mean of {results.profile.repeats} wrk run(s) "
        f"({results.profile.list_pairs} for the product list); the spread column is "
        f"(max - min) / mean of their req/s: median {typical:.0f}%, worst {worst:.0f}%.",
        "- The kernel and the bare app run at the same time and are measured in pairs of runs, "
        "one right after the other, in alternating order (kernel first, then bare first), so a "
        "load change on the machine shifts both sides of a ratio alike. Before each run the "
        "servers are left to finish what the previous run queued.",
        "- wrk shares the CPUs with the server (and PostgreSQL); latencies are as wrk sees them "
        "(not corrected for coordinated omission).",
        f"- How far to trust the figures: a throughput is good to about ±{typical / 2:.0f}% "
        f"(half the median spread), and some are off by up to ±{worst / 2:.0f}%. The kernel/bare "
        f"req/s ratios of single pairs range from {min(ratios, default=0):.2f} to "
        f"{max(ratios, default=0):.2f}, hence the median. The in-process CPU ratios are "
        "steadier: see the middle half of their rounds above. Latency percentiles move more "
        f"than throughput: a p99 is the slowest 1% of one run's requests ("
        f"{results.profile.duration_s} s; {results.profile.list_duration_s} s for the product "
        "list), which is only a handful for the product list and for login.",
    ]
