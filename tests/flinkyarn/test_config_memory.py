"""
Tests for :mod:`flinkyarn.config.memory` and :mod:`flinkyarn.config.java_hash_map`: Flink's
TaskManager and JobManager memory model, vcores, JVM arguments and dynamic properties.

Expected byte counts follow Flink's rules (fractions are Java floats: 0.1f is 0.10000000149011612,
0.4f is 0.4000000059604645; products are truncated); the 1728m/1600m command-line strings are
the ones real Flink 1.17 and 1.18 processes print.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flinkyarn.config.configuration import Configuration
from flinkyarn.config.errors import IllegalConfigurationException
from flinkyarn.config.java_hash_map import hash_map_order, java_string_hash
from flinkyarn.config.memory import (
    JobManagerProcessSpec,
    TaskExecutorProcessSpec,
    task_executor_cpu_cores,
    yarn_task_executor_vcores,
)
from flinkyarn.config.values import MemorySize

MiB = 1 << 20
SHIPPED = Configuration.shipped_default()


def tm(**entries):
    return TaskExecutorProcessSpec.from_config(
        Configuration.shipped_default().with_values({k.replace("_", "."): v for k, v in entries.items()}))


def tm_config(entries):
    return TaskExecutorProcessSpec.from_config(Configuration(entries))


def jm_config(entries):
    return JobManagerProcessSpec.from_config(Configuration(entries))


# The reference's worked examples.

def test_worked_example_1728m_taskmanager_in_mebibytes():
    """1728m: overhead 192, metaspace 256, total Flink 1280, network 128, managed 512,
    framework 128 + 128, task heap 384, JVM heap 512 (MiB, to within Flink's float rounding)."""
    spec = TaskExecutorProcessSpec.from_config(SHIPPED)
    assert spec.jvm_overhead == MemorySize.of_mebibytes(192)
    assert spec.jvm_metaspace == MemorySize.of_mebibytes(256)
    assert spec.total_flink_memory == MemorySize.of_mebibytes(1280)
    assert spec.framework_heap == spec.framework_off_heap == MemorySize.of_mebibytes(128)
    assert spec.task_off_heap == MemorySize(0)
    assert round(spec.network.bytes / MiB) == 128
    assert round(spec.managed.bytes / MiB) == 512
    assert round(spec.task_heap.bytes / MiB) == 384
    assert round(spec.jvm_heap.bytes / MiB) == 512
    assert spec.total_process_memory == MemorySize.of_mebibytes(1728)
    assert spec.container_memory_mb == 1728


def test_worked_example_1728m_taskmanager_in_bytes():
    """Flink's float fractions make network 128 MiB + 2 B, managed 512 MiB + 8 B, heap 384 MiB − 10 B."""
    spec = TaskExecutorProcessSpec.from_config(SHIPPED)
    assert spec.network.bytes == 134217730
    assert spec.managed.bytes == 536870920
    assert spec.task_heap.bytes == 402653174
    assert spec.jvm_heap.bytes == 536870902
    assert spec.jvm_direct_memory.bytes == 268435458


def test_1728m_taskmanager_command_line_is_flinks():
    """JVM arguments and dynamic properties are byte-identical to a Flink 1.17/1.18 TaskManager's."""
    spec = TaskExecutorProcessSpec.for_yarn(SHIPPED)
    assert spec.jvm_parameters() == (
        "-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 "
        "-XX:MaxMetaspaceSize=268435456")
    assert spec.dynamic_properties() == (
        "-D taskmanager.memory.network.min=134217730b -D taskmanager.cpu.cores=1.0 "
        "-D taskmanager.memory.task.off-heap.size=0b "
        "-D taskmanager.memory.jvm-metaspace.size=268435456b -D external-resources=none "
        "-D taskmanager.memory.jvm-overhead.min=201326592b "
        "-D taskmanager.memory.framework.off-heap.size=134217728b "
        "-D taskmanager.memory.network.max=134217730b "
        "-D taskmanager.memory.framework.heap.size=134217728b "
        "-D taskmanager.memory.managed.size=536870920b "
        "-D taskmanager.memory.task.heap.size=402653174b -D taskmanager.numberOfTaskSlots=1 "
        "-D taskmanager.memory.jvm-overhead.max=201326592b")


def test_worked_example_1600m_jobmanager():
    """1600m: overhead 192, metaspace 256, off-heap 128, heap exactly 1024 MiB."""
    spec = JobManagerProcessSpec.from_config(SHIPPED)
    assert spec.jvm_overhead == MemorySize.of_mebibytes(192)
    assert spec.jvm_metaspace == MemorySize.of_mebibytes(256)
    assert spec.off_heap == MemorySize.of_mebibytes(128)
    assert spec.jvm_heap == MemorySize.of_mebibytes(1024)
    assert spec.total_process_memory == MemorySize.of_mebibytes(1600)
    assert spec.container_memory_mb == 1600


def test_1600m_jobmanager_command_line_is_flinks():
    """JVM arguments and dynamic properties are byte-identical to a Flink 1.17 JobManager's."""
    spec = JobManagerProcessSpec.from_config(SHIPPED)
    assert spec.jvm_parameters(SHIPPED) == (
        "-Xmx1073741824 -Xms1073741824 -XX:MaxMetaspaceSize=268435456")
    assert spec.dynamic_properties() == (
        "-D jobmanager.memory.off-heap.size=134217728b "
        "-D jobmanager.memory.jvm-overhead.min=201326592b "
        "-D jobmanager.memory.jvm-metaspace.size=268435456b "
        "-D jobmanager.memory.heap.size=1073741824b "
        "-D jobmanager.memory.jvm-overhead.max=201326592b")


def test_jobmanager_direct_memory_limit_is_opt_in():
    """``-XX:MaxDirectMemorySize`` is given to the JobManager only when enabled."""
    config = SHIPPED.set("jobmanager.memory.enable-jvm-direct-memory-limit", "true")
    assert JobManagerProcessSpec.from_config(config).jvm_parameters(config) == (
        "-Xmx1073741824 -Xms1073741824 -XX:MaxDirectMemorySize=134217728 "
        "-XX:MaxMetaspaceSize=268435456")


# Other sizes, by Flink's documented rules.

@pytest.mark.parametrize("size, overhead, managed, network, task_heap", [
    # Overhead 10% of process (409.6 MiB) inside [192m, 1g]; network and managed as fractions.
    ("4096m", 429496736, 1438814063, 359703515, 1530082070),
    # Overhead capped at 1g; network 10% of Total Flink (no 1g cap since Flink 1.17).
    ("16g", 1 << 30, 6335076856, 1583769214, 7650410378),
    # Network raised to its 64m minimum.
    ("1000m", 192 * MiB, 231525584, 64 * MiB, 11744048),
])
def test_taskmanager_sizes_follow_flinks_rules(size, overhead, managed, network, task_heap):
    """Other process sizes split as Flink splits them, summing to the process size."""
    spec = tm_config({"taskmanager.memory.process.size": size})
    assert (spec.jvm_overhead.bytes, spec.managed.bytes, spec.network.bytes, spec.task_heap.bytes) \
        == (overhead, managed, network, task_heap)
    assert spec.total_process_memory == MemorySize.parse(size)


def test_network_max_caps_network_memory():
    """An explicit ``taskmanager.memory.network.max`` caps network memory (1g was the pre-1.17 default)."""
    spec = tm_config({"taskmanager.memory.process.size": "16g",
                      "taskmanager.memory.network.max": "1g"})
    assert spec.network == MemorySize(1 << 30)
    assert spec.task_heap.bytes == 8160437768


def test_total_flink_size_derives_overhead_by_inverse_fraction():
    """With only ``taskmanager.memory.flink.size``, overhead is derived from Flink + metaspace."""
    spec = tm_config({"taskmanager.memory.flink.size": "1280m"})
    assert spec.jvm_overhead == MemorySize.of_mebibytes(192)
    assert spec.total_process_memory == MemorySize.of_mebibytes(1728)
    assert spec.task_heap.bytes == 402653174


def test_fine_grained_task_heap_and_managed_derive_the_rest():
    """With task heap and managed memory set, network is derived and the rest adds up."""
    spec = tm_config({"taskmanager.memory.task.heap.size": "384m",
                      "taskmanager.memory.managed.size": "512m"})
    assert spec.task_heap == MemorySize.of_mebibytes(384)
    assert spec.managed == MemorySize.of_mebibytes(512)
    assert spec.network.bytes == 134217730  # 1152 MiB × 0.1f / (1 − 0.1f)
    assert spec.jvm_overhead == MemorySize.of_mebibytes(192)


def test_task_heap_with_process_size_makes_network_the_rest():
    """Task heap set with a process size: managed from its fraction, network is the rest."""
    spec = tm_config({"taskmanager.memory.process.size": "1728m",
                      "taskmanager.memory.task.heap.size": "384m"})
    assert spec.task_heap == MemorySize.of_mebibytes(384)
    assert spec.network.bytes == 1280 * MiB - 256 * MiB - 384 * MiB - 536870920
    assert spec.total_process_memory == MemorySize.of_mebibytes(1728)


def test_legacy_heap_size_stands_for_the_process_size():
    """The deprecated ``taskmanager.heap.size``/``jobmanager.heap.mb`` act as process sizes."""
    assert tm_config({"taskmanager.heap.size": "1728m"}) == tm_config(
        {"taskmanager.memory.process.size": "1728m"})
    assert jm_config({"jobmanager.heap.mb": "1600"}) == JobManagerProcessSpec.from_config(SHIPPED)


@pytest.mark.parametrize("size, heap, overhead", [
    ("4096m", 3462817376, 429496736),
    ("1g", 469762048, 192 * MiB),
    ("800m", 234881024, 192 * MiB),
])
def test_jobmanager_sizes_follow_flinks_rules(size, heap, overhead):
    """Other JobManager sizes split as Flink splits them."""
    spec = jm_config({"jobmanager.memory.process.size": size})
    assert (spec.jvm_heap.bytes, spec.jvm_overhead.bytes) == (heap, overhead)
    assert spec.total_process_memory == MemorySize.parse(size)


def test_jobmanager_heap_size_derives_the_process_size():
    """With ``jobmanager.memory.heap.size`` 1024m the process is 1600m."""
    spec = jm_config({"jobmanager.memory.heap.size": "1024m"})
    assert spec.total_process_memory == MemorySize.of_mebibytes(1600)


def test_jobmanager_off_heap_is_derived_from_flink_size_and_heap():
    """With Flink size and heap but no off-heap size, off-heap is the difference."""
    spec = jm_config({"jobmanager.memory.flink.size": "1200m", "jobmanager.memory.heap.size": "1000m"})
    assert spec.off_heap == MemorySize.of_mebibytes(200)


# Errors, worded as Flink words them.

def test_taskmanager_without_any_size_fails_as_flink_does():
    """Without a size Flink's message lists the three ways to configure one."""
    with pytest.raises(IllegalConfigurationException) as error:
        tm_config({})
    assert error.value.message == (
        "TaskManager memory configuration failed: Either required fine-grained memory "
        "(taskmanager.memory.task.heap.size and taskmanager.memory.managed.size), or Total Flink "
        "Memory size (Key: 'taskmanager.memory.flink.size' , default: null (fallback keys: [])), "
        "or Total Process Memory size (Key: 'taskmanager.memory.process.size' , default: null "
        "(fallback keys: [])) need to be configured explicitly.")


def test_process_size_too_small_for_metaspace_and_overhead():
    """A process smaller than metaspace + overhead fails naming the three sizes."""
    with pytest.raises(IllegalConfigurationException) as error:
        tm_config({"taskmanager.memory.process.size": "400m"})
    assert error.value.message == (
        "TaskManager memory configuration failed: Sum of configured JVM Metaspace "
        "(256.000mb (268435456 bytes)) and JVM Overhead (192.000mb (201326592 bytes)) exceed "
        "configured Total Process Memory (400.000mb (419430400 bytes)).")
    with pytest.raises(IllegalConfigurationException, match="^JobManager memory configuration failed: Sum"):
        jm_config({"jobmanager.memory.process.size": "400m"})


def test_components_exceeding_total_flink_memory():
    """An 800m TaskManager cannot fit framework, managed and network memory."""
    with pytest.raises(IllegalConfigurationException) as error:
        tm_config({"taskmanager.memory.process.size": "800m"})
    assert error.value.message == (
        "TaskManager memory configuration failed: Sum of configured Framework Heap Memory "
        "(128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), "
        "Task Off-Heap Memory (0 bytes), Managed Memory (140.800mb (147639503 bytes)) and Network "
        "Memory (64.000mb (67108864 bytes)) exceed configured Total Flink Memory "
        "(352.000mb (369098752 bytes)).")


def test_jobmanager_flink_memory_below_off_heap():
    """A JobManager whose Flink memory does not exceed its off-heap memory fails."""
    with pytest.raises(IllegalConfigurationException) as error:
        jm_config({"jobmanager.memory.process.size": "500m"})
    assert "The configured Total Flink Memory (52.000mb (54525952 bytes)) is less than the " \
        "configured Off-heap Memory (128.000mb (134217728 bytes))." in error.value.message


def test_inconsistent_jobmanager_heap_and_flink_size():
    """Heap plus off-heap must equal an explicit Flink size."""
    with pytest.raises(IllegalConfigurationException, match="does not match the configured Total Flink"):
        jm_config({"jobmanager.memory.flink.size": "1200m", "jobmanager.memory.heap.size": "1000m",
                   "jobmanager.memory.off-heap.size": "100m"})


def test_flink_and_process_sizes_must_leave_overhead_in_range():
    """Explicit Flink and process sizes leave an overhead that must be within its range."""
    with pytest.raises(IllegalConfigurationException) as error:
        tm_config({"taskmanager.memory.flink.size": "1280m",
                   "taskmanager.memory.process.size": "3000m"})
    assert "Derived JVM Overhead size (1.430gb (1535115264 bytes)) is not in configured JVM " \
        "Overhead range [192.000mb (201326592 bytes), 1024.000mb (1073741824 bytes)]." \
        in error.value.message


def test_fraction_out_of_range():
    """A fraction outside [0, 1) is an inconsistent configuration."""
    with pytest.raises(IllegalConfigurationException) as error:
        tm_config({"taskmanager.memory.process.size": "1728m",
                   "taskmanager.memory.jvm-overhead.fraction": "1.5"})
    assert "Inconsistently configured Key: 'taskmanager.memory.jvm-overhead.fraction'" \
        in error.value.message
    assert "(1.5) and its min (192.000mb (201326592 bytes))" in error.value.message


def test_unreadable_size_names_its_option():
    """A size that does not parse fails naming its option."""
    with pytest.raises(IllegalConfigurationException) as error:
        tm_config({"taskmanager.memory.process.size": "1.5g"})
    assert error.value.message.startswith(
        "TaskManager memory configuration failed: Cannot read memory size from config option "
        "'taskmanager.memory.process.size'.")


# vcores

@pytest.mark.parametrize("entries, vcores", [
    ({}, 1),
    ({"taskmanager.numberOfTaskSlots": "4"}, 4),
    ({"taskmanager.numberOfTaskSlots": "4", "yarn.containers.vcores": "2"}, 2),
    ({"yarn.containers.vcores": "3", "taskmanager.cpu.cores": "1.5"}, 2),
    ({"taskmanager.cpu.cores": "0.2"}, 1),
])
def test_yarn_vcores_rule(entries, vcores):
    """TaskManager vcores: taskmanager.cpu.cores (rounded up) before yarn.containers.vcores, then slots."""
    config = SHIPPED.with_values(entries)
    assert yarn_task_executor_vcores(config) == vcores
    assert TaskExecutorProcessSpec.for_yarn(config).cpu_cores == float(vcores)


def test_cpu_cores_default_to_slots_and_must_be_positive():
    """Outside YARN the cores are taskmanager.cpu.cores, else slots; zero cores are refused."""
    assert task_executor_cpu_cores(SHIPPED.set("taskmanager.numberOfTaskSlots", "3")) == 3.0
    assert TaskExecutorProcessSpec.from_config(SHIPPED.set("taskmanager.cpu.cores", "0.5")).cpu_cores == 0.5
    with pytest.raises(IllegalConfigurationException, match="positive number of CPU cores"):
        yarn_task_executor_vcores(SHIPPED.set("taskmanager.cpu.cores", "0"))


def test_dynamic_properties_carry_cores_and_slots():
    """Dynamic properties tell the TaskExecutor its cores and slots."""
    config = SHIPPED.with_values({"taskmanager.numberOfTaskSlots": "2"})
    configs = TaskExecutorProcessSpec.for_yarn(config).dynamic_configs()
    assert configs["taskmanager.cpu.cores"] == "2.0"
    assert configs["taskmanager.numberOfTaskSlots"] == "2"
    assert len(configs) == 13


# Java HashMap order

def test_java_string_hash_matches_java():
    """``java_string_hash`` is Java's String.hashCode (as unsigned 32 bits)."""
    assert java_string_hash("") == 0
    assert java_string_hash("hello") == 99162322
    assert java_string_hash("polygenelubricants") == (-2147483648) & 0xFFFFFFFF


def test_hash_map_order_grows_the_table_past_three_quarters():
    """Order is by bucket then insertion; a 13th key doubles the table."""
    keys = [f"key{index}" for index in range(13)]
    assert sorted(hash_map_order(keys)) == sorted(keys)
    assert hash_map_order(["b", "a"]) == ["a", "b"]


# Properties

@given(st.integers(min_value=1000, max_value=256 * 1024), st.integers(min_value=1, max_value=16))
def test_derived_taskmanager_specs_sum_to_the_process_size(megabytes, slots):
    """Any process size that fits gives components that sum exactly to it."""
    config = Configuration({"taskmanager.memory.process.size": f"{megabytes}m",
                            "taskmanager.numberOfTaskSlots": str(slots)})
    spec = TaskExecutorProcessSpec.for_yarn(config)
    assert spec.total_process_memory == MemorySize.of_mebibytes(megabytes)
    assert spec.jvm_heap + spec.jvm_direct_memory + spec.managed + spec.jvm_metaspace \
        + spec.jvm_overhead == spec.total_process_memory
    assert MemorySize.of_mebibytes(192) <= spec.jvm_overhead <= MemorySize.of_mebibytes(1024)
    assert spec.network >= MemorySize.of_mebibytes(64)
    assert spec.cpu_cores == slots


@given(st.integers(min_value=600 * MiB, max_value=1 << 40))
def test_derived_jobmanager_specs_sum_to_the_process_size(size):
    """Any JobManager process size that fits gives components that sum exactly to it."""
    spec = jm_config({"jobmanager.memory.process.size": f"{size}b"})
    assert spec.total_process_memory == MemorySize(size)
    assert spec.off_heap == MemorySize.of_mebibytes(128)
