"""
Tests of the TaskManager process as a container program: what it serves, its log, how it ends
(SIGTERM, a bad configuration), and that a run is deterministic.
"""

import io

import pytest
from zope.interface.verify import verifyObject

from flinkyarn.graph.simulation import BoundedSource, UnboundedSource
from flinkyarn.runtime.errors import FlinkException
from flinkyarn.runtime.gateways import ITaskExecutorGateway
from flinkyarn.runtime.taskexecutor import TaskExecutor, YarnTaskExecutorRunner
from flinkyarn.yarn.constants import TASK_EXECUTOR_RUNNER
from yarnemu.nodemanager.programs import ProgramRegistry

from .taskexecutor_doubles import TaskExecutorCluster, input_from


@pytest.fixture
def flink(tmp_path):
    return TaskExecutorCluster(tmp_path)


def test_the_runner_is_a_container_program():
    """The runner class is the factory a ProgramRegistry takes for YarnTaskExecutorRunner."""
    registry = ProgramRegistry({TASK_EXECUTOR_RUNNER: YarnTaskExecutorRunner})
    assert registry.get("org.apache.flink.yarn.YarnTaskExecutorRunner") is YarnTaskExecutorRunner


def test_the_task_executor_provides_its_gateway(flink):
    """The hosted endpoint provides ITaskExecutorGateway, at the address it registered."""
    container, registration = flink.start_registered_task_manager()
    task_executor = flink.runner(container).task_executor
    assert isinstance(task_executor, TaskExecutor)
    assert verifyObject(ITaskExecutorGateway, task_executor)
    assert task_executor.address == registration.address


def test_logs_to_taskmanager_log(flink):
    """The process logs in Flink's layout to taskmanager.log and to the event stream."""
    container, _ = flink.start_registered_task_manager()
    lines = flink.log_lines(container)
    assert lines[0] == f"Starting TaskManager with ResourceID: {container.id}"
    assert [message for _, message in flink.log_events(container)] == lines


def test_sigterm_says_goodbye_and_exits_with_143(flink):
    """A stopped container's TaskExecutor disconnects from the RM and its JobMasters, exits 143."""
    container, registration = flink.start_registered_task_manager()
    job_master = flink.job_manager.add_job_master()
    flink.allocate_slot(registration, job_master)
    flink.stop_container(container)
    assert flink.run_until_exit(container) == 143
    cause = FlinkException("The TaskExecutor is shutting down.")
    [(_, arguments)] = flink.job_manager.resource_manager.of("disconnect_task_manager")
    assert arguments == (registration.resource_id, cause)
    [(_, arguments)] = job_master.of("disconnect_task_manager")
    assert arguments == (registration.resource_id, cause)
    assert flink.log_lines(container)[-6:] == [
        "RECEIVED SIGNAL 15: SIGTERM. Shutting down as requested.",
        f"Stopping TaskExecutor {registration.address}.",
        f"Close ResourceManager connection {flink.job_manager.resource_manager.resource_id}.",
        f"Remove job {job_master.job_id} from job leader monitoring.",
        f"Close JobManager connection for job {job_master.job_id}.",
        f"Stopped TaskExecutor {registration.address}.",
    ]
    assert "Exit code is 143" in "".join(flink.nm_container(container).diagnostics)


def test_sigterm_during_start_up_exits_with_143(flink):
    """A TaskManager stopped before its JVM started exits with 143 too."""
    container = flink.start_task_manager()
    flink.run(0.5)
    flink.stop_container(container)
    assert flink.run_until_exit(container) == 143
    assert flink.job_manager.resource_manager.calls == []


def test_the_process_keeps_running_without_work(flink):
    """An idle TaskManager stays up: it ends only when stopped."""
    container, _ = flink.start_registered_task_manager()
    flink.run(3600)
    assert flink.exit_code(container) is None


def test_a_missing_job_manager_address_is_fatal(flink):
    """Without jobmanager.rpc.address the TaskManager cannot start and exits with 1."""
    container = flink.start_task_manager(jobmanager_rpc_address="")
    assert flink.run_until_exit(container) == 1
    assert ("Config parameter 'Key: 'jobmanager.rpc.address' , default: null (fallback keys: "
            "[])' is missing (hostname/address of JobManager to connect to).") in "".join(
        flink.nm_container(container).diagnostics)


def test_a_bad_memory_configuration_is_fatal(flink):
    """Memory sizes that do not add up end the process with exit code 1."""
    container = flink.start_task_manager(taskmanager_memory_task_heap_size="4g")
    assert flink.run_until_exit(container) == 1
    assert "TaskManager memory configuration failed" in "".join(
        flink.nm_container(container).diagnostics)


def test_a_dead_job_manager_process_ends_its_task_managers(flink):
    """When the JobManager process dies, tasks fail after 50 s and the TaskManager exits after
    another registration timeout."""
    container, registration = flink.start_registered_task_manager()
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master)
    flink.submit(job_master, registration, flink.tdd(job_master, allocation_id,
                                                     simulations=(UnboundedSource(1.0),)))
    flink.run(15)
    rm_heartbeat = flink.job_manager.resource_manager.of("heartbeat_answer")[-1][0]
    flink.job_manager.kill()
    assert flink.run_until_exit(container, seconds=1000) == 1
    rm_lost = rm_heartbeat + 50000
    assert flink.logged_at(container, "The heartbeat of ResourceManager") == [rm_lost]
    assert len(flink.logged_at(container, "switched from RUNNING to FAILED")) == 1
    [gave_up] = flink.logged_at(container, "Could not register at the ResourceManager")
    assert gave_up == rm_lost + 300000


def scenario(data_dir):
    """Two TaskManagers, a producer and a consumer, a checkpoint, a lost producer."""
    flink = TaskExecutorCluster(data_dir)
    producer_container, producer_tm = flink.start_registered_task_manager("node-1")
    _, consumer_tm = flink.start_registered_task_manager("node-2")
    job_master = flink.job_manager.add_job_master()
    producer_slot = flink.allocate_slot(producer_tm, job_master)
    consumer_slot = flink.allocate_slot(consumer_tm, job_master)
    _, partition = flink.partition_id()
    producer = flink.tdd(job_master, producer_slot, simulations=(UnboundedSource(123.0),),
                         produced=(partition,))
    flink.submit(job_master, producer_tm, producer)
    consumer = flink.tdd(job_master, consumer_slot, name="Sink",
                         inputs=((input_from(job_master, producer_tm, partition),),))
    flink.submit(job_master, consumer_tm, consumer)
    flink.run(3.7)
    job_master.gateway(producer_tm.resource_id).trigger_checkpoint(
        producer.execution_attempt_id, 1, flink.now_ms())
    flink.run(30)
    flink.stop_container(producer_container)
    flink.run(5)
    other = flink.tdd(job_master, consumer_slot, simulations=(BoundedSource(999, 77.0),))
    flink.submit(job_master, consumer_tm, other)
    flink.run(60)
    stream = io.StringIO()
    flink.cluster.events.write_jsonl(stream)
    return stream.getvalue().replace(str(data_dir), "<data>")


def test_the_same_run_gives_the_same_event_log(tmp_path):
    """Running the same scenario twice gives byte-identical event logs."""
    first = scenario(tmp_path / "first")
    second = scenario(tmp_path / "second")
    assert first == second
    assert '"kind":"flink.slots.offered"' in first
    assert "RemoteTransportException" in first
