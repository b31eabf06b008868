"""
Allocation throughput: N applications on a cluster of M nodes, each ApplicationMaster asking for
C containers at once; how fast the ResourceManager allocates them all, beside a minimal greedy
allocator on a bare heap clock (the reference) serving the same asks on the same node heartbeats.

The yarnemu run is a real cluster on a :class:`~yarnemu.clock.VirtualClock` (ResourceManager with
the CapacityScheduler, M NodeManagers of 16 GB and 16 vcores, the fake HDFS).  Each application is
submitted through the client protocol; its AM container is allocated, launched by a NodeManager
and runs a small AM program that registers through ``ApplicationMasterProtocol`` (with the
``AMRMClient``) and heartbeats every second.  Once all N AMs are registered, every AM adds C
requests of 1024 MB / 1 vcore, which reach the RM with its next allocate heartbeat; the
CapacityScheduler allocates them on NodeManager heartbeats (at most one off-switch container per
node heartbeat, Hadoop's default), and the AMs pick them up with their following allocate.  The
AM containers are allocated and launched before the clock starts and are not counted.

Measured from the moment the AMs add their requests: the wall seconds until the RM has allocated
all N×C containers (its scheduler's records), and until the AMs have received them all in their
allocate responses; containers allocated per wall second; the node heartbeats the RM processed
meanwhile (each one a scheduler node update with asks pending) and how much of the wall time
the cyclic garbage collector took (the interpreter's default settings); the bytes of memory each
allocated container added; the process's peak RSS.

The reference fires the same node heartbeats (one timer per node, every second, at the same
phases) on a bare VirtualClock; each heartbeat takes one container for the first application with
asks left if the node has room, and records it as a tuple.  It is the floor for doing this
assignment at all in Python on a heap clock: the ratio says what the whole path — NodeManager,
resource tracker, CapacityScheduler, container lifecycles, the event stream and the AM protocol —
costs on top of it.

Usage: python scripts/benchmarks/allocation_throughput.py [--nodes 10000] [--apps 1000]
       [--containers 100] [--json]
"""

import argparse
import gc
import sys
import tempfile
import time

from measure import Table, current_rss_bytes, peak_rss_bytes

from yarnemu.client.amrm_client import AMRMClient, ContainerRequest
from yarnemu.client.amrm_client_async import AMRMCallbackHandler, AMRMClientAsync
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.nodemanager.programs import ContainerProgram, ProgramRegistry
from yarnemu.programs import builtin_programs
from yarnemu.records import ApplicationSubmissionContext, ContainerLaunchContext, Resource
from yarnemu.records.ids import ContainerId

__all__ = ["run_yarnemu", "run_reference", "allocation_table", "NODE_MEMORY_MB", "NODE_VCORES",
           "CONTAINER"]

NODE_MEMORY_MB = 16384
NODE_VCORES = 16
CONTAINER = Resource(1024, 1)
"""Every container asked for, and every AM container."""
AM_PROGRAM = "yarnemu.bench.AllocationBenchmarkAM"
AM_HEARTBEAT_MS = 1000
VIRTUAL_LIMIT_SECONDS = 3600


class _Tally:
    """What the benchmark's AMs have done, shared by all of them."""

    def __init__(self):
        self.masters = []
        self.received = 0


class _BenchmarkAM(ContainerProgram, AMRMCallbackHandler):
    """
    Registers, heartbeats every second, and on :meth:`ask` adds ``count`` container requests.
    The requests stay in the client's table: asks are totals, so removing satisfied ones would
    send a new (smaller) total that races with what the RM allocated meanwhile (YARN-1902).
    """

    tally = None  # set per run by _registry()

    def start(self):
        context = self.context
        attempt_id = ContainerId.parse(context.environment["CONTAINER_ID"]).application_attempt_id
        self.amrm = AMRMClient(context.endpoints.am_protocol, attempt_id)
        self.heartbeats = AMRMClientAsync(self.amrm, context.clock, AM_HEARTBEAT_MS, self)
        self.amrm.register_application_master(context.environment.get("NM_HOST", ""), -1, "")
        self.heartbeats.start()
        self.received = 0
        self.tally.masters.append(self)

    def ask(self, count, capability):
        for _ in range(count):
            self.amrm.add_container_request(ContainerRequest(capability))

    def on_containers_allocated(self, containers):
        self.received += len(containers)
        self.tally.received += len(containers)

    def on_error(self, error):
        raise error


