"""
Tests for :mod:`flinkyarn.config.options` and :mod:`flinkyarn.config.version`: Flink's keys,
types, defaults and fallback keys.
"""

import pytest

from flinkyarn.config.options import OPTIONS, SHIPPED_DEFAULTS, option_for
from flinkyarn.config.values import JAVA_INT_MAX, Duration, MemorySize
from flinkyarn.config.version import DEFAULT_VERSION, V1_17, V1_18, V1_19, V1_20, FlinkVersion

_mb = MemorySize.of_mebibytes

FLINK_DEFAULTS = [
    ("jobmanager.memory.process.size", None),
    ("taskmanager.memory.process.size", None),
    ("taskmanager.memory.flink.size", None),
    ("taskmanager.memory.framework.heap.size", _mb(128)),
    ("taskmanager.memory.framework.off-heap.size", _mb(128)),
    ("taskmanager.memory.task.heap.size", None),
    ("taskmanager.memory.task.off-heap.size", MemorySize(0)),
    ("taskmanager.memory.managed.size", None),
    ("taskmanager.memory.managed.fraction", 0.4000000059604645),
    ("taskmanager.memory.network.fraction", 0.10000000149011612),
    ("taskmanager.memory.network.min", _mb(64)),
    ("taskmanager.memory.network.max", MemorySize.MAX_VALUE),
    ("taskmanager.memory.jvm-metaspace.size", _mb(256)),
    ("taskmanager.memory.jvm-overhead.fraction", 0.10000000149011612),
    ("taskmanager.memory.jvm-overhead.min", _mb(192)),
    ("taskmanager.memory.jvm-overhead.max", _mb(1024)),
    ("jobmanager.memory.off-heap.size", _mb(128)),
    ("jobmanager.memory.jvm-metaspace.size", _mb(256)),
    ("jobmanager.memory.jvm-overhead.fraction", 0.10000000149011612),
    ("jobmanager.memory.jvm-overhead.min", _mb(192)),
    ("jobmanager.memory.jvm-overhead.max", _mb(1024)),
    ("jobmanager.memory.enable-jvm-direct-memory-limit", False),
    ("taskmanager.numberOfTaskSlots", 1),
    ("parallelism.default", 1),
    ("taskmanager.cpu.cores", None),
    ("yarn.application-attempts", None),
    ("yarn.application-attempt-failures-validity-interval", 10000),
    ("yarn.heartbeat.interval", 5),
    ("yarn.heartbeat.container-request-interval", 500),
    ("heartbeat.interval", 10000),
    ("heartbeat.timeout", 50000),
    ("heartbeat.rpc-failure-threshold", 2),
    ("resourcemanager.taskmanager-timeout", 30000),
    ("resourcemanager.taskmanager-registration.timeout", Duration.of_minutes(5)),
    ("resourcemanager.start-worker.max-failure-rate", 10.0),
    ("resourcemanager.start-worker.retry-interval", Duration.of_seconds(3)),
    ("resourcemanager.previous-worker.recovery.timeout", Duration(0)),
    ("slot.request.timeout", 300000),
    ("slot.idle.timeout", 50000),
    ("slotmanager.redundant-taskmanager-num", 0),
    ("restart-strategy.type", None),
    ("restart-strategy.fixed-delay.attempts", 1),
    ("restart-strategy.fixed-delay.delay", Duration.of_seconds(1)),
    ("restart-strategy.failure-rate.max-failures-per-interval", 1),
    ("restart-strategy.failure-rate.failure-rate-interval", Duration.of_minutes(1)),
    ("restart-strategy.failure-rate.delay", Duration.of_seconds(1)),
    ("restart-strategy.exponential-delay.initial-backoff", Duration.of_seconds(1)),
    ("restart-strategy.exponential-delay.max-backoff", Duration.of_minutes(5)),
    ("restart-strategy.exponential-delay.backoff-multiplier", 2.0),
    ("restart-strategy.exponential-delay.reset-backoff-threshold", Duration.of_hours(1)),
    ("restart-strategy.exponential-delay.jitter-factor", 0.1),
    ("restart-strategy.exponential-delay.attempts-before-reset-backoff", JAVA_INT_MAX),
    ("jobmanager.execution.failover-strategy", "region"),
    ("execution.checkpointing.interval", None),
    ("state.checkpoints.num-retained", 1),
    ("execution.attached", False),
    ("execution.target", None),
    ("execution.shutdown-on-application-finish", True),
    ("yarn.staging-directory", None),
    ("yarn.provided.lib.dirs", None),
    ("yarn.ship-files", None),
    ("yarn.ship-archives", None),
    ("yarn.flink-dist-jar", None),
    ("yarn.application.queue", None),
    ("yarn.application.name", None),
    ("yarn.application.type", None),
    ("yarn.application.priority", -1),
    ("yarn.tags", ""),
    ("yarn.application.node-label", None),
    ("yarn.taskmanager.node-label", None),
    ("yarn.appmaster.vcores", 1),
    ("yarn.containers.vcores", -1),
    ("yarn.application.id", None),
    ("yarn.properties-file.location", None),
    ("yarn.file-replication", -1),
    ("yarn.classpath.include-user-jar", "ORDER"),
    ("yarn.container-start-command-template",
     "%java% %jvmmem% %jvmopts% %logging% %class% %args% %redirects%"),
    ("rest.port", 8081),
    ("rest.address", None),
    ("rest.bind-port", None),
    ("jobmanager.rpc.address", None),
    ("jobmanager.rpc.port", 6123),
    ("high-availability.type", "NONE"),
    ("high-availability.cluster-id", "/default"),
    ("pipeline.name", None),
    ("pipeline.jars", None),
    ("$internal.application.program-args", None),
    ("$internal.application.main", None),
    ("internal.jobgraph-path", "job.graph"),
    ("internal.cluster.execution-mode", "NORMAL"),
]


