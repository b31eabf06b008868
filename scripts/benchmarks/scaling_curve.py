"""
Scaling curve: heartbeat scale and allocation throughput at several cluster sizes, one line per
size, so that the growth with the number of nodes (linear or worse) is visible; ``--plot`` also
draws it as a PNG.

Each benchmark runs once per size in a fresh subprocess (``heartbeat_scale.py`` and
``allocation_throughput.py`` with ``--json --no-reference``), so that the peak RSS printed is that
size's own.  Allocation keeps the cluster equally full at every size: ``nodes / 10`` applications
of 100 containers, ten 1024 MB containers per 16 GB node (10,000 nodes: the issue's 1,000
applications × 100).

"Growth" is the per-node cost relative to the smallest size: heartbeat wall seconds per node, and
allocation wall seconds per container, each divided by the same figure at the smallest size.  1.0
at every size is linear growth; above 1.0 is worse than linear.

Usage: python scripts/benchmarks/scaling_curve.py [--sizes 1000,10000,50000] [--seconds 3600]
       [--plot FILE.png] [--json]
"""

import argparse
import json
import os
import subprocess
import sys

from measure import Table

__all__ = ["Point", "run_heartbeat", "run_allocation", "apps_for", "render_curve", "write_plot",
           "CONTAINERS_PER_APP"]

HERE = os.path.dirname(os.path.abspath(__file__))
CONTAINERS_PER_APP = 100
NODES_PER_APP = 10


def apps_for(nodes):
    """:return: how many applications the allocation run has at ``nodes`` nodes (ten containers
    per node)."""
    return max(1, nodes // NODES_PER_APP)


def run_benchmark(script, arguments, timeout=None):
    """
    Run ``script`` (a benchmark next to this one) with ``--json`` in a fresh interpreter.

    :return: its :class:`Table` of rows.
    :raise RuntimeError: with the benchmark's error output if it fails or prints no rows.
    """
    command = [sys.executable, os.path.join(HERE, script), *arguments, "--json"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE, timeout=timeout)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{script} {' '.join(arguments)} failed (exit {done.returncode}): "
                           f"{done.stderr.strip()[-2000:]}")
    return Table.from_json(script, lines[-1])


class Point:
    """
    One size's figures.

    :ivar heartbeat: the heartbeat benchmark's :class:`Table`, or ``None`` when it did not run.
    :ivar allocation: the allocation benchmark's :class:`Table`, or ``None``.
    :ivar errors: what failed, as text.
    """

    def __init__(self, nodes, seconds, heartbeat=None, allocation=None):
        self.nodes = nodes
        self.seconds = seconds
        self.heartbeat = heartbeat
        self.allocation = allocation
        self.errors = []

    def figure(self, which, name):
        table = getattr(self, which)
        if table is None:
            return None
        try:
            return table.value(name)
        except KeyError:
            return None

    def to_dict(self):
        return {
            "nodes": self.nodes, "seconds": self.seconds,
            "heartbeat": json.loads(self.heartbeat.to_json()) if self.heartbeat else None,
            "allocation": json.loads(self.allocation.to_json()) if self.allocation else None,
            "errors": self.errors,
        }


def run_heartbeat(nodes, seconds, reference=False, timeout=None):
    """:return: the heartbeat benchmark's :class:`Table` for ``nodes`` over ``seconds``."""
    arguments = ["--nodes", str(nodes), "--seconds", str(seconds)]
    if not reference:
        arguments.append("--no-reference")
    return run_benchmark("heartbeat_scale.py", arguments, timeout)


def run_allocation(nodes, apps=None, containers=CONTAINERS_PER_APP, reference=False, timeout=None):
    """:return: the allocation benchmark's :class:`Table` (``apps`` default: :func:`apps_for`)."""
    arguments = ["--nodes", str(nodes), "--apps", str(apps or apps_for(nodes)),
                 "--containers", str(containers)]
    if not reference:
        arguments.append("--no-reference")
    return run_benchmark("allocation_throughput.py", arguments, timeout)


def measure(sizes, seconds, timeout=None):
    """Run both benchmarks at each size; :return: the :class:`Point` values, smallest first."""
    points = []
    for nodes in sorted(sizes):
        point = Point(nodes, seconds)
        try:
            point.heartbeat = run_heartbeat(nodes, seconds, timeout=timeout)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            point.errors.append(f"heartbeat: {error}")
        try:
            point.allocation = run_allocation(nodes, timeout=timeout)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            point.errors.append(f"allocation: {error}")
        points.append(point)
    return points


def _growth(points, cost):
    """:return: ``cost(point)`` of each point divided by the first point's, or ``None``."""
    base = next((cost(p) for p in points if cost(p) is not None), None)
    return [cost(p) / base if base and cost(p) is not None else None for p in points]


def _heartbeat_cost(point):
    wall = point.figure("heartbeat", "wall seconds")
    return wall / point.nodes if wall is not None else None


def _allocation_cost(point):
    wall = point.figure("allocation", "wall seconds until all allocated")
    count = point.figure("allocation", "containers allocated")
    return wall / count if wall is not None and count else None


