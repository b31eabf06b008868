"""
:class:`YarnTaskExecutorRunner`: the TaskManager process in a YARN container
(``org.apache.flink.yarn.YarnTaskExecutorRunner``), a yarnemu container program::

    ProgramRegistry({TASK_EXECUTOR_RUNNER: YarnTaskExecutorRunner})

Its command line is ``--configDir .`` and ``-D`` dynamic properties over the staged
``flink-conf.yaml``.  After the simulated JVM start-up
(``flinkyarn.simulation.taskmanager.startup-time``) it starts an RPC service on its host,
its data (shuffle) server on the next free port of the host, and the
:class:`~flinkyarn.runtime.taskexecutor.task_executor.TaskExecutor`, which registers at the
ResourceManager of the JobManager process at ``jobmanager.rpc.address``:``jobmanager.rpc.port``.

It ends only when its container is stopped (SIGTERM: it says goodbye to the ResourceManager and
the JobMasters and exits with 143) or on a fatal error (exit code 1): the registration was
declined, or did not succeed within ``taskmanager.registration.timeout``.
"""

from flinkyarn.config import IllegalConfigurationException
from flinkyarn.config import options as o
from flinkyarn.ids import ResourceID
from flinkyarn.runtime.gateways import resource_manager_address
from flinkyarn.runtime.messages import SerializedThrowable
from flinkyarn.runtime.process import SIGTERM_EXIT_CODE, FlinkProcess
from flinkyarn.runtime.rpc import RpcService
from flinkyarn.runtime.taskexecutor.configuration import TaskManagerConfiguration
from flinkyarn.runtime.taskexecutor.partitions import PartitionRequestServer, ResultPartitionManager
from flinkyarn.runtime.taskexecutor.task_executor import TaskExecutor

__all__ = ["YarnTaskExecutorRunner", "RESOURCE_ID_KEY"]

RESOURCE_ID_KEY = "taskmanager.resource-id"
"""The TaskExecutor's ResourceID, which Flink's YARN ResourceManager sets to the container id."""

_RUNNER_LOGGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"
_SIGNAL_LOGGER = "org.apache.flink.runtime.util.SignalHandler"
_FATAL_EXIT_CODE = 1


class YarnTaskExecutorRunner(FlinkProcess):
    """
    :ivar task_executor: the :class:`TaskExecutor`, once started.
    :ivar partitions: the process's ``ResultPartitionManager``, once started.
    """

    log_file = "taskmanager.log"
    source = "TaskManager"
    startup_option = "flinkyarn.simulation.taskmanager.startup-time"

    task_executor = None
    partitions = None

    def start_components(self):
        context = self.context
        config = self.config
        resource_id = ResourceID(config.get(RESOURCE_ID_KEY) or str(self.container_id))
        rm_host = config.get(o.JM_RPC_ADDRESS)
        if not rm_host:
            raise IllegalConfigurationException(
                f"Config parameter '{o.JM_RPC_ADDRESS.java_string()}' is missing "
                "(hostname/address of JobManager to connect to).")
        configuration = TaskManagerConfiguration.from_configuration(config)
        network = context.endpoints.network
        self.log.info(_RUNNER_LOGGER, f"Starting TaskManager with ResourceID: {resource_id}")
        rpc_service = RpcService(network, self.host, context.clock)
        self.partitions = ResultPartitionManager()
        data_port = network.bind(self.host, 0, PartitionRequestServer(self.partitions),
                                 owner=context.clock)
        self.task_executor = TaskExecutor(
            rpc_service=rpc_service,
            resource_id=resource_id,
            configuration=configuration,
            resource_manager_address=resource_manager_address(rm_host,
                                                              config.get(o.JM_RPC_PORT)),
            data_host=self.host,
            data_port=data_port,
            partitions=self.partitions,
            node_id=self.host,
            log=self.log,
            events=getattr(context.endpoints, "events", None),
            application_id=self.application_id,
            on_fatal_error=self._shut_down_after_fatal_error,
        )
        self.task_executor.start()

    def _shut_down_after_fatal_error(self, error):
        self.log.error(_RUNNER_LOGGER, "Fatal error occurred while executing the TaskManager. "
                                       "Shutting it down...")
        self.task_executor.shut_down()
        self.context.exit(_FATAL_EXIT_CODE, str(SerializedThrowable.of(error)))

    def fail_fatally(self, error):
        """A fatal error while starting (a bad configuration): log it and exit 1."""
        self.log.error(_RUNNER_LOGGER, f"Fatal error occurred while executing the TaskManager. "
                                       f"Shutting it down... {SerializedThrowable.of(error)}")
        self.context.write_stderr(f"{SerializedThrowable.of(error)}\n")
        self.context.exit(_FATAL_EXIT_CODE, str(SerializedThrowable.of(error)))

    def terminate(self):
        """SIGTERM: the signal is logged, the TaskExecutor says goodbye, the JVM exits with 143."""
        self.log.info(_SIGNAL_LOGGER, "RECEIVED SIGNAL 15: SIGTERM. Shutting down as requested.")
        if self.task_executor is not None:
            self.task_executor.shut_down()
        self.context.exit(SIGTERM_EXIT_CODE, "Terminated")
