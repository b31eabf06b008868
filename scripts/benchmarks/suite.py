"""
Every yarnemu benchmark, each in its own subprocess with ``--json``, printed as one table (figure,
value, same-run reference, ratio), the scaling curve, and the issue's targets, each met or not with
the measured figure.  Benchmarks print; they assert nothing (the exit status is 0 even when a
target is not met; it is 1 only when a benchmark could not run).

What runs (the default, full sizes):

- ``heartbeat``: 10,000 idle NodeManagers for one virtual hour, beside a bare heap clock;
- ``allocation``: 10,000 nodes, 1,000 applications × 100 containers, beside a greedy allocator;
- ``flink-churn``: 1,000 per-job Flink clusters over one virtual hour on 1,000 nodes;
- ``service``: the RM REST API with 10,000 applications, beside a bare twisted.web resource;
- ``scaling``: heartbeat and allocation at 1,000, 10,000 and 50,000 nodes (the 10,000-node runs
  above are reused, not run twice).

``--quick`` runs everything at small sizes (a smoke run of a minute or two: its figures say
nothing about the targets); ``--only NAME`` runs one benchmark; ``--plot FILE.png`` draws the
scaling curve.

Usage: python scripts/benchmarks/suite.py [--quick] [--only NAME] [--plot FILE.png]
"""

import argparse
import subprocess
import sys
import time

from scaling_curve import (
    Point,
    apps_for,
    render_curve,
    run_allocation,
    run_benchmark,
    run_heartbeat,
    write_plot,
)

__all__ = ["main", "BENCHMARKS"]

BENCHMARKS = ("heartbeat", "allocation", "flink-churn", "service", "scaling")

# Sizes: the issue's, and a quick smoke run's.
FULL = {
    "heartbeat": {"nodes": 10000, "seconds": 3600},
    "allocation": {"nodes": 10000, "apps": 1000, "containers": 100},
    "flink-churn": ["--clusters", "1000", "--nodes", "1000", "--hours", "1"],
    "service": ["--apps", "10000"],
    "scaling": [1000, 10000, 50000],
}
QUICK = {
    "heartbeat": {"nodes": 1000, "seconds": 300},
    "allocation": {"nodes": 1000, "apps": 100, "containers": 100},
    "flink-churn": ["--clusters", "20", "--nodes", "100", "--hours", "0.1"],
    "service": ["--apps", "200", "--requests", "200", "--clients", "4"],
    "scaling": [200, 1000, 2000],
}
TIMEOUT_SECONDS = 900
MEGABYTE = 2**20


