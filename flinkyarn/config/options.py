"""
The Flink configuration options the emulator reads: key, value type, Flink's default, fallback
and deprecated keys, and one line of description, as declared in Flink's ``*Options`` classes
(``TaskManagerOptions``, ``JobManagerOptions``, ``YarnConfigOptions``, ``RestartStrategyOptions``,
``HeartbeatManagerOptions``, ``ResourceManagerOptions``, ``ExecutionCheckpointingOptions``, …).

Target semantics are Flink 1.17 to 1.20. Where releases differ, :attr:`Option.version_defaults`
says from which release a default changed. Flink 2.x differences are noted in descriptions only:
2.0 turned many ``Long`` millisecond options (``heartbeat.*``, ``slot.*``,
``resourcemanager.taskmanager-timeout``, ``yarn.heartbeat.container-request-interval``) into
durations and ``yarn.application-attempts`` into an ``Integer``; this table keeps 1.x types.

``taskmanager.memory.process.size`` and ``jobmanager.memory.process.size`` have no default in
code: the values Flink's distribution ships in its configuration file are
:data:`SHIPPED_DEFAULTS`, which :meth:`Configuration.shipped_default
<flinkyarn.config.configuration.Configuration.shipped_default>` starts from.

Keys under ``flinkyarn.`` are this emulator's own knobs.
"""

from types import MappingProxyType
from typing import Any

from attrs import field, frozen

from flinkyarn.config import option_types as types
from flinkyarn.config.values import (
    JAVA_INT_MAX,
    Duration,
    MemorySize,
    format_java_double,
    format_java_float,
    to_java_float,
)
from flinkyarn.config.version import DEFAULT_VERSION, V1_19

__all__ = ["FallbackKey", "Option", "OPTIONS", "SHIPPED_DEFAULTS", "option_for"]


@frozen
class FallbackKey:
    """
    Another key an option is read from when its own key is not set.

    :ivar str key:
    :ivar bool deprecated: Flink's ``withDeprecatedKeys`` (``True``) or ``withFallbackKeys``.
    """

    key: str
    deprecated: bool


@frozen
class Option:
    """
    One configuration option.

    :ivar str key: the key.
    :ivar value_type: a :class:`~flinkyarn.config.option_types.ValueType` or
        :class:`~flinkyarn.config.option_types.ChoiceType`.
    :ivar default: Flink's default (for the default version), or ``None`` for "(none)".
    :ivar str description: one line.
    :ivar tuple fallback_keys: :class:`FallbackKey` values, tried in order after :attr:`key`.
    :ivar minimum: the smallest valid value, or ``None``.
    :ivar maximum: the largest valid value, or ``None``.
    :ivar str range_message: what to say when the value is out of range (Flink's words where
        Flink checks the range).
    :ivar tuple version_defaults: ``(FlinkVersion, default)`` pairs, in increasing version:
        from that release on, the default is the given one.
    """

    key: str
    value_type: Any
    default: Any = None
    description: str = ""
    fallback_keys: tuple = field(default=(), converter=tuple)
    minimum: Any = None
    maximum: Any = None
    range_message: str = ""
    version_defaults: tuple = field(default=(), converter=tuple)

    @property
    def keys(self):
        """:return: :attr:`key`, then the fallback keys, in lookup order."""
        return (self.key,) + tuple(fallback.key for fallback in self.fallback_keys)

    def default_for(self, version=DEFAULT_VERSION):
        """:return: the default in Flink ``version``."""
        default = self.default
        for since, changed in self.version_defaults:
            if version >= since:
                default = changed
        return default

    def check(self, value):
        """
        :return: ``None`` if ``value`` is in range, else a message saying why not.
        """
        if value is None:
            return None
        if self.minimum is not None and value < self.minimum:
            return self.range_message or f"must be at least {self.minimum}"
        if self.maximum is not None and value > self.maximum:
            return self.range_message or f"must be at most {self.maximum}"
        return None

    def java_string(self):
        """
        :return: Flink's ``ConfigOption.toString()``, which some of Flink's messages embed:
            ``Key: 'taskmanager.memory.flink.size' , default: null (fallback keys: [])``.
        """
        fallbacks = ", ".join(
            f"{{key={fallback.key}, isDeprecated={str(fallback.deprecated).lower()}}}"
            for fallback in self.fallback_keys)
        return f"Key: '{self.key}' , default: {_java_default(self)} (fallback keys: [{fallbacks}])"