@pytest.mark.parametrize("key, default", FLINK_DEFAULTS)
def test_options_have_flink_defaults(key, default):
    """Each option the emulator reads has Flink's key and Flink 1.18's default."""
    assert OPTIONS[key].default_for(V1_18) == default


@pytest.mark.parametrize("key, fallback, deprecated", [
    ("restart-strategy.type", "restart-strategy", True),
    ("high-availability.type", "high-availability", True),
    ("resourcemanager.taskmanager-registration.timeout", "taskmanager.registration.timeout", False),
    ("resourcemanager.taskmanager-timeout", "slotmanager.taskmanager-timeout", True),
    ("taskmanager.memory.network.min", "taskmanager.network.memory.min", True),
    ("taskmanager.memory.network.max", "taskmanager.network.memory.max", True),
    ("taskmanager.memory.network.fraction", "taskmanager.network.memory.fraction", True),
    ("taskmanager.memory.managed.size", "taskmanager.memory.size", True),
    ("yarn.classpath.include-user-jar", "yarn.per-job-cluster.include-user-jar", True),
    ("yarn.ship-files", "yarn.ship-directories", True),
    ("yarn.heartbeat.interval", "yarn.heartbeat-delay", True),
    ("rest.port", "web.port", True),
    ("state.checkpoints.num-retained", "execution.checkpointing.num-retained", False),
])
def test_fallback_and_deprecated_keys_are_declared(key, fallback, deprecated):
    """Options list Flink's fallback keys, marked deprecated as Flink marks them."""
    option = OPTIONS[key]
    assert fallback in option.keys[1:]
    assert {f.key: f.deprecated for f in option.fallback_keys}[fallback] is deprecated


