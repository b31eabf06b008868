"""
:class:`YarnCluster`: a whole YARN cluster in one process — a ResourceManager, NodeManagers in
groups of identical nodes, the fake HDFS, and the event stream — wired together on one clock.

It is the composition every use shares: scenario runs and tests drive it on a
:class:`~yarnemu.clock.VirtualClock`, the twistd service on the real reactor.
"""

import os
import random

from attrs import frozen

from yarnemu.client.endpoints import ClusterEndpoints
from yarnemu.client.yarn_client import InProcessYarnClient
from yarnemu.config import YarnConfiguration
from yarnemu.dfs import FakeHDFS
from yarnemu.events import EventLog
from yarnemu.network import InProcessNetwork
from yarnemu.nodemanager.executor import InProcessContainerExecutor
from yarnemu.nodemanager.heartbeat_wheel import HeartbeatWheel
from yarnemu.nodemanager.nodemanager import NodeManager
from yarnemu.programs import builtin_programs
from yarnemu.records.ids import NodeId
from yarnemu.records.resource import Resource
from yarnemu.resourcemanager.rm import ResourceManager
from yarnemu.timers import call_at_ms, now_ms

__all__ = ["YarnCluster", "NodeGroup", "DEFAULT_EPOCH"]

DEFAULT_EPOCH = 1767225600.0
"""2026-01-01T00:00:00Z: where virtual clocks start, so ids and times look like a real cluster's."""


@frozen
class NodeGroup:
    """
    ``count`` identical NodeManagers named ``<name_prefix>-<i>``.  ``memory_mb`` and ``vcores``
    default to ``yarn.nodemanager.resource.memory-mb`` / ``cpu-vcores``.
    """

    count: int
    memory_mb: int | None = None
    vcores: int | None = None
    rack: str = "/default-rack"
    name_prefix: str = "node"


class YarnCluster:
    """
    :param clock: an ``IReactorTime``.
    :param data_dir: a directory for the fake HDFS (``hdfs/``) and the NodeManagers' local and
        log directories (``nm/<host>/``).
    :param node_groups: the :class:`NodeGroup` values making up the cluster.
    :param config: the :class:`~yarnemu.config.YarnConfiguration` (yarn-site).
    :param programs: the :class:`~yarnemu.nodemanager.programs.ProgramRegistry` containers may run
        (default: the built-in programs).
    :param int seed: seeds :attr:`random`, the cluster's one source of randomness.
    :param executor: the ``IContainerExecutor`` the NodeManagers run containers with (default: an
        :class:`~yarnemu.nodemanager.executor.InProcessContainerExecutor` of ``programs``); a
        :class:`~yarnemu.nodemanager.process_executor.ProcessContainerExecutor` runs them as this
        machine's processes.

    NodeManagers register :meth:`start`-ed, staggered evenly over the first heartbeat interval
    (node ``i`` of ``N`` at ``i × interval / N``), so their heartbeats spread as a real cluster's do.
    """

    def __init__(self, clock, data_dir, node_groups=(NodeGroup(3),), config=None, programs=None,
                 seed=0, events=None, executor=None):
        self.clock = clock
        self.config = config if config is not None else YarnConfiguration()
        self.data_dir = str(data_dir)
        self.random = random.Random(seed)
        self.events = events if events is not None else EventLog(clock)
        self.filesystem = FakeHDFS(_directory(self.data_dir, "hdfs"), clock)
        self.network = InProcessNetwork(clock)
        self.node_managers = {}
        self.rm = ResourceManager(clock, self.config, self.events, self.container_manager)
        self.endpoints = ClusterEndpoints(
            client_protocol=self.rm.client_service,
            am_protocol=self.rm.am_service,
            container_managers=self.container_manager,
            filesystem=self.filesystem,
            rm_webapp_address=self.rm.webapp_address,
            network=self.network,
            events=self.events,
        )
        self.programs = programs if programs is not None else builtin_programs()
        self.executor = executor if executor is not None else InProcessContainerExecutor(
            clock, self.programs, self.endpoints,
            self.config.get_int("yarn.nodemanager.sleep-delay-before-sigkill.ms"),
        )
        interval = self.rm.resource_tracker.heartbeat_interval_ms
        self.heartbeats = HeartbeatWheel(clock, interval)
        port = self.config.get_int("yarnemu.nodemanager.port")
        for group in node_groups:
            resource = Resource(
                group.memory_mb if group.memory_mb is not None else self.config.node_memory_mb,
                group.vcores if group.vcores is not None else self.config.node_vcores,
            )
            for index in range(group.count):
                self.add_node_manager(NodeId(f"{group.name_prefix}-{index}", port), resource,
                                      group.rack)
        self.started = False

    def add_node_manager(self, node_id, resource, rack="/default-rack"):
        """
        Add a NodeManager (not yet started).

        :raise ValueError: if a NodeManager with that host exists.
        """
        if node_id.host in self.node_managers:
            raise ValueError(f"a NodeManager on host {node_id.host} already exists")
        nm = NodeManager(
            clock=self.clock, config=self.config, node_id=node_id, resource=resource,
            resource_tracker=self.rm.resource_tracker, filesystem=self.filesystem,
            local_root=os.path.join(self.data_dir, "nm", node_id.host), executor=self.executor,
            events=self.events, heartbeats=self.heartbeats, rack=rack,
        )
        self.node_managers[node_id.host] = nm
        return nm

    def start(self):
        """Start the NodeManagers, staggered over the first heartbeat interval."""
        if self.started:
            return
        self.started = True
        start = now_ms(self.clock)
        interval = self.heartbeats.interval_ms
        managers = list(self.node_managers.values())
        for index, nm in enumerate(managers):
            call_at_ms(self.clock, start + index * interval // len(managers), nm.start)

    def stop(self):
        """Stop every NodeManager gracefully."""
        for nm in self.node_managers.values():
            nm.stop()

    def container_manager(self, node_id):
        """:return: the running NodeManager with this id, or ``None``."""
        nm = self.node_managers.get(node_id.host)
        if nm is None or nm.node_id != node_id or not nm.running:
            return None
        return nm

    def yarn_client(self, user):
        """:return: an :class:`~yarnemu.client.InProcessYarnClient` acting as ``user``."""
        return InProcessYarnClient(self.rm.client_service, user)


def _directory(*parts):
    path = os.path.join(*parts)
    os.makedirs(path, exist_ok=True)
    return path