def _java_default(option):
    default = option.default
    if default is None:
        return "null"
    if isinstance(default, bool):
        return str(default).lower()
    if option.value_type is types.FLOAT:
        return format_java_float(default)
    if isinstance(default, float):
        return format_java_double(default)
    return str(default)


_declared = []


def _option(key, value_type, default=None, description="", *, fallback=(), deprecated=(),
            minimum=None, maximum=None, range_message="", since=()):
    if value_type is types.FLOAT and default is not None:
        default = to_java_float(default)  # a Java float literal such as 0.4f
    option = Option(
        key=key,
        value_type=value_type,
        default=default,
        description=description,
        fallback_keys=[FallbackKey(k, False) for k in fallback]
        + [FallbackKey(k, True) for k in deprecated],
        minimum=minimum,
        maximum=maximum,
        range_message=range_message,
        version_defaults=since,
    )
    _declared.append(option)
    return option


_mb = MemorySize.of_mebibytes

# ---------------------------------------------------------------------------------------------
# TaskManager memory (TaskManagerOptions; docs "Set up TaskManager Memory")

TM_TOTAL_PROCESS_MEMORY = _option(
    "taskmanager.memory.process.size", types.MEMORY, None,
    "Total Process Memory of a TaskExecutor (the YARN container size); no default in code, the "
    "shipped configuration file sets 1728m.")
TM_TOTAL_FLINK_MEMORY = _option(
    "taskmanager.memory.flink.size", types.MEMORY, None,
    "Total Flink Memory of a TaskExecutor: everything but JVM Metaspace and JVM Overhead.")
TM_FRAMEWORK_HEAP_MEMORY = _option(
    "taskmanager.memory.framework.heap.size", types.MEMORY, _mb(128),
    "JVM heap reserved for the TaskExecutor framework, not given to slots.")
TM_FRAMEWORK_OFF_HEAP_MEMORY = _option(
    "taskmanager.memory.framework.off-heap.size", types.MEMORY, _mb(128),
    "Off-heap (direct and native) memory reserved for the TaskExecutor framework.")
TM_TASK_HEAP_MEMORY = _option(
    "taskmanager.memory.task.heap.size", types.MEMORY, None,
    "JVM heap for tasks; derived as the rest of Total Flink Memory if not set.")
TM_TASK_OFF_HEAP_MEMORY = _option(
    "taskmanager.memory.task.off-heap.size", types.MEMORY, MemorySize.ZERO,
    "Off-heap memory for tasks.")
TM_MANAGED_MEMORY_SIZE = _option(
    "taskmanager.memory.managed.size", types.MEMORY, None,
    "Managed (off-heap) memory; derived from the managed fraction if not set.",
    deprecated=["taskmanager.memory.size"])
TM_MANAGED_MEMORY_FRACTION = _option(
    "taskmanager.memory.managed.fraction", types.FLOAT, 0.4,
    "Fraction of Total Flink Memory used as managed memory if its size is not set.")
TM_NETWORK_MEMORY_MIN = _option(
    "taskmanager.memory.network.min", types.MEMORY, _mb(64),
    "Lower bound of network memory.",
    deprecated=["taskmanager.network.memory.min"])
TM_NETWORK_MEMORY_MAX = _option(
    "taskmanager.memory.network.max", types.MEMORY, MemorySize.MAX_VALUE,
    "Upper bound of network memory; infinite (Long.MAX_VALUE bytes) since Flink 1.17 "
    "(FLINK-30472, FLIP-266), 1g before.",
    deprecated=["taskmanager.network.memory.max"])
TM_NETWORK_MEMORY_FRACTION = _option(
    "taskmanager.memory.network.fraction", types.FLOAT, 0.1,
    "Fraction of Total Flink Memory used as network memory, within min and max.",
    deprecated=["taskmanager.network.memory.fraction"])
TM_JVM_METASPACE = _option(
    "taskmanager.memory.jvm-metaspace.size", types.MEMORY, _mb(256),
    "JVM Metaspace of a TaskExecutor.")
