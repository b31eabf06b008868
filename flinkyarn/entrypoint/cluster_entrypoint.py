"""
:class:`YarnClusterEntrypoint`: what the three YARN cluster entrypoints share, as Flink's
``ClusterEntrypoint`` with ``YarnEntrypointUtils``.

Started in the application master's container, it reads the staged configuration, sets
``jobmanager.rpc.address``/``rest.address`` to its host (``NM_HOST``) and binds its RPC service and
REST endpoint to ephemeral ports, then starts the ResourceManager (whose YARN driver registers the
application master, with the REST port as its RPC port and the web interface as its tracking
URL), the Dispatcher and the REST endpoint.  Shutting down deregisters from YARN with the final
status the application status maps to, deletes the staging directory, and exits with the
application status's exit code ("Terminating cluster entrypoint process … with exit code …").
"""

import zlib

from flinkyarn.config import options
from flinkyarn.ids import IdGenerator, ResourceID
from flinkyarn.runtime.dispatcher.dispatcher import SESSION, Dispatcher
from flinkyarn.runtime.gateways import resource_manager_address
from flinkyarn.runtime.jobmaster.savepoint_storage import SavepointStorage
from flinkyarn.runtime.process import FlinkProcess
from flinkyarn.runtime.resourcemanager.resource_manager import ResourceManager
from flinkyarn.runtime.resourcemanager.yarn_driver import YarnResourceManagerDriver
from flinkyarn.runtime.rest.endpoint import RestEndpoint
from flinkyarn.runtime.rpc import RpcService


__all__ = ["YarnClusterEntrypoint", "STARTUP_FAILURE_EXIT_CODE", "RUNTIME_FAILURE_EXIT_CODE"]

_LOGGER = "org.apache.flink.runtime.entrypoint.ClusterEntrypoint"

STARTUP_FAILURE_EXIT_CODE = 1
"""``ClusterEntrypoint.STARTUP_FAILURE_RETURN_CODE``: the entrypoint could not start."""

RUNTIME_FAILURE_EXIT_CODE = 2
"""``ClusterEntrypoint.RUNTIME_FAILURE_RETURN_CODE``: a fatal error once it ran."""


