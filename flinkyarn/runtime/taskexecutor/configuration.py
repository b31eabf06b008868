"""
:class:`TaskManagerConfiguration`: what a TaskExecutor reads from its configuration, read once
and checked when the process starts (Flink's ``TaskManagerConfiguration``), with the simulated
timings of its tasks.
"""

from attrs import frozen

from flinkyarn.config import TaskExecutorProcessSpec
from flinkyarn.config import options as o

__all__ = ["TaskManagerConfiguration"]


@frozen
class TaskManagerConfiguration:
    """
    :ivar TaskExecutorProcessSpec resource_spec: the process's resources.
    :ivar int num_slots: ``taskmanager.numberOfTaskSlots``.
    :ivar int max_registration_ms: ``taskmanager.registration.timeout``.
    :ivar int initial_registration_timeout_ms: ``cluster.registration.initial-timeout``.
    :ivar int max_registration_timeout_ms: ``cluster.registration.max-timeout``.
    :ivar int registration_error_delay_ms: ``cluster.registration.error-delay``.
    :ivar int slot_timeout_ms: ``pekko.ask.timeout``.
    :ivar int heartbeat_timeout_ms: ``heartbeat.timeout``.
    :ivar int deploy_ms: ``flinkyarn.simulation.task.deploy-time``.
    :ivar int initialize_ms: ``flinkyarn.simulation.task.initialize-time``.
    :ivar int end_of_input_ms: ``flinkyarn.simulation.task.end-of-input-time``, also how long a
        cancelled or failed task takes to stop.
    :ivar int checkpoint_ms: ``flinkyarn.simulation.checkpoint.duration``.
    :ivar float default_source_rate: ``flinkyarn.simulation.source.default-rate``.
    :ivar int request_backoff_initial_ms: ``taskmanager.network.request-backoff.initial``.
    :ivar int request_backoff_max_ms: ``taskmanager.network.request-backoff.max``.
    :ivar rest_address: ``rest.address``: where its cluster's REST endpoint is (``None`` if
        not known), for the client a driver task runs.
    :ivar rest_port: ``rest.port`` of that endpoint, or ``None``.
    """

    resource_spec: TaskExecutorProcessSpec
    num_slots: int
    max_registration_ms: int
    initial_registration_timeout_ms: int
    max_registration_timeout_ms: int
    registration_error_delay_ms: int
    slot_timeout_ms: int
    heartbeat_timeout_ms: int
    deploy_ms: int
    initialize_ms: int
    end_of_input_ms: int
    checkpoint_ms: int
    default_source_rate: float
    request_backoff_initial_ms: int
    request_backoff_max_ms: int
    rest_address: str | None = None
    rest_port: int | None = None

    @classmethod
    def from_configuration(cls, config):
        """
        :param config: the process's :class:`~flinkyarn.config.Configuration`.
        :raise IllegalConfigurationException: for a value that does not parse, or memory sizes
            that do not add up.
        """
        return cls(
            resource_spec=TaskExecutorProcessSpec.from_config(config),
            num_slots=config.get(o.NUM_TASK_SLOTS),
            max_registration_ms=config.get(o.TM_REGISTRATION_TIMEOUT).millis,
            initial_registration_timeout_ms=config.get(o.REGISTRATION_INITIAL_TIMEOUT),
            max_registration_timeout_ms=config.get(o.REGISTRATION_MAX_TIMEOUT),
            registration_error_delay_ms=config.get(o.REGISTRATION_ERROR_DELAY),
            slot_timeout_ms=config.get(o.ASK_TIMEOUT).millis,
            heartbeat_timeout_ms=config.get(o.HEARTBEAT_TIMEOUT),
            deploy_ms=config.get(o.SIM_TASK_DEPLOY).millis,
            initialize_ms=config.get(o.SIM_TASK_INITIALIZE).millis,
            end_of_input_ms=config.get(o.SIM_TASK_FLUSH).millis,
            checkpoint_ms=config.get(o.SIM_CHECKPOINT_DURATION).millis,
            default_source_rate=config.get(o.SIM_SOURCE_RATE),
            request_backoff_initial_ms=config.get(o.NETWORK_REQUEST_BACKOFF_INITIAL),
            request_backoff_max_ms=config.get(o.NETWORK_REQUEST_BACKOFF_MAX),
            rest_address=config.get(o.REST_ADDRESS),
            rest_port=config.get(o.REST_PORT) if config.contains(o.REST_ADDRESS) else None,
        )