TM_JVM_OVERHEAD_MIN = _option(
    "taskmanager.memory.jvm-overhead.min", types.MEMORY, _mb(192),
    "Lower bound of a TaskExecutor's JVM Overhead.")
TM_JVM_OVERHEAD_MAX = _option(
    "taskmanager.memory.jvm-overhead.max", types.MEMORY, _mb(1024),
    "Upper bound of a TaskExecutor's JVM Overhead.")
TM_JVM_OVERHEAD_FRACTION = _option(
    "taskmanager.memory.jvm-overhead.fraction", types.FLOAT, 0.1,
    "Fraction of Total Process Memory reserved for JVM Overhead, within min and max.")
TM_LEGACY_HEAP_MEMORY = _option(
    "taskmanager.heap.size", types.MEMORY, None,
    "Deprecated (pre-1.10) TaskManager size; on YARN read as taskmanager.memory.process.size "
    "when no new size is set.")
TM_LEGACY_HEAP_MEMORY_MB = _option(
    "taskmanager.heap.mb", types.INT, None,
    "Deprecated (pre-1.10) TaskManager size in MB; read like taskmanager.heap.size.")

# ---------------------------------------------------------------------------------------------
# TaskManager resources

NUM_TASK_SLOTS = _option(
    "taskmanager.numberOfTaskSlots", types.INT, 1,
    "Slots per TaskManager.",
    minimum=1, range_message="Number of task slots must be at least one.")
CPU_CORES = _option(
    "taskmanager.cpu.cores", types.DOUBLE, None,
    "CPU cores of a TaskExecutor; internal in Flink, rounded up to whole vcores on YARN.")
TM_REGISTRATION_TIMEOUT = _option(
    "taskmanager.registration.timeout", types.DURATION, Duration.of_minutes(5),
    "How long a TaskExecutor tries to register before it gives up.",
    deprecated=["taskmanager.maxRegistrationDuration"])

# ---------------------------------------------------------------------------------------------
# JobManager memory (JobManagerOptions; docs "Set up JobManager Memory")

JM_TOTAL_PROCESS_MEMORY = _option(
    "jobmanager.memory.process.size", types.MEMORY, None,
    "Total Process Memory of the JobManager (the AM container size); no default in code, the "
    "shipped configuration file sets 1600m.")
JM_TOTAL_FLINK_MEMORY = _option(
    "jobmanager.memory.flink.size", types.MEMORY, None,
    "Total Flink Memory of the JobManager: JVM heap plus off-heap memory.")
JM_JVM_HEAP_MEMORY = _option(
    "jobmanager.memory.heap.size", types.MEMORY, None,
    "JVM heap of the JobManager; derived as Total Flink Memory minus off-heap if not set.")
JM_OFF_HEAP_MEMORY = _option(
    "jobmanager.memory.off-heap.size", types.MEMORY, _mb(128),
    "Off-heap memory of the JobManager.")
JM_JVM_DIRECT_MEMORY_LIMIT_ENABLED = _option(
    "jobmanager.memory.enable-jvm-direct-memory-limit", types.BOOLEAN, False,
    "Whether the JobManager JVM gets -XX:MaxDirectMemorySize.")
JM_JVM_METASPACE = _option(
    "jobmanager.memory.jvm-metaspace.size", types.MEMORY, _mb(256),
    "JVM Metaspace of the JobManager.")
JM_JVM_OVERHEAD_MIN = _option(
    "jobmanager.memory.jvm-overhead.min", types.MEMORY, _mb(192),
    "Lower bound of the JobManager's JVM Overhead.")
JM_JVM_OVERHEAD_MAX = _option(
    "jobmanager.memory.jvm-overhead.max", types.MEMORY, _mb(1024),
    "Upper bound of the JobManager's JVM Overhead.")
JM_JVM_OVERHEAD_FRACTION = _option(
    "jobmanager.memory.jvm-overhead.fraction", types.FLOAT, 0.1,
    "Fraction of Total Process Memory reserved for JVM Overhead, within min and max.")
JM_LEGACY_HEAP_MEMORY = _option(
    "jobmanager.heap.size", types.MEMORY, None,
    "Deprecated (pre-1.11) JobManager size; on YARN read as jobmanager.memory.process.size "
    "when no new size is set.")
