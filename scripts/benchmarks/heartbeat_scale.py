"""
Heartbeat scale: N idle NodeManagers heartbeating every second for a span of virtual time, beside
a bare heap clock firing the same number of events in the same process.

The yarnemu run is a real cluster (ResourceManager, N NodeManagers, the fake HDFS) with no
applications: every heartbeat goes through the NodeManager and the ResourceManager's resource
tracker (liveness, responseId, scheduling check).  The reference arms N timers on a
:class:`~yarnemu.clock.VirtualClock`, each re-arming itself every second with an empty body.

Figures: wall seconds for the span, virtual seconds per wall second, heartbeats per wall second
(a heartbeat is one NodeManager → ResourceManager heartbeat; the reference counts one timer event
as one), the process's peak RSS (measured before the reference runs) and the memory each node
added when the cluster was built.

Usage: python scripts/benchmarks/heartbeat_scale.py [--nodes 10000] [--seconds 3600]
       [--no-reference] [--json]
"""

import argparse
import sys
import tempfile

from measure import Table, current_rss_bytes, peak_rss_bytes, timed_cpu

from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster

__all__ = ["run_yarnemu", "run_reference", "heartbeat_table"]


def run_yarnemu(nodes, seconds, data_dir):
    """:return: dict of figures for N idle NodeManagers over ``seconds`` of virtual time."""
    rss_before = current_rss_bytes()
    clock = VirtualClock(DEFAULT_EPOCH)
    cluster = YarnCluster(clock, data_dir, [NodeGroup(nodes)])
    cluster.start()
    clock.advance(1.0)
    rss_built = current_rss_bytes()
    beats_before = sum(node.response_id for node in cluster.rm.nodes.values())
    _, wall, cpu = timed_cpu(lambda: clock.advance(seconds))
    beats = sum(node.response_id for node in cluster.rm.nodes.values()) - beats_before
    running = sum(1 for node in cluster.rm.nodes.values() if node.state.value == "RUNNING")
    return {
        "wall": wall,
        "cpu": cpu,
        "heartbeats": beats,
        "events": clock.fired,
        "nodes_running": running,
        "bytes_per_node": (rss_built - rss_before) / nodes,
    }


def run_reference(nodes, seconds):
    """:return: dict of figures for a bare heap clock firing one event per node per second."""
    clock = VirtualClock(DEFAULT_EPOCH)
    fired = [0]

    def beat():
        fired[0] += 1
        clock.callLater(1.0, beat)

    for index in range(nodes):
        clock.callLater(1.0 + index / nodes, beat)
    clock.advance(1.0)
    before = fired[0]
    _, wall, cpu = timed_cpu(lambda: clock.advance(seconds))
    return {"wall": wall, "cpu": cpu, "heartbeats": fired[0] - before}


def heartbeat_table(nodes, seconds, reference=True):
    """Run yarnemu (and the reference unless ``reference`` is false); :return: the :class:`Table`."""
    with tempfile.TemporaryDirectory(prefix="yarnemu-bench-") as data_dir:
        ours = run_yarnemu(nodes, seconds, data_dir)
    peak = peak_rss_bytes()
    reference = run_reference(nodes, seconds) if reference else {}
    table = Table(f"Heartbeat scale: {nodes:,} idle NodeManagers, {seconds:,} s of virtual time, "
                  f"1 s heartbeats (reference: a bare heap clock firing the same events)")
    theirs = reference.get
    table.add("wall seconds", ours["wall"], theirs("wall"), unit="s")
    table.add("CPU seconds", ours["cpu"], theirs("cpu"), unit="s")
    table.add("virtual seconds per wall second", seconds / ours["wall"],
              seconds / reference["wall"] if reference else None)
    table.add("heartbeats", ours["heartbeats"], theirs("heartbeats"))
    table.add("heartbeats per wall second", ours["heartbeats"] / ours["wall"],
              reference["heartbeats"] / reference["wall"] if reference else None)
    table.add("nodes RUNNING at the end", ours["nodes_running"], nodes)
    table.add("timer events fired", ours["events"], theirs("heartbeats"))
    table.add("peak RSS", peak / 2**20, unit="MB", ratio=False)
    table.add("memory per node", ours["bytes_per_node"], unit="bytes", ratio=False)
    table.ours = ours
    table.reference = reference
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=3600, help="virtual seconds")
    parser.add_argument("--no-reference", dest="reference", action="store_false",
                        help="skip the reference run")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    table = heartbeat_table(args.nodes, args.seconds, args.reference)
    if args.json:
        print(table.to_json())
        return 0
    print(table.render())
    ours, reference = table.ours, table.reference
    if args.nodes == 10000 and args.seconds == 3600:
        print(f"\n  target (issue 8): one virtual hour of 10,000 nodes in <= 30 s wall: "
              f"{'met' if ours['wall'] <= 30 else 'NOT met'} ({ours['wall']:.1f} s)")
        if reference:
            ratio = ours["wall"] / reference["wall"]
            print(f"  target (issue 8): <= 1.5x the bare clock: "
                  f"{'met' if ratio <= 1.5 else 'NOT met'} ({ratio:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
