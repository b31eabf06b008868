"""
Tests for :mod:`flinkyarn.config.configuration` and :mod:`flinkyarn.config.file_format`: the
configuration value, its file form, ``-D`` overrides, fallback keys and validation.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flinkyarn.config import options as o
from flinkyarn.config.configuration import Configuration
from flinkyarn.config.errors import IllegalConfigurationException
from flinkyarn.config.file_format import (
    CONFIG_FILE_NAME,
    LEGACY_CONFIG_FILE_NAME,
    parse_flink_conf,
    render_flink_conf,
)
from flinkyarn.config.values import Duration, MemorySize
from flinkyarn.config.version import V1_18, V1_19
from yarnemu.errors import ConfigurationException

FLINK_CONF = """\
#==============================================================================
# Common
#==============================================================================

jobmanager.rpc.address: localhost
jobmanager.rpc.port: 6123
jobmanager.memory.process.size: 1600m
taskmanager.memory.process.size: 1728m   # the TaskManager container
taskmanager.numberOfTaskSlots: 1
parallelism.default: 1

# high-availability.type: zookeeper
rest.address: http://rm:8088/proxy/application_1_0001/
taskmanager.numberOfTaskSlots: 4
"""


def test_file_names_for_both_release_lines():
    """Both configuration file names are available; flink-conf.yaml is the legacy one."""
    assert (LEGACY_CONFIG_FILE_NAME, CONFIG_FILE_NAME) == ("flink-conf.yaml", "config.yaml")


def test_flat_file_reads_keys_values_comments_and_blank_lines():
    """``key: value`` lines are read, ``#`` comments and blank lines skipped, the last line wins."""
    config = Configuration.from_flink_conf(FLINK_CONF)
    assert config["jobmanager.rpc.address"] == "localhost"
    assert config["taskmanager.memory.process.size"] == "1728m"
    assert config["rest.address"] == "http://rm:8088/proxy/application_1_0001/"
    assert config.get(o.NUM_TASK_SLOTS) == 4
    assert "high-availability.type" not in config
    assert len(config) == 7


def test_hash_starts_a_comment_even_inside_a_value():
    """As in Flink 1.x, everything after ``#`` is a comment, even inside a value."""
    assert parse_flink_conf("pipeline.name: job#1\n") == {"pipeline.name": "job"}


@pytest.mark.parametrize("line, reason", [
    ("taskmanager.numberOfTaskSlots:4", "Line is not a key-value pair (missing space after ':'?)"),
    ("just some words", "Line is not a key-value pair"),
    ("pipeline.name: ", "Line is not a key-value pair"),
    (": value", "Key or value was empty"),
])
def test_malformed_line_is_an_error_naming_file_and_line(line, reason):
    """A line that is not ``key: value`` fails with the file name and line number."""
    text = "parallelism.default: 1\n# comment\n" + line + "\n"
    with pytest.raises(IllegalConfigurationException) as error:
        Configuration.from_flink_conf(text, source="/staging/flink-conf.yaml")
    assert "/staging/flink-conf.yaml:3" in error.value.message
    assert reason in error.value.message


def test_file_errors_are_configuration_exceptions_with_flink_class():
    """The error is yarnemu's ConfigurationException with Flink's Java class name."""
    with pytest.raises(ConfigurationException) as error:
        parse_flink_conf("broken\n")
    assert error.value.java_class == "org.apache.flink.configuration.IllegalConfigurationException"
    assert error.value.exception_name() == "IllegalConfigurationException"


def test_rendering_is_sorted_and_reads_back():
    """A configuration renders as sorted ``key: value`` lines that read back equal."""
    config = Configuration.from_flink_conf(FLINK_CONF)
    text = config.to_flink_conf()
    assert text.splitlines()[:2] == ["jobmanager.memory.process.size: 1600m",
                                     "jobmanager.rpc.address: localhost"]
    assert text.endswith("\n")
    assert Configuration.from_flink_conf(text) == config


def test_rendering_leaves_out_empty_values():
    """An empty value is left out of the file, as Flink's reader would skip its line."""
    assert render_flink_conf({"yarn.tags": "", "a.b": "c"}) == "a.b: c\n"


@pytest.mark.parametrize("key, value", [
    ("pipeline.name", "job #1"),
    ("pipeline.name", "two\nlines"),
    ("pipeline.name", " padded"),
    ("bad key", "x"),
])
def test_values_the_file_cannot_carry_are_refused_naming_the_key(key, value):
    """A value Flink would read back differently is refused, naming its key."""
    with pytest.raises(IllegalConfigurationException) as error:
        Configuration({key: value}).to_flink_conf()
    assert repr(key)[1:-1] in error.value.message


