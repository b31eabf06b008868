"""
Heartbeat scale: N idle NodeManagers heartbeating every second for a span of virtual time, beside
a bare heap clock firing the same number of events in the same process.

The yarnemu run is a real cluster (ResourceManager, N NodeManagers, the fake HDFS) with no
applications: every heartbeat goes through the NodeManager and the ResourceManager's resource
tracker (liveness, responseId, scheduling check).  The reference arms N timers on a
:class:`~yarnemu.clock.VirtualClock`, each re-arming itself every second with an empty body.

Usage: python scripts/benchmarks/heartbeat_scale.py [--nodes 10000] [--seconds 3600]
"""

import argparse
import sys
import tempfile

from measure import Table, current_rss_bytes, peak_rss_bytes, timed

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
    _, wall = timed(lambda: clock.advance(seconds))
    beats = sum(node.response_id for node in cluster.rm.nodes.values()) - beats_before
    running = sum(1 for node in cluster.rm.nodes.values() if node.state.value == "RUNNING")
    return {
        "wall": wall,
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
    _, wall = timed(lambda: clock.advance(seconds))
    return {"wall": wall, "heartbeats": fired[0] - before}


def heartbeat_table(nodes, seconds):
    """Run both and :return: the :class:`Table`."""
    with tempfile.TemporaryDirectory(prefix="yarnemu-bench-") as data_dir:
        ours = run_yarnemu(nodes, seconds, data_dir)
    peak = peak_rss_bytes()
    reference = run_reference(nodes, seconds)
    table = Table(f"Heartbeat scale: {nodes:,} idle NodeManagers, {seconds:,} s of virtual time, "
                  f"1 s heartbeats (reference: a bare heap clock firing the same events)")
    table.add("wall seconds", ours["wall"], reference["wall"])
    table.add("virtual seconds per wall second", seconds / ours["wall"], seconds / reference["wall"])
    table.add("heartbeats", ours["heartbeats"], reference["heartbeats"])
    table.add("heartbeats per wall second", ours["heartbeats"] / ours["wall"],
              reference["heartbeats"] / reference["wall"])
    table.add("peak RSS", peak / 2**20, unit="MB")
    table.add("RSS per node", ours["bytes_per_node"], unit="bytes")
    table.nodes_running = ours["nodes_running"]
    table.ours = ours
    table.reference = reference
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=3600)
    args = parser.parse_args(argv)
    table = heartbeat_table(args.nodes, args.seconds)
    print(table.render())
    ours, reference = table.ours, table.reference
    print(f"\n  {table.nodes_running:,} of {args.nodes:,} nodes RUNNING at the end; "
          f"{ours['events']:,} timer events fired for {ours['heartbeats']:,} heartbeats")
    if args.nodes == 10000 and args.seconds == 3600:
        ratio = ours["wall"] / reference["wall"]
        print(f"  target (issue 2): one virtual hour of 10,000 nodes in < 60 s wall: "
              f"{'met' if ours['wall'] < 60 else 'NOT met'} ({ours['wall']:.1f} s); within 2x of "
              f"the bare clock: {'met' if ratio <= 2 else 'NOT met'} ({ratio:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