class YarnClusterEntrypoint(FlinkProcess):
    """
    Base of the YARN cluster entrypoints; subclasses set :attr:`mode` and may override
    :meth:`start_application`.

    :ivar resource_manager: the process's Flink ResourceManager.
    :ivar dispatcher: its Dispatcher.
    :ivar rest: its :class:`~flinkyarn.runtime.rest.endpoint.RestEndpoint`.
    :ivar str web_interface_url: ``http://<host>:<rest port>``.
    """

    mode = SESSION
    entrypoint_class = "YarnSessionClusterEntrypoint"
    detached = True
    _shutting_down = False

    def start_components(self):
        context = self.context
        environment = context.environment
        name = self.entrypoint_class
        self.log.info(_LOGGER, f"Starting {name}.")
        if "PWD" not in environment:
            raise RuntimeError("Working directory variable (PWD) not set")
        user = environment.get("HADOOP_USER_NAME", context.user)
        self.log.info(f"org.apache.flink.yarn.entrypoint.{name}",
                      f"YARN daemon is running as: {user} Yarn client user obtainer: {user}")
        network = context.endpoints.network
        self.rpc = RpcService(network, self.host, context.clock)
        self.rest = None
        self.rest_port = network.bind(self.host, 0, _Unavailable(), owner=context.clock)
        self.web_interface_url = f"http://{self.host}:{self.rest_port}"
        self.config = self.config.with_values({
            options.JM_RPC_ADDRESS.key: self.host,
            options.JM_RPC_PORT.key: str(self.rpc.port),
            options.REST_ADDRESS.key: self.host,
            options.REST_PORT.key: str(self.rest_port),
            options.HIGH_AVAILABILITY_CLUSTER_ID.key: str(self.application_id),
        })
        self.resource_id = ResourceID(str(self.container_id))
        self.ids = IdGenerator(zlib.crc32(str(self.container_id).encode()))
        self._shutting_down = False
        events = context.endpoints.events
        driver = YarnResourceManagerDriver(context, self.config, self.log, self.host,
                                           self.rpc.port, self.rest_port, self.web_interface_url)
        self.resource_manager = ResourceManager(
            self.rpc, self.config, self.log, context.clock, events, self.application_id, driver,
            self.resource_id, self.fixed_workers(), fatal_error_handler=self.fail_fatally,
            ids=self.ids)
        self.resource_manager.start()
        self.dispatcher = Dispatcher(
            self.rpc, self.config, self.log, context.clock, events, self.application_id,
            self.resource_id, resource_manager_address(self.host, self.rpc.port), self.ids,
            self.shut_down, mode=self.mode, detached=self.detached,
            savepoint_storage=SavepointStorage(context.endpoints.filesystem, user, self.ids))
        self.dispatcher.start()
        self.rest = RestEndpoint(self.dispatcher, self.resource_manager, self.config, context.clock)
        network.unbind(self.host, self.rest_port)
        network.bind(self.host, self.rest_port, self.rest, owner=context.clock)
        self.log.info("org.apache.flink.runtime.dispatcher.DispatcherRestEndpoint",
                      f"Rest endpoint listening at {self.host}:{self.rest_port}")
        self.log.info("org.apache.flink.runtime.dispatcher.DispatcherRestEndpoint",
                      f"Web frontend listening at {self.web_interface_url}.")
        self.start_application()

    def start_application(self):
        """Mode-specific start (per-job: submit the job; application: run ``main()``)."""

    def fixed_workers(self):
        """
        :return: ``None`` for TaskManagers on demand; for a standalone session
            (``flinkyarn.session.standalone-taskmanagers``) the fixed number of TaskManagers.
        """
        return None

    def shut_down(self, status, diagnostics=""):
        """Deregister from YARN with ``status`` (an ``ApplicationStatus``) and exit."""
        if self._shutting_down:
            return
        self._shutting_down = True
        self.log.info(_LOGGER, f"Shutting {self.entrypoint_class} down with application status "
                               f"{status.value}. Diagnostics {diagnostics or 'null'}.")
        d = self.resource_manager.deregister_application(status, diagnostics or None)
        d.addBoth(lambda _: self._exit(status))

    def _exit(self, status):
        code = status.process_exit_code
        self.log.info(_LOGGER, f"Terminating cluster entrypoint process {self.entrypoint_class} "
                               f"with exit code {code}.")
        self.resource_manager.stop()
        self.rpc.stop()
        self.context.endpoints.network.unbind(self.host, self.rest_port)
        self.context.exit(code)

    def fail_to_start(self, error):
        """``runClusterEntrypoint``: "Could not start cluster entrypoint …", exit code 1."""
        self._shutting_down = True
        self.log.error(_LOGGER, f"Could not start cluster entrypoint {self.entrypoint_class}. "
                                f"{error}")
        self.exit_with_error(STARTUP_FAILURE_EXIT_CODE, error)

    def fail_fatally(self, error):
        """``ClusterEntrypoint.onFatalError``: the process exits at once with code 2."""
        self._shutting_down = True
        self.log.error(_LOGGER, f"Fatal error occurred in the cluster entrypoint. {error}")
        self.exit_with_error(RUNTIME_FAILURE_EXIT_CODE, error)


class _Unavailable:
    """
    What holds the REST port from the moment it is chosen (the configuration the components
    are built with names it) until the endpoint replaces it; should anything call it in between,
    it answers 503 as a starting endpoint does.
    """

    def __getattr__(self, name):
        from flinkyarn.runtime.gateways import RestHandlerException

        def refuse(*args, **kwargs):
            raise RestHandlerException(503, "The REST endpoint is starting.")

        return refuse