def _registry(tally):
    program = type("AllocationBenchmarkAM", (_BenchmarkAM,), {"tally": tally})
    return builtin_programs().merged(ProgramRegistry({AM_PROGRAM: program}))


def _heartbeats(cluster):
    return sum(node.response_id for node in cluster.rm.nodes.values())


class _CollectorTime:
    """The wall seconds the cyclic garbage collector runs while :attr:`on` (``gc.callbacks``)."""

    def __init__(self):
        self.on = False
        self.seconds = 0.0
        self._started = None

    def __call__(self, phase, info):
        if not self.on:
            return
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.seconds += time.perf_counter() - self._started
            self._started = None


def run_yarnemu(nodes, apps, containers, data_dir):
    """:return: dict of figures for ``apps`` AMs asking ``containers`` each on ``nodes`` nodes."""
    clock = VirtualClock(DEFAULT_EPOCH)
    tally = _Tally()
    started = time.perf_counter()
    cluster = YarnCluster(clock, data_dir, [NodeGroup(nodes, NODE_MEMORY_MB, NODE_VCORES)],
                          programs=_registry(tally))
    cluster.start()
    clock.advance(1.0)
    built = time.perf_counter()

    client = cluster.rm.client_service
    for index in range(apps):
        application_id = client.get_new_application().application_id
        client.submit_application(ApplicationSubmissionContext(
            application_id=application_id, application_name=f"alloc-{index}",
            resource=CONTAINER, am_container_spec=ContainerLaunchContext(commands=[AM_PROGRAM]),
        ), "bench")
    virtual_submitted = clock.seconds()
    limit = clock.seconds() + VIRTUAL_LIMIT_SECONDS
    clock.run_until_true(lambda: len(tally.masters) >= apps, limit)
    registered = time.perf_counter()
    virtual_registered = clock.seconds()

    scheduler = cluster.rm.scheduler
    target = len(scheduler.containers) + apps * containers
    rss_before = current_rss_bytes()
    beats_before = _heartbeats(cluster)
    events_before = clock.fired
    virtual_go = clock.seconds()
    collector = _CollectorTime()
    gc.callbacks.append(collector)
    collector.on = True
    go, go_cpu = time.perf_counter(), time.process_time()
    for master in tally.masters:
        master.ask(containers, CONTAINER)
    limit = clock.seconds() + VIRTUAL_LIMIT_SECONDS
    try:
        clock.run_until_true(lambda: len(scheduler.containers) >= target, limit)
    finally:
        allocated_at, allocated_cpu = time.perf_counter(), time.process_time()
        collector.on = False
        gc.callbacks.remove(collector)
    virtual_allocated = clock.seconds()
    allocated = len(scheduler.containers) - (target - apps * containers)
    beats = _heartbeats(cluster) - beats_before
    rss_after = current_rss_bytes()
    clock.run_until_true(lambda: tally.received >= apps * containers, limit)
    received_at = time.perf_counter()
    return {
        "build_wall": built - started,
        "setup_wall": registered - built,
        "setup_virtual": virtual_registered - virtual_submitted,
        "masters": len(tally.masters),
        "allocated": allocated,
        "received": tally.received,
        "wall": allocated_at - go,
        "cpu": allocated_cpu - go_cpu,
        "gc_wall": collector.seconds,
        "received_wall": received_at - go,
        "virtual": virtual_allocated - virtual_go,
        "heartbeats": beats,
        "timer_events": clock.fired - events_before,
        "bytes_per_container": (rss_after - rss_before) / max(allocated, 1),
    }