JM_LEGACY_HEAP_MEMORY_MB = _option(
    "jobmanager.heap.mb", types.INT, None,
    "Deprecated (pre-1.11) JobManager size in MB; read like jobmanager.heap.size.")

# ---------------------------------------------------------------------------------------------
# JobManager, scheduling, execution

JM_RPC_ADDRESS = _option(
    "jobmanager.rpc.address", types.STRING, None,
    "JobManager RPC address; on YARN set by the entrypoint to the AM host.")
JM_RPC_PORT = _option(
    "jobmanager.rpc.port", types.INT, 6123,
    "JobManager RPC port.")
DEFAULT_PARALLELISM = _option(
    "parallelism.default", types.INT, 1,
    "Parallelism of jobs that do not set their own.")
FAILOVER_STRATEGY = _option(
    "jobmanager.execution.failover-strategy", types.choice("failover strategy", "region", "full"),
    "region",
    "Which tasks restart after a failure: the failed pipelined region(s), or all.")
SLOT_REQUEST_TIMEOUT = _option(
    "slot.request.timeout", types.LONG, 5 * 60 * 1000,
    "Milliseconds before a pending slot request fails the job (Duration in 2.0).",
    minimum=1, range_message="must be positive")
SLOT_IDLE_TIMEOUT = _option(
    "slot.idle.timeout", types.LONG, 50000,
    "Milliseconds before an idle slot returns to its TaskExecutor; matches heartbeat.timeout "
    "(Duration in 2.0).")
CHECKPOINTING_INTERVAL = _option(
    "execution.checkpointing.interval", types.DURATION, None,
    "Checkpoint interval; checkpointing is disabled when unset.",
    minimum=Duration.of_millis(10),
    range_message="Checkpoint interval must be larger than or equal to 10 ms")
MAX_RETAINED_CHECKPOINTS = _option(
    "state.checkpoints.num-retained", types.INT, 1,
    "Completed checkpoints kept; Flink 1.20 renamed it execution.checkpointing.num-retained.",
    fallback=["execution.checkpointing.num-retained"],
    minimum=1, range_message="must be at least 1")
EXECUTION_TARGET = _option(
    "execution.target", types.STRING, None,
    "Deployment target: yarn-session, yarn-per-job (1.x only), yarn-application, …")
EXECUTION_ATTACHED = _option(
    "execution.attached", types.BOOLEAN, False,
    "Whether the client waits for the job (attached) or returns after submission.")
SHUTDOWN_IF_ATTACHED = _option(
    "execution.shutdown-on-attached-exit", types.BOOLEAN, False,
    "Whether an attached per-job cluster shuts down when the client exits.")
SHUTDOWN_ON_APPLICATION_FINISH = _option(
    "execution.shutdown-on-application-finish", types.BOOLEAN, True,
    "Whether an application cluster shuts down when its main() and jobs end.")
PIPELINE_NAME = _option(
    "pipeline.name", types.STRING, None,
    "Job name.")
PIPELINE_JARS = _option(
    "pipeline.jars", types.LIST, None,
    "The user jars of the job (;-separated).")
APPLICATION_ARGS = _option(
    "$internal.application.program-args", types.LIST, None,
    "Program arguments of an application cluster's main() (;-separated).")
APPLICATION_MAIN_CLASS = _option(
    "$internal.application.main", types.STRING, None,
    "Main class of an application cluster's program.")
JOB_GRAPH_FILE_PATH = _option(
    "internal.jobgraph-path", types.STRING, "job.graph",
    "File the per-job entrypoint reads the JobGraph from, relative to the working directory.")
CLUSTER_EXECUTION_MODE = _option(
    "internal.cluster.execution-mode",
    types.choice("cluster execution mode", "NORMAL", "DETACHED"), "NORMAL",
    "Per-job cluster mode: NORMAL waits for the client to fetch the result, DETACHED does not.")

# ---------------------------------------------------------------------------------------------
# Restart strategies (RestartStrategyOptions; docs "Task Failure Recovery")

RESTART_STRATEGY = _option(
    "restart-strategy.type",
    types.choice("restart strategy", "none", "off", "disable", "fixed-delay", "fixeddelay",
                 "failure-rate", "failurerate", "exponential-delay", "exponentialdelay"),
    None,
    "Restart strategy; unset means none without checkpointing, else fixed-delay (<=1.18) or "
    "exponential-delay (1.19+).",
    deprecated=["restart-strategy"])
