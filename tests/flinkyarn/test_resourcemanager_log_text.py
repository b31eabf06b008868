"""Tests for :mod:`flinkyarn.runtime.resourcemanager.log_text` and the spec texts of
:mod:`flinkyarn.runtime.resourcemanager.worker_spec`: Flink's toString forms in logs."""

import pytest

from flinkyarn.config import Configuration, TaskExecutorProcessSpec
from flinkyarn.config.values import Duration
from flinkyarn.runtime.messages import ResourceProfile, ResourceRequirement
from flinkyarn.runtime.resourcemanager.log_text import (
    java_duration_text,
    profile_text,
    requirements_text,
)
from flinkyarn.runtime.resourcemanager.worker_spec import WorkerResourceSpec, process_spec_text


@pytest.mark.parametrize("duration, text", [
    (Duration.of_minutes(5), "PT5M"), (Duration.of_seconds(3), "PT3S"),
    (Duration.of_millis(500), "PT0.5S"), (Duration.ZERO, "PT0S"),
    (Duration.of_millis(5400250), "PT1H30M0.25S"),
])
def test_durations_print_as_java_time_duration(duration, text):
    """Durations print in java.time.Duration's ISO-8601 form."""
    assert java_duration_text(duration) == text


def test_requirements_print_as_flinks_resource_requirement():
    """Requirements print as a Java list of ResourceRequirement{…}."""
    requirements = [ResourceRequirement(ResourceProfile.UNKNOWN, 2)]
    assert requirements_text(requirements) == (
        "[ResourceRequirement{resourceProfile=ResourceProfile{UNKNOWN}, "
        "numberOfRequiredSlots=2}]")
    assert profile_text(ResourceProfile(1.0, 384, 0, 512, 128)) == (
        "ResourceProfile{cpuCores=1.0, taskHeapMemory=384.000mb (402653184 bytes), "
        "taskOffHeapMemory=0 bytes, managedMemory=512.000mb (536870912 bytes), "
        "networkMemory=128.000mb (134217728 bytes)}")


def test_specs_print_as_flink_prints_them():
    """The shipped TaskManager's specs print with Flink's sizes and wording."""
    spec = TaskExecutorProcessSpec.for_yarn(Configuration.shipped_default())
    assert str(WorkerResourceSpec.from_process_spec(spec)) == (
        "WorkerResourceSpec {cpuCores=1.0, taskHeapSize=384.000mb (402653174 bytes), "
        "taskOffHeapSize=0 bytes, networkMemSize=128.000mb (134217730 bytes), "
        "managedMemSize=512.000mb (536870920 bytes), numSlots=1}")
    assert process_spec_text(spec) == (
        "TaskExecutorProcessSpec {cpuCores=1.0, frameworkHeapSize=128.000mb (134217728 bytes), "
        "frameworkOffHeapSize=128.000mb (134217728 bytes), taskHeapSize=384.000mb "
        "(402653174 bytes), taskOffHeapSize=0 bytes, networkMemSize=128.000mb (134217730 bytes), "
        "managedMemorySize=512.000mb (536870920 bytes), jvmMetaspaceSize=256.000mb "
        "(268435456 bytes), jvmOverheadSize=192.000mb (201326592 bytes), numSlots=1}")


def test_default_slot_profile_divides_the_worker():
    """A worker's default slot gets an equal share of each resource."""
    config = Configuration.shipped_default().with_values({"taskmanager.numberOfTaskSlots": "2"})
    spec = WorkerResourceSpec.from_process_spec(TaskExecutorProcessSpec.for_yarn(config))
    assert spec.total_profile == ResourceProfile(2.0, 383, 0, 512, 128)
    assert spec.default_slot_profile == ResourceProfile(1.0, 191, 0, 256, 64)