@pytest.mark.parametrize("version, max_backoff, multiplier", [
    (V1_17, Duration.of_minutes(5), 2.0),
    (V1_18, Duration.of_minutes(5), 2.0),
    (V1_19, Duration.of_minutes(1), 1.5),
    (V1_20, Duration.of_minutes(1), 1.5),
])
def test_exponential_delay_defaults_changed_in_1_19(version, max_backoff, multiplier):
    """FLIP-364 lowered exponential-delay's max backoff and multiplier from Flink 1.19."""
    assert OPTIONS["restart-strategy.exponential-delay.max-backoff"].default_for(version) == max_backoff
    assert OPTIONS["restart-strategy.exponential-delay.backoff-multiplier"].default_for(version) \
        == multiplier


_WITH_DEFAULTS = [option for option in OPTIONS.values() if option.default is not None]


@pytest.mark.parametrize("option", _WITH_DEFAULTS, ids=[option.key for option in _WITH_DEFAULTS])
def test_every_default_reads_back_from_its_written_form(option):
    """Each default, written as Flink writes it, parses back to itself and is in range."""
    written = option.value_type.render(option.default)
    assert option.value_type.parse(written) == option.default
    assert option.check(option.default) is None


@pytest.mark.parametrize("option", list(OPTIONS.values()), ids=list(OPTIONS))
def test_every_option_is_described_in_one_line(option):
    """Each option has a one-line description."""
    assert option.description and "\n" not in option.description


def test_shipped_configuration_file_values():
    """The shipped file's values are the ones Flink's distribution sets."""
    assert dict(SHIPPED_DEFAULTS) == {
        "jobmanager.memory.process.size": "1600m",
        "taskmanager.memory.process.size": "1728m",
        "taskmanager.numberOfTaskSlots": "1",
        "parallelism.default": "1",
        "jobmanager.execution.failover-strategy": "region",
    }


def test_restart_strategy_accepts_flink_names_and_aliases_in_any_case():
    """The restart strategy option accepts Flink's names and aliases, case-insensitively."""
    value_type = OPTIONS["restart-strategy.type"].value_type
    for name in ("none", "off", "disable", "fixed-delay", "fixeddelay", "failure-rate",
                 "failurerate", "exponential-delay", "exponentialdelay"):
        assert value_type.parse(name.upper()) == name
    with pytest.raises(ValueError, match="Expected one of"):
        value_type.parse("sometimes")


def test_java_string_is_flink_config_option_to_string():
    """Options print as Flink's ConfigOption.toString, which Flink's memory errors embed."""
    assert OPTIONS["taskmanager.memory.flink.size"].java_string() == \
        "Key: 'taskmanager.memory.flink.size' , default: null (fallback keys: [])"
    assert OPTIONS["taskmanager.memory.network.fraction"].java_string() == (
        "Key: 'taskmanager.memory.network.fraction' , default: 0.1 (fallback keys: "
        "[{key=taskmanager.network.memory.fraction, isDeprecated=true}])")


def test_option_for_finds_options_by_their_own_key_only():
    """``option_for`` looks up main keys; deprecated keys are not options of their own."""
    assert option_for("taskmanager.numberOfTaskSlots").default == 1
    assert option_for("restart-strategy") is None
    assert option_for("no.such.key") is None


@pytest.mark.parametrize("text, version", [
    ("1.17", V1_17), ("1.18.1", V1_18), ("1.19-SNAPSHOT", V1_19), (" 1.20 ", V1_20), (V1_19, V1_19),
])
def test_versions_parse(text, version):
    """Flink versions 1.17 to 1.20 parse, patch releases included."""
    assert FlinkVersion.parse(text) == version


@pytest.mark.parametrize("text", ["2.0", "1.16", "latest", "1"])
def test_unsupported_versions_are_refused(text):
    """Versions outside 1.17–1.20 (2.0 removed per-job mode) are refused."""
    with pytest.raises(ValueError):
        FlinkVersion.parse(text)


def test_default_version_is_1_18():
    """The emulator reproduces Flink 1.18 unless told otherwise."""
    assert DEFAULT_VERSION == V1_18 and str(DEFAULT_VERSION) == "1.18"
    assert OPTIONS["flinkyarn.version"].default == V1_18
