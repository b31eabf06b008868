"""
:class:`NodeManager`: one node's agent — it registers with the ResourceManager, heartbeats with
container statuses, starts and stops containers (``ContainerManagementProtocol``), localizes
their resources, runs them through a container executor and cleans up after applications.
"""

import os
import re
import shutil

from zope.interface import implementer

from yarnemu.errors import YarnException
from yarnemu.interfaces import IContainerManagementProtocol
from yarnemu.lifecycle.nmcontainer import ContainerEventType
from yarnemu.nodemanager.container import NMContainer
from yarnemu.nodemanager.environment import container_environment
from yarnemu.nodemanager.localizer import Localizer
from yarnemu.nodemanager.process_executor import ContainerSetup, IProcessContainerExecutor
from yarnemu.records.container_manager_protocol import (
    GetContainerStatusesResponse,
    StartContainersResponse,
    StopContainersResponse,
)
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.states import NMContainerState, NodeAction
from yarnemu.records.tracker_protocol import NodeHeartbeatRequest, RegisterNodeManagerRequest

__all__ = ["NodeManager", "NM_VERSION", "NMNotYetReadyException"]

NM_VERSION = "3.3.6-yarnemu"


class NMNotYetReadyException(YarnException):
    java_class = "org.apache.hadoop.yarn.exceptions.NMNotYetReadyException"


_KILLED_BY_AM = (ContainerExitStatus.KILLED_BY_APPMASTER, "Container killed by the ApplicationMaster.")
_KILLED_BY_RM = (ContainerExitStatus.KILLED_BY_RESOURCEMANAGER, "Container Killed by ResourceManager")
# Hadoop 3's wording (ContainerManagerImpl, ApplicationImpl): a NodeManager that shuts down
# finishes its applications, as an RM cleanup order does.
_KILLED_AFTER_APP = (ContainerExitStatus.KILLED_AFTER_APP_COMPLETION,
                     "Container killed on application-finish event: "
                     "Application killed by ResourceManager")
_KILLED_ON_SHUTDOWN = (ContainerExitStatus.KILLED_AFTER_APP_COMPLETION,
                       "Container killed on application-finish event: "
                       "Application killed on shutdown")

# yarn.nodemanager.linux-container-executor.nonsecure-mode.user-pattern's default; user names
# become directory names, so "." and ".." are refused too.
_USER_PATTERN = re.compile(r"[_.A-Za-z0-9][-@_.A-Za-z0-9]{0,255}?[$]?\Z")


