"""
The command line of ``twistd yarnemu`` (:class:`ServiceOptions`) and what it resolves to
(:class:`ServiceSettings`): the cluster (nodes, racks, scheduler, queues, yarn-site settings, or a
scenario file's ``cluster:`` block), where to listen, where to keep data, how fast time runs, and
what the real Hadoop and Flink clients need: Hadoop RPC (``--hadoop-rpc``), containers run as this
machine's processes (``--container-executor process``) and WebHDFS JSON without
``Content-Type`` (``--webhdfs-no-content-type``).
"""

import os

from attrs import field, frozen
from twisted.python import usage

from yarnemu.cluster import NodeGroup
from yarnemu.config import CAPACITY_SCHEDULER, FIFO_SCHEDULER, YarnConfiguration
from yarnemu.errors import ConfigurationException
from yarnemu.records.immutable import frozen_mapping, frozen_tuple

__all__ = ["ServiceOptions", "ServiceSettings", "DEFAULT_RM_LISTEN", "DEFAULT_WEBHDFS_LISTEN",
           "CONTAINER_EXECUTORS"]

DEFAULT_RM_LISTEN = "tcp:8088:interface=127.0.0.1"
"""``yarn.resourcemanager.webapp.address``'s port, on loopback only."""

DEFAULT_WEBHDFS_LISTEN = "tcp:9870:interface=127.0.0.1"
"""``dfs.namenode.http-address``'s port (Hadoop 3), on loopback only."""

_SCHEDULERS = {"capacity": CAPACITY_SCHEDULER, "fifo": FIFO_SCHEDULER}

CONTAINER_EXECUTORS = ("inprocess", "process")
"""``--container-executor`` values: allow-listed programs in this process (the default), or the
launch context's command as a process of this machine."""

# Options that describe the cluster, and so cannot be combined with --scenario.
_CLUSTER_OPTIONS = ("nodes", "memory-mb", "vcores", "racks", "scheduler")