class Suite:
    """Runs the benchmarks and keeps their tables, or why each did not run."""

    def __init__(self, sizes, progress):
        self.sizes = sizes
        self.progress = progress
        self.tables = {}  # benchmark name → (title, Table)
        self.not_run = {}  # benchmark name → reason
        self.points = []
        self.started = time.perf_counter()

    def say(self, text):
        self.progress.write(f"[{time.perf_counter() - self.started:7.1f} s] {text}\n")
        self.progress.flush()

    def attempt(self, name, title, run):
        self.say(f"{name}: {title}")
        try:
            table = run()
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
            reason = str(error).strip().splitlines()
            self.not_run[name] = reason[-1] if reason else type(error).__name__
            self.say(f"{name}: not run: {self.not_run[name]}")
            return None
        self.tables[name] = (title, table)
        return table

    def heartbeat(self):
        size = self.sizes["heartbeat"]
        return self.attempt(
            "heartbeat",
            f"{size['nodes']:,} idle NodeManagers x {size['seconds']:,} virtual s, 1 s heartbeats "
            f"(reference: a bare heap clock firing the same events)",
            lambda: run_heartbeat(size["nodes"], size["seconds"], reference=True,
                                  timeout=TIMEOUT_SECONDS),
        )

    def allocation(self):
        size = self.sizes["allocation"]
        return self.attempt(
            "allocation",
            f"{size['nodes']:,} nodes, {size['apps']:,} apps x {size['containers']:,} containers "
            f"(reference: a greedy allocator on a bare heap clock, same heartbeats)",
            lambda: run_allocation(size["nodes"], size["apps"], size["containers"],
                                   reference=True, timeout=TIMEOUT_SECONDS),
        )

    def flink_churn(self):
        arguments = self.sizes["flink-churn"]
        return self.attempt(
            "flink-churn", f"per-job Flink clusters ({' '.join(arguments)})",
            lambda: run_benchmark("flink_churn.py", arguments, TIMEOUT_SECONDS),
        )

    def service(self):
        arguments = self.sizes["service"]
        return self.attempt(
            "service", f"RM REST API under load ({' '.join(arguments)})",
            lambda: run_benchmark("rest_service.py", arguments, TIMEOUT_SECONDS),
        )

    def scaling(self):
        seconds = self.sizes["heartbeat"]["seconds"]
        reused_heartbeat = self._reusable("heartbeat")
        reused_allocation = self._reusable("allocation")
        for nodes in sorted(self.sizes["scaling"]):
            point = Point(nodes, seconds)
            if reused_heartbeat and reused_heartbeat[0] == nodes:
                point.heartbeat = reused_heartbeat[1]
            else:
                point.heartbeat = self._point_run(point, "heartbeat", nodes, lambda: run_heartbeat(
                    nodes, seconds, timeout=TIMEOUT_SECONDS))
            if reused_allocation and reused_allocation[0] == nodes:
                point.allocation = reused_allocation[1]
            else:
                point.allocation = self._point_run(point, "allocation", nodes, lambda: run_allocation(
                    nodes, apps_for(nodes), timeout=TIMEOUT_SECONDS))
            self.points.append(point)

    def _reusable(self, name):
        """:return: ``(nodes, table)`` of a run the curve can reuse, or ``None``."""
        if name not in self.tables:
            return None
        size = self.sizes[name]
        if name == "allocation" and size["apps"] != apps_for(size["nodes"]):
            return None
        return size["nodes"], self.tables[name][1]

    def _point_run(self, point, name, nodes, run):
        self.say(f"scaling: {name} at {nodes:,} nodes")
        try:
            return run()
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
            reason = str(error).strip().splitlines()
            point.errors.append(f"{name}: {reason[-1] if reason else type(error).__name__}")
            self.say(f"scaling: {name} at {nodes:,} nodes not run: {point.errors[-1]}")
            return None

    @property
    def elapsed(self):
        return time.perf_counter() - self.started


def render_table(suite):
    """:return: the one table of every benchmark that ran (and a line for each that did not)."""
    heading = f"  {'figure':<44} {'value':>16} {'reference':>16} {'ratio':>8}"
    lines = ["yarnemu benchmarks: figure, value, the same run's reference, ratio", "", heading,
             "  " + "-" * (len(heading) - 2)]
    for name in BENCHMARKS:
        if name == "scaling":
            continue
        if name in suite.tables:
            title, table = suite.tables[name]
            lines.append(f"  [{name}] {title}")
            lines.append(table.render(header=False))
        elif name in suite.not_run:
            lines.append(f"  [{name}] not run: {suite.not_run[name]}")
    return "\n".join(lines)


def _figure(table, name, column=1):
    if table is None:
        return None
    for row in table.rows:
        if row[0] == name or (name.endswith("*") and row[0].startswith(name[:-1])):
            return row[column]
    return None


