"""
:class:`YarnEmuService`: one emulated YARN cluster as a Twisted service — the ResourceManager's web
address (REST API under ``/ws/v1/cluster``, ``/cluster``, the web UI at ``/``, Prometheus metrics
at ``/metrics``, the web proxy under ``/proxy``) and WebHDFS over the cluster's fake HDFS,
listening on the configured endpoints.

With ``--hadoop-rpc`` it also serves Hadoop RPC (:mod:`yarnemu.ipc`): ``ApplicationClientProtocol``
on that endpoint, ``ContainerManagementProtocol`` at each NodeManager's own loopback address
(NodeManager *i* at ``127.0.0.<i+2>``, its port bound before the node exists, so that its NodeId
is a real address) and ``ApplicationMasterProtocol`` per application attempt.  With
``--container-executor process`` containers run as this machine's processes
(:class:`~yarnemu.nodemanager.process_executor.ProcessContainerExecutor`), and, with Hadoop RPC,
each finds a ``HADOOP_CONF_DIR`` naming the cluster's addresses.

Start-up, in :meth:`~YarnEmuService.privilegedStartService`: bind the RM web address first (its
real port becomes ``yarn.resourcemanager.webapp.address``, so tracking URLs point at it even when
the endpoint asked for port 0), build the cluster, bind WebHDFS and Hadoop RPC, add the
NodeManagers when their addresses depend on it, then write the endpoints file (``"rpc"`` is the
RM's RPC ``host:port``).  A failure to bind exits with one clear line.
:meth:`~YarnEmuService.startService` starts the NodeManagers.  On shutdown (SIGTERM, SIGINT) the
NodeManagers stop gracefully (their containers are killed), the process executor waits until
every container process group is gone, the ports and connections close, the endpoints file is
removed, and a temporary data directory is deleted.
"""

import os
import shutil
import tempfile

from twisted.application.service import Service
from twisted.internet.defer import gatherResults, maybeDeferred, succeed
from twisted.internet.error import CannotListenError
from twisted.internet.endpoints import serverFromString
from twisted.logger import Logger
from twisted.python.failure import Failure
from twisted.web.resource import Resource
from twisted.web.server import Site

from yarnemu.cluster import YarnCluster
from yarnemu.config import YarnConfiguration
from yarnemu.events import AppStateChanged, EventLog
from yarnemu.ipc.descriptors import DescriptorsUnavailable, HadoopDescriptors
from yarnemu.ipc.server import HadoopRpcServer
from yarnemu.nodemanager.process_executor import ProcessContainerExecutor
from yarnemu.records.resource import Resource as NodeResource
from yarnemu.service.endpoints_file import write_endpoints
from yarnemu.service.scaled_clock import ScaledClock
from yarnemu.web.prometheus import PrometheusMetricsResource
from yarnemu.web.http_forward import http_forward_targets
from yarnemu.web.proxy import WebProxyResource
from yarnemu.web.rm import ResourceManagerWebApp
from yarnemu.web.ui import ClusterWebUI
from yarnemu.web.webhdfs import webhdfs_site

__all__ = ["YarnEmuService", "ServiceStartError", "KEPT_EVENTS"]

KEPT_EVENTS = 100_000
"""The cluster's event stream keeps the most recent events only: the service runs for days."""


class ServiceStartError(SystemExit):
    """The service cannot start (an endpoint does not bind); its message is the reason."""