@implementer(IContainerManagementProtocol)
class NodeManager:
    """
    :param clock: an ``IReactorTime``.
    :param config: the :class:`~yarnemu.config.YarnConfiguration`.
    :param node_id: this node's :class:`~yarnemu.records.NodeId`.
    :param resource: the :class:`~yarnemu.records.Resource` it offers.
    :param resource_tracker: the RM's ``ResourceTracker`` service.
    :param filesystem: the :class:`~yarnemu.dfs.FakeHDFS` resources are localized from.
    :param local_root: a directory of its own for local and log directories.
    :param executor: an ``IContainerExecutor``.  One whose containers are processes of this
        machine (an ``IProcessContainerExecutor``) also gets ``file:`` resources localized and
        gives each container its share of the machine's environment.
    :param events: the cluster's :class:`~yarnemu.events.EventLog`.
    :param heartbeats: a :class:`~yarnemu.nodemanager.heartbeat_wheel.HeartbeatWheel`.

    :ivar containers: container id → :class:`NMContainer`, until its application is cleaned up.
    """

    def __init__(self, clock, config, node_id, resource, resource_tracker, filesystem, local_root,
                 executor, events, heartbeats, rack="/default-rack", hadoop_conf_dir=""):
        self.clock = clock
        self.config = config
        self.node_id = node_id
        self.resource = resource
        self.rack = rack
        self.http_port = config.get_int("yarn.nodemanager.webapp.port")
        self.events = events
        self.executor = executor
        self.hadoop_conf_dir = hadoop_conf_dir
        self.local_dir = os.path.join(str(local_root), "local")
        self.log_root = os.path.join(str(local_root), "logs")
        self._process_executor = (executor if IProcessContainerExecutor.providedBy(executor)
                                  else None)
        self.localizer = Localizer(filesystem, self.local_dir,
                                   local_files=self._process_executor is not None)
        self.containers = {}
        self.running = False
        self._tracker = resource_tracker
        self._heartbeats = heartbeats
        self._heartbeat_handle = None
        self._response_id = 0
        self._changed = {}
        self._finishing_apps = set()

    @property
    def http_address(self):
        return f"{self.node_id.host}:{self.http_port}"

    # Lifecycle

    def start(self):
        """
        Register with the ResourceManager and start heartbeating.

        :return: ``True`` if the RM accepted the node.
        """
        response = self._tracker.register_node_manager(RegisterNodeManagerRequest(
            node_id=self.node_id, http_port=self.http_port, resource=self.resource,
            nm_version=NM_VERSION, rack_name=self.rack,
        ))
        if response.node_action is NodeAction.SHUTDOWN:
            self.events.log("NM", "ERROR", response.diagnostics_message, self.node_id)
            return False
        self._response_id = 0
        self.running = True
        if self._heartbeat_handle is None:
            self._heartbeat_handle = self._heartbeats.add(self.heartbeat)
        return True

    def stop(self):
        """
        Stop gracefully: finish every application here (their containers are killed with
        KILLED_AFTER_APP_COMPLETION, their files removed) and unregister, so the RM marks the
        node SHUTDOWN.
        """
        if not self.running:
            return
        self._halt()
        for application_id in sorted({c.application_id for c in self.containers.values()}):
            self._cleanup_application(application_id, _KILLED_ON_SHUTDOWN)
        self._tracker.unregister_node_manager(self.node_id)

    def fail(self):
        """
        The machine dies: heartbeats stop and every container's process is gone, with nothing
        reported.  The RM notices only when the node's liveness expires (it then goes LOST).
        """
        if not self.running:
            return
        self._halt()
        for container in self.containers.values():
            container.abandon()
        self.containers.clear()
        self._changed.clear()
        self._finishing_apps.clear()

    def _halt(self):
        self.running = False
        if self._heartbeat_handle is not None:
            self._heartbeats.remove(self._heartbeat_handle)
            self._heartbeat_handle = None

    # ContainerManagementProtocol

    def start_containers(self, requests):
        """
        Start containers; each failure is reported per container, not raised.

        :param requests: :class:`StartContainerRequest` values.
        :return: a :class:`StartContainersResponse`.
        """
        started = []
        failed = {}
        for request in requests:
            container = request.container
            error = self._refuse(container)
            if error is not None:
                failed[container.id] = error
                continue
            app = container.id.application_id
            user = container.user or "yarn"
            working_dir = os.path.join(self.local_dir, "usercache", user, "appcache", str(app),
                                       str(container.id))
            log_dir = os.path.join(self.log_root, str(app), str(container.id))
            os.makedirs(working_dir, exist_ok=True)
            os.makedirs(log_dir, exist_ok=True)
            nm_container = NMContainer(self, container, request.container_launch_context, user,
                                       working_dir, log_dir)
            self.containers[container.id] = nm_container
            nm_container.handle(ContainerEventType.INIT_CONTAINER)
            started.append(container.id)
        return StartContainersResponse(started, failed)

    def stop_containers(self, container_ids):
        """
        Stop containers, as their AM asks (exit status KILLED_BY_APPMASTER).

        :return: a :class:`StopContainersResponse`.
        """
        stopped = []
        failed = {}
        for container_id in container_ids:
            container = self.containers.get(container_id)
            if container is None:
                failed[container_id] = YarnException(
                    f"Container {container_id} is not handled by this NodeManager"
                )
                continue
            container.handle(ContainerEventType.KILL_CONTAINER, _KILLED_BY_AM)
            stopped.append(container_id)
        return StopContainersResponse(stopped, failed)

    def kill_container_process(self, container_id):
        """
        Make a running container's process die at once, as a crash or ``kill -9`` would: the
        container exits with code 137 and is reported to the RM like any exit.  Unlike
        :meth:`stop_containers`, nobody asked for it.

        :raise YarnException: if the container is not running on this node.
        """
        container = self.containers.get(container_id)
        if container is None or container.running is None:
            raise YarnException(f"Container {container_id} is not running on this NodeManager")
        container.running.kill()

    def get_container_statuses(self, container_ids):
        """:return: a :class:`GetContainerStatusesResponse`."""
        statuses = []
        failed = {}
        for container_id in container_ids:
            container = self.containers.get(container_id)
            if container is None:
                failed[container_id] = YarnException(
                    f"Container {container_id} is not handled by this NodeManager"
                )
            else:
                statuses.append(container.status())
        return GetContainerStatusesResponse(statuses, failed)

    def _refuse(self, container):
        if not self.running:
            return NMNotYetReadyException(
                "Rejecting new containers as NodeManager has not yet connected with "
                "ResourceManager"
            )
        if container.node_id != self.node_id:
            return YarnException(
                f"Container {container.id} is for NodeManager {container.node_id}, "
                f"not for this NodeManager {self.node_id}"
            )
        if container.id in self.containers:
            return YarnException(f"Container {container.id} already is running on this node!!")
        user = container.user or "yarn"
        if not _USER_PATTERN.match(user) or user in (".", ".."):
            return YarnException(
                f"Invalid user name '{user}' for container {container.id}: it should match "
                f"{_USER_PATTERN.pattern[:-2]}"
            )
        if container.id.application_id in self._finishing_apps:
            return YarnException(
                f"Application {container.id.application_id} is finishing: no new containers"
            )
        return None

    # Heartbeats

    def heartbeat(self, now_ms):
        """
        Heartbeat to the ResourceManager: a quiet one when no container changed, a full one with
        the changed statuses otherwise (or when the RM has orders for this node).
        """
        if not self._changed:
            if not self.running:
                return
            # Looked up on the tracker each time, not kept as a bound method: at 50,000 nodes one
            # object less to bring into the cache per heartbeat is worth about 8%.
            response_id = self._tracker.quiet_heartbeat(self.node_id, self._response_id, now_ms)
            if response_id is not None:
                self._response_id = response_id
                return
        elif not self.running:
            return
        statuses = tuple(self._changed.values())
        response = self._tracker.node_heartbeat(NodeHeartbeatRequest(
            self.node_id, self._response_id, statuses,
        ))
        if response.node_action is NodeAction.RESYNC:
            self._resync(response.diagnostics_message)
            return
        if response.node_action is NodeAction.SHUTDOWN:
            self.events.log("NM", "ERROR", response.diagnostics_message, self.node_id)
            self.stop()
            return
        for status in statuses:
            if self._changed.get(status.container_id) is status:
                del self._changed[status.container_id]
        self._response_id = response.response_id
        for container_id in response.containers_to_cleanup:
            container = self.containers.get(container_id)
            if container is not None:
                container.handle(ContainerEventType.KILL_CONTAINER, _KILLED_BY_RM)
        for application_id in response.applications_to_cleanup:
            self._cleanup_application(application_id)

    def _resync(self, diagnostics):
        # The RM lost track of this node (it expired it, or restarted): what ran here is gone.
        self.events.log("NM", "WARN", f"Node is out of sync with ResourceManager: {diagnostics}",
                        self.node_id)
        for container in list(self.containers.values()):
            container.handle(ContainerEventType.KILL_CONTAINER, _KILLED_BY_RM)
        self._changed.clear()
        self._halt()
        self.start()

    # Called by containers

    def status_changed(self, container):
        self._changed[container.container_id] = container.status()

    def container_done(self, container):
        application_id = container.application_id
        if application_id in self._finishing_apps:
            self._maybe_remove_application(application_id)

    def container_environment(self, container):
        """:return: the environment a container runs with."""
        app = container.application_id
        nm_environment = {
            "CONTAINER_ID": str(container.container_id),
            "NM_HOST": self.node_id.host,
            "NM_PORT": str(self.node_id.port),
            "NM_HTTP_PORT": str(self.http_port),
            "LOCAL_DIRS": os.path.join(self.local_dir, "usercache", container.user, "appcache",
                                       str(app)),
            "LOCAL_USER_DIRS": os.path.join(self.local_dir, "usercache", container.user) + "/",
            "LOG_DIRS": container.log_dir,
            "USER": container.user,
            "LOGNAME": container.user,
            "HOME": "/home/",
            "PWD": container.working_dir,
            "HADOOP_CONF_DIR": self.hadoop_conf_dir,
            "HADOOP_TOKEN_FILE_LOCATION": os.path.join(container.working_dir, "container_tokens"),
        }
        inherited = None
        if self._process_executor is not None:
            inherited = self._process_executor.inherited_environment
            nm_environment.update(self._process_executor.prepare_container(ContainerSetup(
                container.container_id, self.node_id, container.user, container.working_dir,
                container.log_dir, container.launch_context.commands, nm_environment,
                container.launch_context.tokens,
            )))
        return container_environment(container.launch_context.environment, nm_environment,
                                     container.log_dir, inherited)

    # Application cleanup

    def _cleanup_application(self, application_id, kill=_KILLED_AFTER_APP):
        self._finishing_apps.add(application_id)
        for container in list(self.containers.values()):
            if container.application_id == application_id:
                container.handle(ContainerEventType.KILL_CONTAINER, kill)
        self._maybe_remove_application(application_id)

    def _maybe_remove_application(self, application_id):
        mine = [c for c in self.containers.values() if c.application_id == application_id]
        if any(c.state is not NMContainerState.DONE for c in mine):
            return
        users = {c.user for c in mine}
        for container in mine:
            del self.containers[container.container_id]
        directories = [os.path.join(self.local_dir, "usercache", user, "appcache",
                                    str(application_id)) for user in sorted(users)]
        self.localizer.forget_application(application_id)
        self._finishing_apps.discard(application_id)
        # As the NM's DeletionService: after yarn.nodemanager.delete.debug-delay-sec, if set.
        delay = self.config.get_int("yarn.nodemanager.delete.debug-delay-sec")
        if delay > 0:
            self.clock.callLater(delay, _remove_directories, directories)
        else:
            _remove_directories(directories)


def _remove_directories(directories):
    for directory in directories:
        shutil.rmtree(directory, ignore_errors=True)