FIXED_DELAY_ATTEMPTS = _option(
    "restart-strategy.fixed-delay.attempts", types.INT, 1,
    "Restart attempts before the job fails (fixed-delay).",
    minimum=0, range_message="must not be negative")
FIXED_DELAY_DELAY = _option(
    "restart-strategy.fixed-delay.delay", types.DURATION, Duration.of_seconds(1),
    "Delay between restart attempts (fixed-delay).")
FAILURE_RATE_MAX_FAILURES = _option(
    "restart-strategy.failure-rate.max-failures-per-interval", types.INT, 1,
    "Restarts allowed per interval before the job fails (failure-rate).",
    minimum=1, range_message="Maximum number of restart attempts per time unit must be "
                               "greater than 0.")
FAILURE_RATE_INTERVAL = _option(
    "restart-strategy.failure-rate.failure-rate-interval", types.DURATION, Duration.of_minutes(1),
    "Interval over which failures are counted (failure-rate).",
    minimum=Duration.of_millis(1), range_message="Failures interval must be greater than 0 ms.")
FAILURE_RATE_DELAY = _option(
    "restart-strategy.failure-rate.delay", types.DURATION, Duration.of_seconds(1),
    "Delay between restart attempts (failure-rate).")
EXPONENTIAL_DELAY_INITIAL_BACKOFF = _option(
    "restart-strategy.exponential-delay.initial-backoff", types.DURATION, Duration.of_seconds(1),
    "First delay (exponential-delay).",
    minimum=Duration.of_millis(1), range_message="Initial backoff must be at least 1.")
EXPONENTIAL_DELAY_MAX_BACKOFF = _option(
    "restart-strategy.exponential-delay.max-backoff", types.DURATION, Duration.of_minutes(5),
    "Largest delay (exponential-delay): 5 min up to 1.18, 1 min from 1.19 (FLIP-364).",
    minimum=Duration.of_millis(1), range_message="Maximum backoff must be at least 1.",
    since=[(V1_19, Duration.of_minutes(1))])
EXPONENTIAL_DELAY_MULTIPLIER = _option(
    "restart-strategy.exponential-delay.backoff-multiplier", types.DOUBLE, 2.0,
    "Factor applied to the delay after each failure: 2.0 up to 1.18, 1.5 from 1.19.",
    minimum=1.0, range_message="Backoff multiplier must be at least 1.",
    since=[(V1_19, 1.5)])
EXPONENTIAL_DELAY_RESET_THRESHOLD = _option(
    "restart-strategy.exponential-delay.reset-backoff-threshold", types.DURATION,
    Duration.of_hours(1),
    "Failure-free running time after which the delay resets (exponential-delay).",
    minimum=Duration.of_millis(1), range_message="Threshold duration must be at least 1.")
EXPONENTIAL_DELAY_JITTER = _option(
    "restart-strategy.exponential-delay.jitter-factor", types.DOUBLE, 0.1,
    "Random +/- share of each delay (exponential-delay).",
    minimum=0.0, maximum=1.0, range_message="Jitter factor must be >= 0 and <= 1.")
EXPONENTIAL_DELAY_ATTEMPTS = _option(
    "restart-strategy.exponential-delay.attempts-before-reset-backoff", types.INT, JAVA_INT_MAX,
    "Restart attempts before the job fails, counted since the last reset; since 1.19, "
    "infinite (Integer.MAX_VALUE) by default; not read before 1.19.",
    minimum=1, range_message="The attemptsBeforeResetBackoff must be greater than 0.")

# ---------------------------------------------------------------------------------------------
# Heartbeats and the resource manager (HeartbeatManagerOptions, ResourceManagerOptions)

HEARTBEAT_INTERVAL = _option(
    "heartbeat.interval", types.LONG, 10000,
    "Milliseconds between heartbeat requests (Duration in 2.0).",
    minimum=1, range_message="The heartbeat interval must be larger than 0.")
HEARTBEAT_TIMEOUT = _option(
    "heartbeat.timeout", types.LONG, 50000,
    "Milliseconds without a heartbeat before the target counts as lost (Duration in 2.0).",
    minimum=1, range_message="The heartbeat timeout must be larger than 0.")