def test_overrides_apply_dynamic_properties():
    """``key=value`` overrides set keys; the value is everything after the first ``=``."""
    config = Configuration.shipped_default().with_overrides([
        "taskmanager.numberOfTaskSlots=4",
        "env.java.opts=-Dfoo=bar",
        "yarn.tags= a,b ",
        "yarn.application.name=",
    ])
    assert config.get(o.NUM_TASK_SLOTS) == 4
    assert config["env.java.opts"] == "-Dfoo=bar"
    assert config.get(o.YARN_APPLICATION_TAGS) == "a,b"
    assert config["yarn.application.name"] == ""


@pytest.mark.parametrize("override", ["taskmanager.numberOfTaskSlots", "=4", " =x"])
def test_override_without_key_value_form_is_an_error(override):
    """An override without ``=`` or without a key is refused, quoting it."""
    with pytest.raises(IllegalConfigurationException) as error:
        Configuration().with_overrides([override])
    assert repr(override) in error.value.message


def test_configuration_is_an_immutable_value():
    """Changes return new configurations; equal entries make equal, equally hashed values."""
    base = Configuration.shipped_default()
    changed = base.set(o.NUM_TASK_SLOTS, 4)
    assert base.get(o.NUM_TASK_SLOTS) == 1 and changed.get(o.NUM_TASK_SLOTS) == 4
    assert changed.set(o.NUM_TASK_SLOTS, "1") == base
    assert hash(changed.set(o.NUM_TASK_SLOTS, "1")) == hash(base)
    assert base.without(o.NUM_TASK_SLOTS).contains(o.NUM_TASK_SLOTS) is False
    assert base.with_values({"parallelism.default": None}).keys() == (
        "jobmanager.execution.failover-strategy", "jobmanager.memory.process.size",
        "taskmanager.memory.process.size", "taskmanager.numberOfTaskSlots")
    with pytest.raises(AttributeError):
        base.entries = {}
    with pytest.raises(TypeError):
        base.entries["x"] = "y"


def test_python_values_are_written_as_flink_writes_them():
    """Typed values become the strings Flink's convertToString would write."""
    config = Configuration({
        "taskmanager.memory.process.size": MemorySize.of_mebibytes(2048),
        "execution.checkpointing.interval": Duration.of_seconds(10),
        "execution.attached": True,
        "yarn.ship-files": ["a.jar", "b;c"],
        "taskmanager.cpu.cores": 2.0,
        "rest.port": 8082,
    })
    assert dict(config.items()) == {
        "execution.attached": "true",
        "execution.checkpointing.interval": "10 s",
        "rest.port": "8082",
        "taskmanager.cpu.cores": "2.0",
        "taskmanager.memory.process.size": "2 gb",
        "yarn.ship-files": "a.jar;'b;c'",
    }
    assert config.get(o.YARN_SHIP_FILES) == ["a.jar", "b;c"]


def test_unset_options_read_their_defaults_and_unknown_keys_their_strings():
    """Unset options give Flink's default; unknown keys are kept and read as strings."""
    config = Configuration({"my.custom.key": "42"})
    assert config.get(o.HEARTBEAT_TIMEOUT) == 50000
    assert config.get(o.SLOT_REQUEST_TIMEOUT) == 300000
    assert config.get(o.TM_TOTAL_PROCESS_MEMORY) is None
    assert config.get(o.HEARTBEAT_TIMEOUT, 1) == 1
    assert config.get("my.custom.key") == "42"
    assert config.get_int("my.custom.key") == 42
    assert config.get("other.key", "x") == "x"
    assert "my.custom.key: 42\n" in config.to_flink_conf()


def test_typed_getters_read_keys_with_a_given_type():
    """Typed getters read known and unknown keys with the type asked for."""
    config = Configuration({"a.size": "1g", "a.time": "5 min", "a.flag": "TRUE", "a.list": "x;y",
                            "a.ratio": "0.1"})
    assert config.get_memory("a.size") == MemorySize(1 << 30)
    assert config.get_duration("a.time") == Duration.of_minutes(5)
    assert config.get_bool("a.flag") is True
    assert config.get_list("a.list") == ["x", "y"]
    assert config.get_float("a.ratio") == 0.10000000149011612
    assert config.get_double("a.ratio") == 0.1
    assert config.get_str("a.size") == "1g"
    assert config.get_long("missing.key") is None
    assert config.get_int(o.NUM_TASK_SLOTS) == 1


def test_deprecated_and_fallback_keys_are_read_when_the_key_is_unset():
    """Fallback and deprecated keys are read, in order, only when the key itself is unset."""
    config = Configuration({
        "restart-strategy": "fixeddelay",
        "high-availability": "zookeeper",
        "taskmanager.registration.timeout": "2 min",
        "taskmanager.network.memory.max": "1g",
        "yarn.per-job-cluster.include-user-jar": "first",
    })
    assert config.get(o.RESTART_STRATEGY) == "fixeddelay"
    assert config.get(o.HIGH_AVAILABILITY) == "zookeeper"
    assert config.get(o.TASK_MANAGER_REGISTRATION_TIMEOUT) == Duration.of_minutes(2)
    assert config.get(o.TM_NETWORK_MEMORY_MAX) == MemorySize(1 << 30)
    assert config.get(o.YARN_CLASSPATH_INCLUDE_USER_JAR) == "FIRST"
    assert config.contains(o.RESTART_STRATEGY) and "restart-strategy.type" not in config
    assert config.get_raw(o.RESTART_STRATEGY) == "fixeddelay"
    newer = config.set(o.RESTART_STRATEGY, "none")
    assert newer.get(o.RESTART_STRATEGY) == "none"