@frozen
class ServiceSettings:
    """
    :ivar tuple node_groups: the cluster's :class:`~yarnemu.cluster.NodeGroup` values.
    :ivar yarn_config: yarn-site key → value (strings).
    :ivar str rm_listen: the RM web address's server endpoint description.
    :ivar str webhdfs_listen: WebHDFS's server endpoint description.
    :ivar data_dir: where the fake HDFS and the NodeManagers' directories live; ``None``: a
        fresh temporary directory, removed when the service stops.
    :ivar endpoints_file: where to write the bound URLs as JSON, or ``None``.
    :ivar float time_scale: cluster seconds per real second.
    :ivar int seed: the cluster's random seed.
    :ivar hadoop_rpc: the RM's Hadoop RPC (``ApplicationClientProtocol``) server endpoint
        description, or ``None`` for no Hadoop RPC.
    :ivar str hadoop_descriptors: the Hadoop RPC descriptor set's path.
    :ivar str container_executor: one of :data:`CONTAINER_EXECUTORS`.
    :ivar java_home: ``JAVA_HOME`` for process containers, or ``None`` (the service's, or the
        ``java`` on its ``PATH``).
    :ivar bool webhdfs_json_content_type: whether WebHDFS JSON carries ``Content-Type``.
    """

    node_groups: tuple = field(converter=frozen_tuple)
    yarn_config: object = field(converter=frozen_mapping)
    rm_listen: str = DEFAULT_RM_LISTEN
    webhdfs_listen: str = DEFAULT_WEBHDFS_LISTEN
    data_dir: str | None = None
    endpoints_file: str | None = None
    time_scale: float = 1.0
    seed: int = 0
    hadoop_rpc: str | None = None
    hadoop_descriptors: str | None = None
    container_executor: str = "inprocess"
    java_home: str | None = None
    webhdfs_json_content_type: bool = True


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"not an integer: {text!r}") from None
    if value <= 0:
        raise ValueError(f"must be a positive integer: {text!r}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    if not value > 0:
        raise ValueError(f"must be positive: {text!r}")
    return value


_positive_int.coerceDoc = "A positive integer."
_positive_float.coerceDoc = "A positive number."


class ServiceOptions(usage.Options):
    """
    ``twistd yarnemu`` options.  Once parsed, :attr:`service_settings` holds what they resolve to
    (:meth:`settings`); a scenario file's ``cluster:`` block is read by
    :meth:`cluster_from_scenario`, which a subclass provides (the plugin's reads Flink scenario
    files), so that a bad file is a usage error like any other.
    """

    cluster_from_scenario = None
    """``path → (node_groups, yarn-site items)``, or ``None`` where ``--scenario`` is not
    supported."""

    synopsis = "[options]"
    longdesc = (
        "Run an emulated YARN cluster (ResourceManager, NodeManagers, fake HDFS) in real time, "
        "serving the ResourceManager REST API and web proxy on --rm-listen and WebHDFS on "
        "--webhdfs-listen. Flink's YARN entrypoints run in its containers."
    )

    optParameters = [
        ["nodes", None, 4, "Number of NodeManagers", _positive_int],
        ["memory-mb", None, None,
         "Memory of each NodeManager in MB (default: yarn.nodemanager.resource.memory-mb, 8192)",
         _positive_int],
        ["vcores", None, None,
         "Vcores of each NodeManager (default: yarn.nodemanager.resource.cpu-vcores, 8)",
         _positive_int],
        ["racks", None, 1, "Spread the NodeManagers evenly over this many racks (/rack-0, ...)",
         _positive_int],
        ["scheduler", None, "capacity", "The scheduler: capacity or fifo."],
        ["scenario", None, None,
         "Take the cluster (nodes, scheduler, queues, yarn settings) from this scenario file's "
         "cluster: block instead of the options above."],
        ["rm-listen", None, DEFAULT_RM_LISTEN,
         "Endpoint of the ResourceManager web address (REST API, web proxy)."],
        ["webhdfs-listen", None, DEFAULT_WEBHDFS_LISTEN, "Endpoint of WebHDFS."],
        ["data-dir", None, None,
         "Directory for the fake HDFS and the containers (default: a temporary directory, "
         "removed on shutdown)."],
        ["endpoints-file", None, None,
         'Write the bound URLs here as JSON ({"rm": ..., "webhdfs": ...}) once listening.'],
        ["time-scale", None, 1.0, "Run the cluster's clock this many times faster than real time",
         _positive_float],
        ["seed", None, 0, "The cluster's random seed.", int],
        ["hadoop-rpc", None, None,
         "Serve Hadoop RPC (ApplicationClientProtocol, yarn.resourcemanager.address) on this "
         "endpoint, e.g. tcp:8032:interface=127.0.0.1, for Hadoop's own clients; NodeManagers "
         "then listen on 127.0.0.2, 127.0.0.3, ... and each application attempt's AM on a port "
         "of its own (default: no Hadoop RPC)."],
        ["hadoop-descriptors", None, None,
         "The Hadoop RPC descriptor set made by python -m yarnemu.interop.setup (default: "
         "$YARNEMU_HADOOP_DESCRIPTORS, else hadoop-yarn.fds in the interop cache)."],
        ["container-executor", None, "inprocess",
         "How containers run: inprocess (allow-listed programs in this process) or process "
         "(the launch context's command as a process of this machine: it runs what clients "
         "send)."],
        ["java-home", None, None,
         "JAVA_HOME for process containers (default: the service's JAVA_HOME, else the java on "
         "its PATH)."],
    ]

    optFlags = [
        ["webhdfs-no-content-type", None,
         "Answer WebHDFS JSON without Content-Type, as the shaded Java WebHDFS client needs."],
    ]

    def __init__(self):
        super().__init__()
        self["queues"] = []
        self["conf"] = {}
        self._given = set()

    def opt_queue(self, value):
        """A top-level capacity-scheduler queue NAME:CAPACITY (repeatable; they add up to 100)."""
        name, separator, capacity = value.partition(":")
        if not separator or not name or "." in name:
            raise usage.UsageError(f"--queue takes NAME:CAPACITY, not {value!r}")
        try:
            capacity = float(capacity)
        except ValueError:
            raise usage.UsageError(f"--queue {value}: the capacity is not a number") from None
        if not 0 <= capacity <= 100:
            raise usage.UsageError(f"--queue {value}: the capacity must be within 0-100")
        if name in (queue for queue, _ in self["queues"]):
            raise usage.UsageError(f"--queue {name} is given twice")
        self["queues"].append((name, capacity))

    def opt_conf(self, value):
        """A yarn-site setting KEY=VALUE (repeatable)."""
        key, separator, setting = value.partition("=")
        if not separator or not key.strip():
            raise usage.UsageError(f"--conf takes KEY=VALUE, not {value!r}")
        self["conf"][key.strip()] = setting.strip()

    opt_D = opt_conf

    def parseOptions(self, options=None):
        # Remember which cluster options were given, to refuse them beside --scenario.
        for argument in options or ():
            name = argument.lstrip("-").split("=", 1)[0]
            if argument.startswith("--") and name in _CLUSTER_OPTIONS:
                self._given.add(name)
        super().parseOptions(options)

    def postOptions(self):
        if self["scheduler"] not in _SCHEDULERS:
            raise usage.UsageError(
                f"--scheduler must be one of {', '.join(sorted(_SCHEDULERS))}, "
                f"not {self['scheduler']!r}")
        if self["racks"] > self["nodes"]:
            raise usage.UsageError(f"--racks ({self['racks']}) cannot exceed --nodes "
                                   f"({self['nodes']})")
        if self["scenario"] is not None:
            clashing = sorted(self._given) + (["queue"] if self["queues"] else [])
            if clashing:
                raise usage.UsageError(
                    "--scenario takes the cluster from the file; it cannot be combined with "
                    + ", ".join(f"--{name}" for name in clashing))
            if not os.path.isfile(self["scenario"]):
                raise usage.UsageError(f"--scenario {self['scenario']}: no such file")
        if self["container-executor"] not in CONTAINER_EXECUTORS:
            raise usage.UsageError(
                f"--container-executor must be one of {', '.join(CONTAINER_EXECUTORS)}, "
                f"not {self['container-executor']!r}")
        if self["java-home"] is not None:
            if self["container-executor"] != "process":
                raise usage.UsageError("--java-home needs --container-executor process")
            if not os.path.isdir(self["java-home"]):
                raise usage.UsageError(f"--java-home {self['java-home']}: no such directory")
        if self["hadoop-descriptors"] is not None and self["hadoop-rpc"] is None:
            raise usage.UsageError("--hadoop-descriptors needs --hadoop-rpc")
        if self["queues"]:
            if self["scheduler"] != "capacity":
                raise usage.UsageError("--queue needs --scheduler capacity")
            total = sum(capacity for _, capacity in self["queues"])
            if abs(total - 100) > 1e-6:
                raise usage.UsageError(f"the --queue capacities add up to {total:g}, not 100")
        self.service_settings = self.settings(self.cluster_from_scenario)

    def settings(self, cluster_from_scenario=None):
        """
        :param cluster_from_scenario: ``path → (node_groups, yarn-site mapping)``, for
            ``--scenario``.
        :return: the :class:`ServiceSettings`.
        :raise usage.UsageError: for ``--scenario`` without ``cluster_from_scenario``.
        """
        if self["scenario"] is not None:
            if cluster_from_scenario is None:
                raise usage.UsageError("--scenario is not supported here")
            node_groups, yarn = cluster_from_scenario(self["scenario"])
            yarn = dict(yarn)
        else:
            node_groups = self._node_groups()
            yarn = {"yarn.resourcemanager.scheduler.class": _SCHEDULERS[self["scheduler"]]}
            if self["queues"]:
                yarn["yarn.scheduler.capacity.root.queues"] = ",".join(
                    name for name, _ in self["queues"])
                for name, capacity in self["queues"]:
                    yarn[f"yarn.scheduler.capacity.root.{name}.capacity"] = f"{capacity:g}"
        yarn.update(self["conf"])
        try:
            YarnConfiguration(yarn)
        except ConfigurationException as error:
            raise usage.UsageError(str(error)) from None
        return ServiceSettings(
            node_groups=node_groups,
            yarn_config=yarn,
            rm_listen=self["rm-listen"],
            webhdfs_listen=self["webhdfs-listen"],
            data_dir=self["data-dir"],
            endpoints_file=self["endpoints-file"],
            time_scale=self["time-scale"],
            seed=self["seed"],
            hadoop_rpc=self["hadoop-rpc"],
            hadoop_descriptors=self._hadoop_descriptors(),
            container_executor=self["container-executor"],
            java_home=self["java-home"],
            webhdfs_json_content_type=not self["webhdfs-no-content-type"],
        )

    def _hadoop_descriptors(self):
        """
        :return: the descriptor set's path when Hadoop RPC is on (``None`` otherwise).
        :raise usage.UsageError: if the file is missing or is no descriptor set.
        """
        if self["hadoop-rpc"] is None:
            return None
        # Imported here: protobuf stays out of ``twistd --help``.
        from yarnemu.ipc.descriptors import (
            DescriptorsUnavailable,
            HadoopDescriptors,
            default_descriptors_path,
        )

        path = self["hadoop-descriptors"] or default_descriptors_path()
        try:
            HadoopDescriptors.load(path)
        except DescriptorsUnavailable as error:
            raise usage.UsageError(f"--hadoop-rpc: {error}") from None
        return path

    def _node_groups(self):
        racks, nodes = self["racks"], self["nodes"]
        groups = []
        for rack in range(racks):
            count = nodes // racks + (1 if rack < nodes % racks else 0)
            groups.append(NodeGroup(
                count, self["memory-mb"], self["vcores"],
                rack="/default-rack" if racks == 1 else f"/rack-{rack}",
                name_prefix="node" if racks == 1 else f"node-r{rack}",
            ))
        return tuple(groups)