HEARTBEAT_RPC_FAILURE_THRESHOLD = _option(
    "heartbeat.rpc-failure-threshold", types.INT, 2,
    "Consecutive failed heartbeat RPCs after which the target counts as unreachable.")
TASK_MANAGER_TIMEOUT = _option(
    "resourcemanager.taskmanager-timeout", types.LONG, 30000,
    "Milliseconds after which an idle TaskManager is released (Duration in 2.0).",
    deprecated=["slotmanager.taskmanager-timeout"])
TASK_MANAGER_REGISTRATION_TIMEOUT = _option(
    "resourcemanager.taskmanager-registration.timeout", types.DURATION, Duration.of_minutes(5),
    "Time a started worker has to register before the RM stops it and asks for another.",
    fallback=["taskmanager.registration.timeout"])
START_WORKER_MAX_FAILURE_RATE = _option(
    "resourcemanager.start-worker.max-failure-rate", types.DOUBLE, 10.0,
    "Worker start failures per minute before the RM pauses requesting workers.")
START_WORKER_RETRY_INTERVAL = _option(
    "resourcemanager.start-worker.retry-interval", types.DURATION, Duration.of_seconds(3),
    "Pause before requesting workers again after the failure rate was exceeded.")
PREVIOUS_WORKER_RECOVERY_TIMEOUT = _option(
    "resourcemanager.previous-worker.recovery.timeout", types.DURATION, Duration.ZERO,
    "How long to wait for workers of a previous attempt before requesting new ones.")
REDUNDANT_TASK_MANAGER_NUM = _option(
    "slotmanager.redundant-taskmanager-num", types.INT, 0,
    "Extra TaskManagers kept for fast failover.",
    minimum=0, range_message="must not be negative")

# ---------------------------------------------------------------------------------------------
# YARN (YarnConfigOptions; yarn_config_configuration.html)

YARN_APPLICATION_ATTEMPTS = _option(
    "yarn.application-attempts", types.INT, None,
    "AM attempts; unset means 1, or 2 with HA (a String option in 1.x read with "
    "Integer.parseInt, an Integer in 2.0).")
YARN_ATTEMPT_FAILURES_VALIDITY_INTERVAL = _option(
    "yarn.application-attempt-failures-validity-interval", types.LONG, 10000,
    "Milliseconds within which AM attempt failures count; -1 counts them all.")
YARN_HEARTBEAT_INTERVAL = _option(
    "yarn.heartbeat.interval", types.INT, 5,
    "Seconds between AM heartbeats to the YARN RM.",
    deprecated=["yarn.heartbeat-delay"],
    minimum=1, range_message="must be positive")
YARN_CONTAINER_REQUEST_HEARTBEAT_INTERVAL = _option(
    "yarn.heartbeat.container-request-interval", types.INT, 500,
    "Milliseconds between AM heartbeats while container requests are pending (Duration in 2.0).",
    minimum=1, range_message="must be positive")
YARN_STAGING_DIRECTORY = _option(
    "yarn.staging-directory", types.STRING, None,
    "Where the client stages files; the file system's home directory if unset.")
YARN_PROVIDED_LIB_DIRS = _option(
    "yarn.provided.lib.dirs", types.LIST, None,
    "Pre-uploaded, world-readable lib directories used instead of uploading Flink's jars "
    "(;-separated).")
YARN_SHIP_FILES = _option(
    "yarn.ship-files", types.LIST, None,
    "Files and directories shipped to the cluster (;-separated).",
    deprecated=["yarn.ship-directories"])
YARN_SHIP_ARCHIVES = _option(
    "yarn.ship-archives", types.LIST, None,
    "Archives shipped to the cluster and unpacked on localization (;-separated).")
YARN_FLINK_DIST_JAR = _option(
    "yarn.flink-dist-jar", types.STRING, None,
    "Location of the Flink dist jar.")
YARN_APPLICATION_QUEUE = _option(
    "yarn.application.queue", types.STRING, None,
    "YARN queue of the application.")
YARN_APPLICATION_NAME = _option(
    "yarn.application.name", types.STRING, None,
    "YARN application name; the deployment mode's default name if unset.")