def run_reference(nodes, apps, containers):
    """
    :return: dict of figures for a greedy allocator on a bare heap clock: one timer per node
        every second; each firing allocates one container of the first application with asks
        left, if the node has room.
    """
    clock = VirtualClock(DEFAULT_EPOCH)
    free = [NODE_MEMORY_MB] * nodes
    wanted = [containers] * apps
    size = CONTAINER.memory
    allocations = []
    state = {"app": 0, "beats": 0}

    def beat(node):
        state["beats"] += 1
        app = state["app"]
        if app < apps and free[node] >= size:
            free[node] -= size
            allocations.append((app, node, len(allocations)))
            wanted[app] -= 1
            if not wanted[app]:
                state["app"] = app + 1
        clock.callLater(1.0, beat, node)

    for node in range(nodes):
        clock.callLater(node / nodes, beat, node)
    target = apps * containers
    start, start_cpu = time.perf_counter(), time.process_time()
    clock.run_until_true(lambda: len(allocations) >= target, clock.seconds() + VIRTUAL_LIMIT_SECONDS)
    wall = time.perf_counter() - start
    return {"wall": wall, "cpu": time.process_time() - start_cpu, "allocated": len(allocations),
            "heartbeats": state["beats"],
            "virtual": clock.seconds() - DEFAULT_EPOCH}


def allocation_table(nodes, apps, containers, reference=True):
    """Run yarnemu (and the reference unless ``reference`` is false); :return: the :class:`Table`."""
    with tempfile.TemporaryDirectory(prefix="yarnemu-bench-") as data_dir:
        ours = run_yarnemu(nodes, apps, containers, data_dir)
    peak = peak_rss_bytes()
    theirs = run_reference(nodes, apps, containers) if reference else {}
    table = Table(
        f"Allocation throughput: {nodes:,} nodes, {apps:,} applications x {containers:,} "
        f"containers of {CONTAINER.memory} MB (reference: a greedy allocator on a bare heap "
        f"clock, same heartbeats)"
    )
    table.add("containers allocated", ours["allocated"], theirs.get("allocated"))
    table.add("wall seconds until all allocated", ours["wall"], theirs.get("wall"), unit="s")
    table.add("CPU seconds until all allocated", ours["cpu"], theirs.get("cpu"), unit="s")
    table.add("containers allocated per wall second", ours["allocated"] / ours["wall"],
              theirs["allocated"] / theirs["wall"] if theirs else None)
    table.add("virtual seconds until all allocated", ours["virtual"], theirs.get("virtual"),
              unit="s")
    table.add("node heartbeats processed meanwhile", ours["heartbeats"], theirs.get("heartbeats"))
    table.add("of the wall seconds, in the cyclic GC", ours["gc_wall"], unit="s", ratio=False)
    table.add("wall seconds until the AMs have them all", ours["received_wall"], unit="s",
              ratio=False)
    table.add("AMs registered before the asks", ours["masters"], apps)
    table.add("setup: build and start the cluster", ours["build_wall"], unit="s", ratio=False)
    table.add("setup: submit, launch and register the AMs", ours["setup_wall"], unit="s",
              ratio=False)
    table.add("memory per allocated container", ours["bytes_per_container"], unit="bytes",
              ratio=False)
    table.add("peak RSS", peak / 2**20, unit="MB", ratio=False)
    table.ours = ours
    table.reference = theirs
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=10000)
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--containers", type=int, default=100, help="containers per application")
    parser.add_argument("--no-reference", dest="reference", action="store_false",
                        help="skip the reference run")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    table = allocation_table(args.nodes, args.apps, args.containers, args.reference)
    if args.json:
        print(table.to_json())
        return 0
    print(table.render())
    ours = table.ours
    rate = ours["allocated"] / ours["wall"]
    print(f"\n  {ours['allocated']:,} of {args.apps * args.containers:,} containers allocated in "
          f"{ours['virtual']:.1f} virtual s; {ours['timer_events']:,} timer events fired")
    if (args.nodes, args.apps, args.containers) == (10000, 1000, 100):
        print(f"  target (issue 8): >= 20,000 containers allocated per wall second: "
              f"{'met' if rate >= 20000 else 'NOT met'} ({rate:,.0f}/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