def render_curve(points):
    """:return: the curve as text: a header and one line per size."""
    def cell(value, width, fmt):
        return f"{'-' if value is None else format(value, fmt):>{width}}"

    hb_growth = _growth(points, _heartbeat_cost)
    alloc_growth = _growth(points, _allocation_cost)
    span = points[0].seconds if points else 0
    lines = [
        f"Scaling curve: heartbeats of idle nodes for {span:,} virtual s; allocation of 10 "
        f"containers per node (nodes/10 apps x {CONTAINERS_PER_APP}); growth = per-node cost / "
        f"that of the smallest size",
        "",
        f"  {'nodes':>7} | {'hb wall s':>9} {'virt s/s':>8} {'beats/s':>10} {'B/node':>7} "
        f"{'RSS MB':>7} {'growth':>6} | {'containers':>10} {'alloc s':>8} {'cont/s':>8} "
        f"{'RSS MB':>7} {'growth':>6}",
        "  " + "-" * 113,
    ]
    for point, hb, alloc in zip(points, hb_growth, alloc_growth):
        f = point.figure
        lines.append(
            f"  {point.nodes:>7,} | {cell(f('heartbeat', 'wall seconds'), 9, ',.1f')} "
            f"{cell(f('heartbeat', 'virtual seconds per wall second'), 8, ',.0f')} "
            f"{cell(f('heartbeat', 'heartbeats per wall second'), 10, ',.0f')} "
            f"{cell(f('heartbeat', 'memory per node'), 7, ',.0f')} "
            f"{cell(f('heartbeat', 'peak RSS'), 7, ',.0f')} {cell(hb, 6, '.2f')} | "
            f"{cell(f('allocation', 'containers allocated'), 10, ',')} "
            f"{cell(f('allocation', 'wall seconds until all allocated'), 8, ',.2f')} "
            f"{cell(f('allocation', 'containers allocated per wall second'), 8, ',.0f')} "
            f"{cell(f('allocation', 'peak RSS'), 7, ',.0f')} {cell(alloc, 6, '.2f')}"
        )
        for error in point.errors:
            lines.append(f"  {'':>7} | not run: {error.splitlines()[0][:200]}")
    return "\n".join(lines)


def write_plot(points, path):
    """
    Write a PNG of the curve to ``path``: heartbeat wall seconds and allocation wall seconds
    against nodes (log-log), each beside the line of linear growth from the smallest size.
    matplotlib (``pip install 'yarnemu[plot]'``) is imported only here, with its Agg canvas.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, LogLocator

    figure = Figure(figsize=(11, 4.5), dpi=100)
    panels = [
        ("heartbeat", "wall seconds", "nodes", f"idle heartbeats, {points[0].seconds:,} virtual s",
         "wall s", lambda p: p.nodes),
        ("allocation", "wall seconds until all allocated", "containers allocated",
         "allocation, 10 containers per node", "wall s until all allocated",
         lambda p: p.figure("allocation", "containers allocated")),
    ]
    for index, (which, name, _, title, ylabel, size_of) in enumerate(panels):
        axes = figure.add_subplot(1, 2, index + 1)
        measured = [(p.nodes, p.figure(which, name), size_of(p)) for p in points]
        measured = [(n, wall, size) for n, wall, size in measured if wall is not None and size]
        if measured:
            nodes = [n for n, _, _ in measured]
            walls = [wall for _, wall, _ in measured]
            base_n, base_wall, base_size = measured[0]
            linear = [base_wall * size / base_size for _, _, size in measured]
            axes.plot(nodes, walls, "o-", color="#1f77b4", label="measured")
            axes.plot(nodes, linear, "--", color="#888888", label="linear from the smallest size")
            for n, wall in zip(nodes, walls):
                axes.annotate(f"{wall:,.1f} s", (n, wall), textcoords="offset points",
                              xytext=(4, 6), fontsize=8)
            axes.set_xscale("log")
            axes.set_yscale("log")
            axes.set_xticks(nodes, [f"{n:,}" for n in nodes])
            axes.minorticks_off()
            axes.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
            axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
            axes.legend(fontsize=8)
        axes.set_title(title, fontsize=10)
        axes.set_xlabel("nodes")
        axes.set_ylabel(ylabel)
        axes.grid(True, which="both", alpha=0.3)
    figure.suptitle("yarnemu scaling curve", fontsize=11)
    figure.tight_layout()
    figure.savefig(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000",
                        help="comma-separated node counts (default: 1000,10000,50000)")
    parser.add_argument("--seconds", type=int, default=3600,
                        help="virtual seconds of heartbeats per size (default: 3600)")
    parser.add_argument("--plot", metavar="FILE.png", help="also write the curve as a PNG")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers, not {args.sizes!r}")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes needs at least one positive node count")
    points = measure(sizes, args.seconds)
    if args.json:
        print(json.dumps([point.to_dict() for point in points]))
    else:
        print(render_curve(points))
    if args.plot:
        write_plot(points, args.plot)
        if not args.json:
            print(f"\n  plot written to {args.plot}")
    return 1 if any(point.errors for point in points) else 0


if __name__ == "__main__":
    sys.exit(main())