def targets(suite, quick):
    """:return: ``(target, verdict, measured)`` for each target of the issue."""
    heartbeat = suite.tables.get("heartbeat", (None, None))[1]
    allocation = suite.tables.get("allocation", (None, None))[1]
    churn = suite.tables.get("flink-churn", (None, None))[1]
    largest = max(suite.points, key=lambda p: p.nodes) if suite.points else None
    results = []

    def judge(target, value, ok, shown, missing="not measured"):
        if value is None:
            results.append((target, "-", missing))
        else:
            results.append((target, "met" if ok(value) else "NOT met", shown(value)))

    wall = _figure(heartbeat, "wall seconds")
    judge("heartbeat: 10,000 nodes x 1 h in <= 30 s wall", wall, lambda v: v <= 30,
          lambda v: f"{v:.1f} s")
    speed = _figure(heartbeat, "virtual seconds per wall second")
    judge("heartbeat: >= 120x real time", speed, lambda v: v >= 120, lambda v: f"{v:,.0f}x")
    reference = _figure(heartbeat, "wall seconds", column=2)
    ratio = wall / reference if wall is not None and reference else None
    judge("heartbeat: <= 1.5x the bare heap clock", ratio, lambda v: v <= 1.5,
          lambda v: f"{v:.2f}x ({wall:.1f} s vs {reference:.1f} s)")
    peak = largest.figure("heartbeat", "peak RSS") if largest else None
    running = largest.figure("heartbeat", "nodes RUNNING at the end") if largest else None
    largest_wall = largest.figure("heartbeat", "wall seconds") if largest else None
    judge(f"heartbeat: {largest.nodes if largest else 50000:,} nodes run at all in <= 2 GB",
          peak, lambda v: v * MEGABYTE <= 2 * 2**30 and running == largest.nodes,
          lambda v: f"peak RSS {v:,.0f} MB, {running or 0:,} nodes RUNNING after "
                    f"{largest.seconds:,} virtual s in {largest_wall or 0:.0f} s wall")
    rate = _figure(allocation, "containers allocated per wall second")
    judge("allocation: >= 20,000 containers allocated per wall s", rate, lambda v: v >= 20000,
          lambda v: f"{v:,.0f}/s ({_figure(allocation, 'containers allocated'):,} in "
                    f"{_figure(allocation, 'wall seconds until all allocated'):.2f} s)")
    span = _figure(churn, "wall seconds for the*")
    judge("flink churn: the virtual hour in <= 60 s wall", span, lambda v: v <= 60,
          lambda v: f"{v:.1f} s", missing=suite.not_run.get("flink-churn", "not measured"))
    results.append(("service: requests/s and p99 beside a bare resource", "-",
                    "no numeric target in the issue; see the table"
                    if "service" in suite.tables else suite.not_run.get("service", "not run")))
    judge("scripts/bench in < 10 minutes on this machine", suite.elapsed, lambda v: v < 600,
          lambda v: f"{v:.0f} s")
    if quick:
        results = [(target, "-" if verdict != "-" else verdict,
                    f"{shown} (quick sizes: not judged)") for target, verdict, shown in results]
    return results


def render_targets(results):
    lines = ["Targets (issue 8)", ""]
    for target, verdict, shown in results:
        lines.append(f"  {target:<56} {verdict:>8}  {shown}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", choices=BENCHMARKS, help="run one benchmark")
    parser.add_argument("--plot", metavar="FILE.png", help="draw the scaling curve as a PNG")
    args = parser.parse_args(argv)
    suite = Suite(QUICK if args.quick else FULL, sys.stderr)
    chosen = [args.only] if args.only else list(BENCHMARKS)
    for name in chosen:
        getattr(suite, name.replace("-", "_"))()
    print(render_table(suite))
    if suite.points:
        print()
        print(render_curve(suite.points))
        if args.plot:
            try:
                write_plot(suite.points, args.plot)
                print(f"\n  plot written to {args.plot}")
            except ImportError as error:
                print(f"\n  no plot: {error} (pip install 'yarnemu[plot]')")
    print()
    print(render_targets(targets(suite, args.quick)))
    print(f"\n  {suite.elapsed:.0f} s wall for the whole run"
          f"{' (quick sizes)' if args.quick else ''}")
    failed = suite.not_run or any(point.errors for point in suite.points)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