YARN_APPLICATION_TYPE = _option(
    "yarn.application.type", types.STRING, None,
    "YARN application type; \"Apache Flink\" if unset.")
YARN_APPLICATION_PRIORITY = _option(
    "yarn.application.priority", types.INT, -1,
    "YARN application priority; negative leaves it unset.")
YARN_APPLICATION_TAGS = _option(
    "yarn.tags", types.STRING, "",
    "Comma-separated YARN application tags.")
YARN_APPLICATION_NODE_LABEL = _option(
    "yarn.application.node-label", types.STRING, None,
    "YARN node label of the application (the AM).")
YARN_TASK_MANAGER_NODE_LABEL = _option(
    "yarn.taskmanager.node-label", types.STRING, None,
    "YARN node label of TaskManager container requests.")
YARN_APP_MASTER_VCORES = _option(
    "yarn.appmaster.vcores", types.INT, 1,
    "Vcores of the AM container.",
    minimum=1, range_message="must be positive")
YARN_CONTAINER_VCORES = _option(
    "yarn.containers.vcores", types.INT, -1,
    "Vcores of TaskManager containers; -1 means taskmanager.cpu.cores or the number of slots.")
YARN_APPLICATION_ID = _option(
    "yarn.application.id", types.STRING, None,
    "The YARN application id of the session to submit to.")
YARN_PROPERTIES_FILE_LOCATION = _option(
    "yarn.properties-file.location", types.STRING, None,
    "Directory of the .yarn-properties-<user> file; java.io.tmpdir if unset.")
YARN_FILE_REPLICATION = _option(
    "yarn.file-replication", types.INT, -1,
    "Replication of staged files; -1 means dfs.replication.")
YARN_CLASSPATH_INCLUDE_USER_JAR = _option(
    "yarn.classpath.include-user-jar",
    types.choice("user jar inclusion", "DISABLED", "FIRST", "LAST", "ORDER"), "ORDER",
    "Where user jars go on the system classpath.",
    deprecated=["yarn.per-job-cluster.include-user-jar"])
YARN_CONTAINER_START_COMMAND_TEMPLATE = _option(
    "yarn.container-start-command-template", types.STRING,
    "%java% %jvmmem% %jvmopts% %logging% %class% %args% %redirects%",
    "Template of container start commands.")

# ---------------------------------------------------------------------------------------------
# REST, RPC and high availability

REST_PORT = _option(
    "rest.port", types.INT, 8081,
    "Port the REST client connects to (and the server binds to if rest.bind-port is unset).",
    deprecated=["web.port"])
REST_ADDRESS = _option(
    "rest.address", types.STRING, None,
    "Address the REST client connects to.")
REST_BIND_PORT = _option(
    "rest.bind-port", types.STRING, None,
    "Port or port range the REST server binds to; 0 on YARN.")
REST_BIND_ADDRESS = _option(
    "rest.bind-address", types.STRING, None,
    "Address the REST server binds to.")
HIGH_AVAILABILITY = _option(
    "high-availability.type", types.STRING, "NONE",
    "High-availability services: NONE, ZOOKEEPER, KUBERNETES or a factory class.",
    deprecated=["high-availability"])
HIGH_AVAILABILITY_CLUSTER_ID = _option(
    "high-availability.cluster-id", types.STRING, "/default",
    "HA cluster id; Flink on YARN sets it to the application id.",
    deprecated=["high-availability.zookeeper.path.namespace", "recovery.zookeeper.path.namespace"])

ASK_TIMEOUT = _option(
    "pekko.ask.timeout", types.DURATION, Duration.of_seconds(10),
    "RPC timeout; a TaskExecutor frees an allocated slot no JobMaster accepted within it.",
    deprecated=["akka.ask.timeout"])
REGISTRATION_INITIAL_TIMEOUT = _option(
    "cluster.registration.initial-timeout", types.LONG, 100,
    "Milliseconds the first registration attempt waits for an answer; each next one waits twice "
    "as long.")
REGISTRATION_MAX_TIMEOUT = _option(
    "cluster.registration.max-timeout", types.LONG, 30000,
    "The longest a registration attempt waits for an answer, in milliseconds.")
REGISTRATION_ERROR_DELAY = _option(
    "cluster.registration.error-delay", types.LONG, 10000,
    "Milliseconds to pause after a registration attempt failed with an error.")