def test_a_bad_value_is_an_error_naming_key_and_value():
    """Reading a value that does not parse fails with the key and the value in the message."""
    config = Configuration({"heartbeat.timeout": "50 s"})
    with pytest.raises(IllegalConfigurationException) as error:
        config.get(o.HEARTBEAT_TIMEOUT)
    assert "Could not parse value '50 s' for key 'heartbeat.timeout'." in error.value.message


def test_a_bad_value_under_a_fallback_key_names_both_keys():
    """A bad value read through a deprecated key names that key and the option's own key."""
    with pytest.raises(IllegalConfigurationException) as error:
        Configuration({"restart-strategy": "sometimes"}).get(o.RESTART_STRATEGY)
    assert "'sometimes'" in error.value.message
    assert "key 'restart-strategy' (read for 'restart-strategy.type')" in error.value.message


def test_out_of_range_values_are_errors_naming_the_key():
    """Values below an option's minimum are refused with Flink's words where it has them."""
    with pytest.raises(IllegalConfigurationException) as error:
        Configuration({"taskmanager.numberOfTaskSlots": "0"}).get(o.NUM_TASK_SLOTS)
    assert error.value.message == ("Invalid value '0' for key 'taskmanager.numberOfTaskSlots': "
                                   "Number of task slots must be at least one.")
    with pytest.raises(IllegalConfigurationException, match="10 ms"):
        Configuration({"execution.checkpointing.interval": "5 ms"}).get(o.CHECKPOINTING_INTERVAL)


def test_validate_accepts_the_shipped_configuration():
    """The shipped configuration, with unknown keys, validates."""
    Configuration.shipped_default().set("some.plugin.key", "anything").validate()


def test_validate_reports_every_bad_value_at_once():
    """``validate`` lists every bad value, each problem naming its key."""
    config = Configuration.shipped_default().with_overrides([
        "taskmanager.memory.process.size=lots",
        "heartbeat.interval=10 s",
        "restart-strategy.type=sometimes",
        "execution.attached=yes",
        "jobmanager.execution.failover-strategy=partial",
        "flinkyarn.version=2.0",
        "my.own.key=whatever",
    ])
    with pytest.raises(IllegalConfigurationException) as error:
        config.validate()
    problems = error.value.problems
    assert len(problems) == 6
    for key in ("taskmanager.memory.process.size", "heartbeat.interval", "restart-strategy.type",
                "execution.attached", "jobmanager.execution.failover-strategy",
                "flinkyarn.version"):
        assert sum(f"'{key}'" in problem for problem in problems) == 1, key
        assert f"'{key}'" in error.value.message
    assert error.value.message.startswith("6 invalid configuration values:\n")


def test_validate_with_one_problem_raises_that_problem():
    """A single bad value is reported as itself."""
    with pytest.raises(IllegalConfigurationException) as error:
        Configuration({"rest.port": "http"}).validate()
    assert error.value.problems == (error.value.message,)
    assert "'rest.port'" in error.value.message


def test_flink_version_comes_from_the_emulator_knob():
    """``flinkyarn.version`` picks the reproduced release, 1.18 by default, and version defaults."""
    assert Configuration().flink_version == V1_18
    newer = Configuration({"flinkyarn.version": "1.19.1"})
    assert newer.flink_version == V1_19
    assert newer.get(o.EXPONENTIAL_DELAY_MAX_BACKOFF) == Duration.of_minutes(1)
    assert Configuration().get(o.EXPONENTIAL_DELAY_MAX_BACKOFF) == Duration.of_minutes(5)


@pytest.mark.parametrize("key", ["", "  ", " padded", 3])
def test_keys_must_be_non_empty_strings(key):
    """A configuration refuses keys that are not non-empty strings."""
    with pytest.raises(IllegalConfigurationException):
        Configuration({key: "x"})


_KEYS = st.text(alphabet="abcxyz.-_$", min_size=1, max_size=12)
_VALUES = st.text(alphabet="abc 019:/;.=-'\"", min_size=1, max_size=15).filter(
    lambda value: value == value.strip())


@given(st.dictionaries(_KEYS, _VALUES, max_size=8))
def test_rendered_files_read_back_equal(entries):
    """Any configuration the flat format can carry reads back equal from its rendered file."""
    config = Configuration(entries)
    assert Configuration.from_flink_conf(config.to_flink_conf()) == config