class YarnEmuService(Service):
    """
    :param settings: the :class:`~yarnemu.service.options.ServiceSettings`.
    :param reactor: the reactor to listen and keep time on.
    :param programs: the :class:`~yarnemu.nodemanager.programs.ProgramRegistry` containers may
        run (and REST submissions may name).
    :param proxy_targets: ``cluster → target_for(host, port)``, what the web proxy serves for an
        application master's address (``None``: no proxy).
    :param application_panels: ``cluster →`` an
        :class:`~yarnemu.web.ui.IApplicationPanels` adding views of what runs in an
        application to its web UI page (``None``: the YARN views only).

    :ivar cluster: the :class:`~yarnemu.cluster.YarnCluster`, once started.
    :ivar dict urls: ``{"rm": ..., "webhdfs": ...}`` (and ``"rpc"``: ``host:port``), once
        listening.
    :ivar rpc: the :class:`~yarnemu.ipc.server.HadoopRpcServer`, with ``--hadoop-rpc``.
    :ivar executor: the process container executor, with ``--container-executor process``.
    :ivar container_conf: the :class:`~yarnemu.ipc.attempt_endpoints.ContainerHadoopConf` of
        process containers, with both.
    """

    name = "yarnemu"
    log = Logger()

    def __init__(self, settings, reactor, programs, proxy_targets=None, application_panels=None):
        self.settings = settings
        self._reactor = reactor
        self._programs = programs
        self._proxy_targets = proxy_targets
        self._application_panels = application_panels
        self._ports = []
        self._temporary_data_dir = None
        self.cluster = None
        self.urls = {}
        self.rpc = None
        self.executor = None
        self.container_conf = None

    def privilegedStartService(self):
        super().privilegedStartService()
        settings = self.settings
        data_dir = settings.data_dir
        if data_dir is None:
            data_dir = self._temporary_data_dir = tempfile.mkdtemp(prefix="yarnemu-")
        os.makedirs(data_dir, exist_ok=True)
        try:
            # Bound before the cluster exists (its tracking URLs need the real port); the root is
            # replaced below, before the reactor runs.  Flink REST (through the proxy) takes
            # multipart bodies the resource reads itself.
            rm_site = Site(Resource(), reactor=self._reactor, parsePOSTFormSubmission=False)
            self.urls["rm"] = self._listen("--rm-listen", settings.rm_listen, rm_site)
            rm_address = self.urls["rm"].split("://", 1)[1]
            clock = (self._reactor if settings.time_scale == 1
                     else ScaledClock(self._reactor, settings.time_scale))
            config = YarnConfiguration({**settings.yarn_config,
                                        "yarn.resourcemanager.webapp.address": rm_address})
            events = EventLog(clock, max_events=KEPT_EVENTS)
            events.subscribe(self._log_application_state)
            if settings.container_executor == "process":
                self.executor = ProcessContainerExecutor(
                    self._reactor, java_home=settings.java_home, kill_delay_ms=config.get_int(
                        "yarn.nodemanager.sleep-delay-before-sigkill.ms"))
            # With Hadoop RPC the NodeManagers are added below, at addresses bound for them.
            rpc_nodes = settings.hadoop_rpc is not None
            self.cluster = YarnCluster(clock, data_dir,
                                       () if rpc_nodes else settings.node_groups, config=config,
                                       programs=self._programs, seed=settings.seed,
                                       events=events, executor=self.executor)
            rm_site.resource = self._rm_root()
            spool = os.path.join(data_dir, "webhdfs-spool")
            os.makedirs(spool, exist_ok=True)
            self.urls["webhdfs"] = self._listen(
                "--webhdfs-listen", settings.webhdfs_listen,
                webhdfs_site(self.cluster.filesystem, spool,
                             json_content_type=settings.webhdfs_json_content_type,
                             reactor=self._reactor))
            if rpc_nodes:
                self._start_rpc()
                self._add_rpc_node_managers()
        except BaseException:
            self._close_ports()
            if self.rpc is not None:
                self.rpc.stop()
            self._remove_temporary_data()
            raise
        if settings.endpoints_file:
            write_endpoints(settings.endpoints_file, self.urls)

    def startService(self):
        super().startService()
        self.cluster.start()
        nodes = len(self.cluster.node_managers)
        self.log.info(
            "yarnemu: {nodes} NodeManagers, {scheduler}; time scale {scale:g}; data in {data}",
            nodes=nodes, scheduler=self.cluster.rm.scheduler.__class__.__name__,
            scale=self.settings.time_scale, data=self.cluster.data_dir)
        self.log.info("yarnemu: ResourceManager at {rm} (REST: {rm}/ws/v1/cluster), "
                      "WebHDFS at {webhdfs}/webhdfs/v1", rm=self.urls["rm"],
                      webhdfs=self.urls["webhdfs"])
        if self.rpc is not None:
            self.log.info("yarnemu: Hadoop RPC: ApplicationClientProtocol at {rpc}, "
                          "NodeManagers at {nodes}", rpc=self.urls["rpc"],
                          nodes=", ".join(str(nm.node_id)
                                          for nm in self.cluster.node_managers.values()))
        if self.executor is not None:
            self.log.info("yarnemu: containers run as processes of this machine (JAVA_HOME "
                          "{java_home})",
                          java_home=self.executor.inherited_environment.get("JAVA_HOME", "unset"))

    def stopService(self):
        super().stopService()
        if self.cluster is not None:
            self.cluster.stop()
        if self.settings.endpoints_file:
            try:
                os.remove(self.settings.endpoints_file)
            except FileNotFoundError:
                pass
        # Every container process group is gone before the ports close and the data goes.
        stopped = self.executor.shutdown() if self.executor is not None else succeed(None)
        stopped.addBoth(lambda _: self._close_everything())
        stopped.addBoth(self._stopped)
        return stopped

    def _close_everything(self):
        closing = [self._close_ports()]
        if self.rpc is not None:
            closing.append(self.rpc.stop())
        return gatherResults(closing, consumeErrors=True)

    # Internals

    def _start_rpc(self):
        """Serve Hadoop RPC: the RM's client protocol on ``--hadoop-rpc``, and per attempt."""
        settings = self.settings
        try:
            descriptors = HadoopDescriptors.load(settings.hadoop_descriptors)
        except DescriptorsUnavailable as error:
            raise ServiceStartError(f"yarnemu: --hadoop-rpc: {error}") from None
        self.rpc = HadoopRpcServer(self._reactor, descriptors)
        self.rpc.attach(self.cluster.rm)
        url = self._listen("--hadoop-rpc", settings.hadoop_rpc, self.rpc.client_factory())
        self.urls["rpc"] = url.split("://", 1)[1]
        if self.executor is not None:
            # Process containers find the cluster's addresses in their HADOOP_CONF_DIR; the Java
            # WebHDFS client reads only JSON without Content-Type.
            default_fs = ("file:///" if settings.webhdfs_json_content_type
                          else "webhdfs://" + self.urls["webhdfs"].split("://", 1)[1])
            self.container_conf = self.rpc.container_conf(self.urls["rpc"], default_fs)
            self.executor.site = self.container_conf

    def _add_rpc_node_managers(self):
        """
        Add the NodeManagers of ``--nodes``/``--racks`` (or the scenario's), each at its own
        loopback address, serving its containers there.
        """
        config = self.cluster.config
        index = 0
        for group in self.settings.node_groups:
            resource = NodeResource(
                group.memory_mb if group.memory_mb is not None else config.node_memory_mb,
                group.vcores if group.vcores is not None else config.node_vcores)
            for _ in range(group.count):
                try:
                    node_id = self.rpc.bind_node(index)
                except CannotListenError as error:
                    raise ServiceStartError(
                        f"yarnemu: cannot listen for NodeManager {index} on its loopback address "
                        f"({error}); --hadoop-rpc gives each NodeManager an address of its own "
                        "in 127.0.0.0/8") from None
                self.rpc.serve_node(self.cluster.add_node_manager(node_id, resource, group.rack))
                index += 1

    def _log_application_state(self, event):
        """Application state changes go to the service log, worded as the RM's ``RMAppImpl``."""
        if isinstance(event, AppStateChanged):
            self.log.info("{application_id} State change from {old} to {new} on event = "
                          "{trigger}", application_id=str(event.application_id),
                          old=event.from_state.value, new=event.to_state.value,
                          trigger=event.trigger)

    def _rm_root(self):
        """
        The RM web address: the REST API (``/ws``, ``/cluster``), the web UI (``/``,
        ``/app/<id>``), Prometheus metrics (``/metrics``) and the web proxy (``/proxy``).
        """
        rm = self.cluster.rm
        root = ResourceManagerWebApp(rm, self._programs)
        root.putChild(b"metrics", PrometheusMetricsResource(rm))
        panels = (self._application_panels(self.cluster) if self._application_panels is not None
                  else None)
        ClusterWebUI(rm, application_panels=panels).mount(root)
        if self._proxy_targets is not None:
            targets = self._proxy_targets(self.cluster)
            if self.settings.container_executor == "process":
                # ApplicationMasters may be real processes: what is not in-process is over HTTP.
                targets = http_forward_targets(self._reactor, first=targets)
            root.putChild(b"proxy", WebProxyResource(
                self.cluster.rm.client_service, targets,
                rm_web_address=self.cluster.rm.webapp_address))
        return root

    def _listen(self, option, description, site):
        """Bind ``description`` now; :return: the bound address's URL."""
        try:
            endpoint = serverFromString(self._reactor, description)
        except (ValueError, TypeError, KeyError) as error:
            raise ServiceStartError(f"yarnemu: {option} {description!r} is not a valid endpoint: "
                                    f"{error}") from None
        outcome = []
        endpoint.listen(site).addBoth(outcome.append)
        if not outcome or isinstance(outcome[0], Failure):
            reason = outcome[0].getErrorMessage() if outcome else "it did not bind at once"
            raise ServiceStartError(f"yarnemu: cannot listen on {description} ({option}): "
                                    f"{reason}")
        port = outcome[0]
        self._ports.append(port)
        return _url_of(port.getHost())

    def _close_ports(self):
        ports, self._ports = self._ports, []
        return gatherResults([maybeDeferred(port.stopListening) for port in ports],
                             consumeErrors=True)

    def _stopped(self, result):
        self._remove_temporary_data()
        self.log.info("yarnemu: stopped")
        return result

    def _remove_temporary_data(self):
        if self._temporary_data_dir is not None:
            shutil.rmtree(self._temporary_data_dir, ignore_errors=True)
            self._temporary_data_dir = None


def _url_of(address):
    host = getattr(address, "host", "127.0.0.1")
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{address.port}"
