"""
Tests of how a TaskExecutor in a TaskManager container registers at the ResourceManager: the
registration it sends and its first slot report, declines, an unreachable ResourceManager, the
ResourceManager's heartbeats and re-registration.
"""

import pytest

from flinkyarn.ids import ResourceID
from flinkyarn.runtime.errors import TaskManagerException
from flinkyarn.runtime.messages import ResourceProfile, SlotID, SlotStatus
from yarnemu.events import NMContainerStateChanged
from yarnemu.records import NMContainerState

from .taskexecutor_doubles import TaskExecutorCluster


@pytest.fixture
def flink(tmp_path):
    return TaskExecutorCluster(tmp_path)


def test_registration_describes_the_task_executor(flink):
    """A TaskExecutor registers its address, container id, data port, hardware, memory and slots."""
    container, registration = flink.start_registered_task_manager("node-1")
    assert registration.address.startswith("pekko.tcp://flink@node-1:")
    assert registration.address.endswith("/user/rpc/taskmanager_0")
    assert registration.resource_id == ResourceID(str(container.id))
    assert registration.data_port != int(registration.address.split(":")[2].split("/")[0])
    assert registration.jmx_port == -1
    assert registration.node_id == "node-1"
    assert registration.number_of_slots == 2
    assert dict(registration.memory_configuration) == {
        "frameworkHeap": 134217728, "taskHeap": 402653174, "frameworkOffHeap": 134217728,
        "taskOffHeap": 0, "networkMemory": 134217730, "managedMemory": 536870920,
        "jvmMetaspace": 268435456, "jvmOverhead": 201326592, "totalFlinkMemory": 1342177280,
        "totalProcessMemory": 1811939328,
    }
    assert list(registration.memory_configuration) == list(
        dict(registration.memory_configuration))
    assert registration.total_profile == ResourceProfile(2.0, 383, 0, 512, 128)
    assert registration.default_slot_profile == ResourceProfile(1.0, 191, 0, 256, 64)
    assert registration.hardware.cpu_cores == 2
    assert registration.hardware.managed_memory_bytes == 536870920


def test_registers_after_the_jvm_start_up_time(flink):
    """The TaskExecutor registers ``flinkyarn.simulation.taskmanager.startup-time`` after launch."""
    flink.flink_conf["flinkyarn.simulation.taskmanager.startup-time"] = "750 ms"
    container, _ = flink.start_registered_task_manager()
    (launched,) = [event.time for event in flink.events
                   if isinstance(event, NMContainerStateChanged)
                   and event.container_id == container.id
                   and event.to_state is NMContainerState.RUNNING]
    (registered, _), = flink.job_manager.resource_manager.of("register_task_executor")
    assert registered == launched + 750


def test_initial_slot_report_lists_every_slot_free(flink):
    """After registering, the TaskExecutor sends a slot report of all its slots, free."""
    container, registration = flink.start_registered_task_manager()
    flink.run(0.001)
    rm = flink.job_manager.resource_manager
    [(registered, _)] = rm.of("register_task_executor")
    [(reported, (resource_id, registration_id, report))] = rm.of("send_slot_report")
    assert reported == registered
    assert resource_id == registration.resource_id
    assert registration_id == f"{1:032x}"
    assert report.statuses == (
        SlotStatus(SlotID(resource_id, 0), registration.default_slot_profile),
        SlotStatus(SlotID(resource_id, 1), registration.default_slot_profile),
    )
    assert (f"Successful registration at resource manager "
            f"{flink.job_manager.resource_manager_address} under registration id "
            f"{registration_id}.") in flink.log_lines(container)


def test_a_declined_registration_ends_the_process_with_exit_code_1(flink):
    """A ResourceManager that declines the registration makes the TaskManager exit with 1."""
    flink.job_manager.resource_manager.decline = "Discard registration from TaskExecutor x"
    container = flink.start_task_manager()
    assert flink.run_until_exit(container) == 1
    address = flink.job_manager.resource_manager_address
    expected = (f"org.apache.flink.util.FlinkException: The TaskExecutor's registration at the "
                f"ResourceManager {address} has been rejected: Discard registration from "
                f"TaskExecutor x")
    lines = flink.log_lines(container)
    task_executor_address = flink.runner(container).task_executor.address
    assert f"Fatal error occurred in TaskExecutor {task_executor_address}. {expected}" in lines
    assert ("Fatal error occurred while executing the TaskManager. Shutting it down..."
            in lines)
    assert expected in "".join(flink.nm_container(container).diagnostics)


