"""
The yarnemu demo: a small YARN cluster in virtual time running one DistributedShell application
whose ApplicationMaster asks for containers that each run ``sleep`` and exit 0, told as a
timeline.
"""

import sys
import tempfile
import time

from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.programs.distributed_shell import submit_distributed_shell
from yarnemu.records.states import FinalApplicationStatus
from yarnemu.timeline import TimelinePrinter, format_offset

__all__ = ["run_demo", "DemoResult"]

SUBMIT_AFTER_MS = 2000
DEADLINE_SECONDS = 3600


class DemoResult:
    """What a demo run produced: the cluster (for its state and events) and the application."""

    def __init__(self, cluster, application_id, wall_seconds):
        self.cluster = cluster
        self.application_id = application_id
        self.wall_seconds = wall_seconds

    @property
    def app(self):
        return self.cluster.rm.apps[self.application_id]


def run_demo(data_dir, nodes=3, containers=4, sleep_seconds=30, container_memory=512, seed=0,
             out=None):
    """
    Run the demo to the end of the application (or an hour of virtual time).

    :param out: a text stream for the timeline, or ``None`` for none.
    :return: a :class:`DemoResult`.
    """
    started = time.perf_counter()
    clock = VirtualClock(DEFAULT_EPOCH)
    cluster = YarnCluster(clock, data_dir, [NodeGroup(nodes)], seed=seed)
    start_ms = int(DEFAULT_EPOCH * 1000)
    if out is not None:
        cluster.events.subscribe(TimelinePrinter(out, start_ms))
    cluster.start()
    submitted = []
    clock.callLater(SUBMIT_AFTER_MS / 1000.0, lambda: submit_distributed_shell(
        cluster.yarn_client("demo"), containers, container_memory, "sleep", str(sleep_seconds),
    ).addCallback(submitted.append))

    def finished():
        return bool(submitted) and cluster.rm.apps[submitted[0]].state.is_final

    clock.run_until_true(finished, limit=DEFAULT_EPOCH + DEADLINE_SECONDS)
    return DemoResult(cluster, submitted[0] if submitted else None,
                      time.perf_counter() - started)


def print_summary(result, out):
    """Write the demo's outcome: the application's end, its containers, and the run's cost."""
    app = result.app
    cluster = result.cluster
    start_ms = int(DEFAULT_EPOCH * 1000)
    report = app.report()
    out.write("\nSummary\n")
    out.write(f"  application   {app.application_id} '{report.name}' by {report.user}\n")
    out.write(f"  final state   {app.state.value} / {report.final_application_status.value}\n")
    out.write(f"  elapsed       {format_offset(app.finish_time - app.submit_time)} "
              f"(submitted at {format_offset(app.submit_time - start_ms)})\n")
    for attempt in app.attempts:
        for container in attempt.containers:
            role = "AM  " if container.is_am else "task"
            out.write(f"  {role} {container.container_id} on {container.node_id}: "
                      f"{container.state.value}, exit status {int(container.exit_status)}\n")
    out.write(f"  events        {len(cluster.events.events)} in "
              f"{format_offset(cluster.events.now() - start_ms)} of virtual time, "
              f"{result.wall_seconds:.3f} s of wall time\n")


def main(args):
    """The ``yarnemu demo`` command; :return: its exit status."""
    out = sys.stdout
    out.write(f"yarnemu demo: {args.nodes} NodeManagers; a DistributedShell application whose "
              f"ApplicationMaster runs 'sleep {args.sleep}' in {args.containers} containers\n\n")
    with tempfile.TemporaryDirectory(prefix="yarnemu-demo-") as data_dir:
        result = run_demo(data_dir, nodes=args.nodes, containers=args.containers,
                          sleep_seconds=args.sleep, seed=args.seed, out=out)
        if args.events:
            with open(args.events, "w", encoding="utf-8") as stream:
                result.cluster.events.write_jsonl(stream)
        if result.application_id is None:
            out.write("\nThe application was never submitted.\n")
            return 1
        print_summary(result, out)
        if args.events:
            out.write(f"  event log     {args.events}\n")
        ok = result.app.final_application_status is FinalApplicationStatus.SUCCEEDED
        return 0 if ok else 1