NETWORK_REQUEST_BACKOFF_INITIAL = _option(
    "taskmanager.network.request-backoff.initial", types.INT, 100,
    "Milliseconds before a consumer first asks again for a partition that is not there yet.")
NETWORK_REQUEST_BACKOFF_MAX = _option(
    "taskmanager.network.request-backoff.max", types.INT, 10000,
    "The longest back-off between requests for a partition; after it the consumer fails.")

# ---------------------------------------------------------------------------------------------
# The emulator's own knobs

FLINK_VERSION = _option(
    "flinkyarn.version", types.VERSION, DEFAULT_VERSION,
    "Which Flink release (1.17 to 1.20) to reproduce where releases differ; 1.18 by default.")

STANDALONE_TASKMANAGERS = _option(
    "flinkyarn.session.standalone-taskmanagers", types.INT, None,
    "Make a session standalone: it starts exactly this many TaskManagers when it starts (as the "
    "pre-1.5 'yarn-session.sh -n' did) and never asks YARN for more, replaces or releases them; a "
    "job needing more slots fails after slot.request.timeout.  Unset: TaskManagers on demand.",
    minimum=1)

# How long simulated work takes, in virtual time.  Nothing in Flink has these keys: they stand for
# what a real cluster spends in JVM start-up, task deployment, checkpoints and transfers.
SIM_JOBMANAGER_STARTUP = _option(
    "flinkyarn.simulation.jobmanager.startup-time", types.DURATION, Duration.of_millis(3000),
    "Time from the JobManager container's launch until its components are up (JVM start-up).")
SIM_TASKMANAGER_STARTUP = _option(
    "flinkyarn.simulation.taskmanager.startup-time", types.DURATION, Duration.of_millis(2000),
    "Time from a TaskManager container's launch until it registers (JVM start-up).")
SIM_TASK_DEPLOY = _option(
    "flinkyarn.simulation.task.deploy-time", types.DURATION, Duration.of_millis(100),
    "Time a task spends DEPLOYING before it is INITIALIZING.")
SIM_TASK_INITIALIZE = _option(
    "flinkyarn.simulation.task.initialize-time", types.DURATION, Duration.of_millis(200),
    "Time a task spends INITIALIZING (opening operators, restoring state) before RUNNING.")
SIM_TASK_FLUSH = _option(
    "flinkyarn.simulation.task.end-of-input-time", types.DURATION, Duration.of_millis(10),
    "Time a task takes to finish once all its inputs have ended.")
SIM_SOURCE_RATE = _option(
    "flinkyarn.simulation.source.default-rate", types.DOUBLE, 100000.0,
    "Records per second one source subtask produces when its source sets no rate.")
SIM_CHECKPOINT_DURATION = _option(
    "flinkyarn.simulation.checkpoint.duration", types.DURATION, Duration.of_millis(100),
    "Time a task takes to snapshot its state for a checkpoint.")
SIM_UPLOAD_BANDWIDTH = _option(
    "flinkyarn.simulation.upload.bandwidth-mb", types.DOUBLE, 100.0,
    "MB per second the client uploads to the staging directory (virtual time).")
SIM_DIST_SIZE = _option(
    "flinkyarn.simulation.dist.size", types.STRING, "realistic",
    "How large the flink-dist stand-in is: 'realistic' (as Flink 1.18's distribution) or 'tiny'.")


OPTIONS = MappingProxyType({option.key: option for option in _declared})
"""Every option, by key, in declaration order."""

del _declared

SHIPPED_DEFAULTS = MappingProxyType({
    JM_TOTAL_PROCESS_MEMORY.key: "1600m",
    TM_TOTAL_PROCESS_MEMORY.key: "1728m",
    NUM_TASK_SLOTS.key: "1",
    DEFAULT_PARALLELISM.key: "1",
    FAILOVER_STRATEGY.key: "region",
})
"""
The memory, slot, parallelism and failover settings of the configuration file Flink's
distribution ships (``conf/flink-conf.yaml``, ``conf/config.yaml`` from 1.19).
"""


def option_for(key):
    """:return: the :class:`Option` whose own key is ``key``, or ``None``."""
    return OPTIONS.get(key)