def test_an_unreachable_resource_manager_is_retried_with_back_off(flink):
    """Registration attempts against a dead ResourceManager time out after 100 ms, doubling."""
    flink.job_manager.kill()
    container = flink.start_task_manager()
    flink.run(60)
    [connecting] = flink.logged_at(container, "Connecting to ResourceManager")
    timed_out = flink.logged_at(container, "Registration at ResourceManager")
    assert [time - connecting for time in timed_out] == [
        100, 300, 700, 1500, 3100, 6300, 12700, 25500, 51100]
    assert flink.log_lines(container)[-1] == (
        f"Registration at ResourceManager ({flink.job_manager.resource_manager_address}) "
        f"attempt 9 timed out after 25600 ms")


def test_registers_once_the_resource_manager_is_up(flink):
    """The first attempt after the ResourceManager came up registers."""
    port = flink.job_manager.port
    flink.job_manager.kill()
    container = flink.start_task_manager()
    flink.run_until(lambda: flink.logged_at(container, "Connecting to ResourceManager"))
    [connecting] = flink.logged_at(container, "Connecting to ResourceManager")
    flink.run(1.0)
    job_manager = flink.restart_job_manager(port)
    flink.run_until(lambda: job_manager.resource_manager.registrations)
    [(registered, _)] = job_manager.resource_manager.of("register_task_executor")
    assert registered - connecting == 1500


def test_gives_up_after_the_registration_timeout(flink):
    """Not registered within ``taskmanager.registration.timeout`` (5 min), the process exits 1."""
    flink.job_manager.kill()
    container = flink.start_task_manager()
    assert flink.run_until_exit(container, seconds=400) == 1
    [connecting] = flink.logged_at(container, "Connecting to ResourceManager")
    message = ("Could not register at the ResourceManager within the specified maximum "
               "registration duration 300000 ms. This indicates a problem with this instance. "
               "Terminating now.")
    [failed] = flink.logged_at(container, message)
    assert failed - connecting == 300000
    assert len(flink.logged_at(container, "Registration at ResourceManager")) == 17
    assert ("org.apache.flink.runtime.taskexecutor.exceptions.RegistrationTimeoutException: "
            + message) in "".join(flink.nm_container(container).diagnostics)


def test_the_registration_timeout_is_configurable(flink):
    """``taskmanager.registration.timeout`` sets how long the TaskExecutor tries."""
    flink.job_manager.kill()
    container = flink.start_task_manager(taskmanager_registration_timeout="20s")
    assert flink.run_until_exit(container) == 1
    [connecting] = flink.logged_at(container, "Connecting to ResourceManager")
    [failed] = flink.logged_at(container, "Could not register at the ResourceManager")
    assert failed - connecting == 20000


def test_answers_resource_manager_heartbeats_with_its_slot_report(flink):
    """Each heartbeat request of the ResourceManager is answered with the slot report."""
    container, registration = flink.start_registered_task_manager()
    flink.run(35)
    rm = flink.job_manager.resource_manager
    answers = rm.of("heartbeat_answer")
    assert [time for time, _ in answers] == [
        rm.of("register_task_executor")[0][0] + 10000 * n for n in (1, 2, 3)]
    assert all(len(report.free) == 2 for _, (_, report) in answers)
    assert rm.lost == []
    assert len(rm.of("register_task_executor")) == 1


def test_registers_again_when_the_resource_manager_heartbeat_times_out(flink):
    """Without heartbeat requests for ``heartbeat.timeout``, the TaskExecutor re-registers."""
    rm = flink.job_manager.resource_manager
    rm.heartbeats_enabled = False
    container, registration = flink.start_registered_task_manager()
    flink.run(60)
    [first, second] = [time for time, _ in rm.of("register_task_executor")]
    assert second - first == 50000
    [(disconnected, (resource_id, cause))] = rm.of("disconnect_task_manager")
    assert disconnected == second and resource_id == registration.resource_id
    message = f"The heartbeat of ResourceManager with id {rm.resource_id} timed out."
    assert cause == TaskManagerException(message)
    lines = flink.log_lines(container)
    assert message in lines
    assert lines.index(message) < lines.index(f"Close ResourceManager connection {rm.resource_id}.")
    assert len(rm.of("send_slot_report")) == 2


def test_a_resource_manager_that_disconnects_is_registered_at_again(flink):
    """``disconnect_resource_manager`` makes the TaskExecutor register anew."""
    container, registration = flink.start_registered_task_manager()
    gateway = flink.job_manager.rpc.connect(registration.address)
    gateway.disconnect_resource_manager(TaskManagerException("bye"))
    flink.run(1)
    assert len(flink.job_manager.resource_manager.of("register_task_executor")) == 2
