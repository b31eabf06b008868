"""
The JobMaster's slots, end to end on a session cluster: how many it declares to the
ResourceManager (slot sharing: the sum over slot sharing groups of each group's largest
parallelism), region-by-region deployment, ``slot.request.timeout``, and slots given back when
the job ends.
"""

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.events import JobStatusChanged, TaskManagerRegistered, TaskStateChanged
from flinkyarn.graph.simulation import UnboundedSource
from flinkyarn.states import ExecutionState, JobStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    events_of,
    every_task_running,
    job_master,
    log_lines,
    session_cluster,
    submit_and_run,
    task_manager_containers,
    unbounded_job,
)


def grouped_job(name, source_parallelism, map_parallelism, map_group=None):
    """:return: source → rebalance → map → print, the map (and print) in ``map_group``."""
    env = StreamExecutionEnvironment()
    mapped = env.from_source(UnboundedSource(1_000)).set_parallelism(source_parallelism) \
        .rebalance().map(lambda x: x).set_parallelism(map_parallelism)
    if map_group is not None:
        mapped.slot_sharing_group(map_group)
    mapped.print().set_parallelism(map_parallelism)
    return env.get_job_graph(name)


def declared(flink, job):
    """:return: the requirements the ResourceManager received from ``job``, as it logged them."""
    prefix = f"Received resource requirements from job {job}: "
    return [line[len(prefix):] for line in log_lines(flink, prefix) if line.startswith(prefix)]


def requirement_of(count):
    """:return: the ResourceManager's text of a requirement of ``count`` slots."""
    return ("[ResourceRequirement{resourceProfile=ResourceProfile{UNKNOWN}, "
            f"numberOfRequiredSlots={count}}}]")


def test_one_slot_sharing_group_needs_as_many_slots_as_its_largest_parallelism(tmp_path):
    """source (2) → map (4), one group: 4 slots declared, 4 one-slot TaskManagers started."""
    flink, session = session_cluster(tmp_path, nodes=4)
    job, master = submit_and_run(flink, session, grouped_job("shared", 2, 4))

    assert declared(flink, job) == [requirement_of(4)]
    assert len(events_of(flink, TaskManagerRegistered, session.application_id)) == 4
    assert len(master.pool.slots) == 4


def test_each_slot_sharing_group_needs_its_own_slots(tmp_path):
    """source (2) in ``default``, map (3) in ``other``: 2 + 3 = 5 slots, 5 TaskManagers."""
    flink, session = session_cluster(tmp_path, nodes=5)
    job, master = submit_and_run(flink, session, grouped_job("split", 2, 3, map_group="other"))

    assert declared(flink, job) == [requirement_of(5)]
    assert len(events_of(flink, TaskManagerRegistered, session.application_id)) == 5
    slots_of_group = {}
    for task in master.graph.execution_vertices():
        slots_of_group.setdefault(task.job_vertex.slot_sharing_group, set()).add(
            task.current_execution.assigned_allocation)
    assert {group: len(slots) for group, slots in slots_of_group.items()} == {
        "default": 2, "other": 3}
    assert not slots_of_group["default"] & slots_of_group["other"]


def test_a_region_without_slots_fails_after_the_slot_request_timeout(tmp_path):
    """Room for one TaskManager only: region 1 runs; region 2 times out (NoResourceAvailable)."""
    flink, session = session_cluster(tmp_path, {"slot.request.timeout": "60000"}, nodes=1,
                                     memory_mb=4096)
    app = session.application_id
    job = flink.run(session.submit_job(unbounded_job("too-big", parallelism=2)))
    master = job_master(flink, app, job)
    first, second = master.graph.execution_vertices()
    assert flink.run_until(lambda: first.execution_state is ExecutionState.RUNNING)
    assert second.execution_state is ExecutionState.SCHEDULED

    result = flink.run(session.request_job_result(job))
    assert result.job_status is JobStatus.FAILED
    (scheduled_at,) = [e.time for e in events_of(flink, TaskStateChanged, app)
                       if e.task == second.task_name_with_subtask_index
                       and e.to_state is ExecutionState.SCHEDULED]
    (failing,) = [e for e in events_of(flink, JobStatusChanged, app)
                  if e.to_state is JobStatus.FAILING]
    assert failing.time == scheduled_at + 60_000
    assert failing.error == (
        "org.apache.flink.runtime.JobException: Recovery is suppressed by "
        "NoRestartBackoffTimeStrategy\nCaused by: "
        "org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException: Slot request "
        "bulk is not fulfillable! Could not allocate the required slot within slot request "
        "timeout\nCaused by: java.util.concurrent.TimeoutException: Timeout has occurred: 60000 ms")
    assert len(task_manager_containers(flink, app)) == 1


def test_a_finished_job_gives_its_slots_back_for_the_next_job(tmp_path):
    """After a job finished its slots are free again, and the next job runs in them."""
    flink, session = session_cluster(tmp_path, {"taskmanager.numberOfTaskSlots": "2"})
    app = session.application_id
    first = flink.run(session.submit_job(bounded_job("first", parallelism=2, records=2_000)))
    assert flink.run(session.request_job_result(first)).job_status is JobStatus.FINISHED
    rest = flink.job_manager(app).rest
    assert flink.run_until(lambda: rest.get_overview()["slots-available"] == 2)
    assert job_master(flink, app, first).pool.slots == {}
    (container,) = task_manager_containers(flink, app)

    second, master = submit_and_run(flink, session, bounded_job("second", parallelism=2))
    overview = rest.get_overview()
    assert (overview["taskmanagers"], overview["slots-total"], overview["slots-available"]) == (
        1, 2, 0)
    assert task_manager_containers(flink, app) == [container]
    assert every_task_running(master)


def test_a_timed_out_region_is_restarted_and_waits_for_its_slots_again(tmp_path):
    """With a restart left, the timed-out region restarts, asks again, and times out again."""
    flink, session = session_cluster(tmp_path, {
        "slot.request.timeout": "60000", "restart-strategy.type": "fixed-delay",
        "restart-strategy.fixed-delay.attempts": "1", "restart-strategy.fixed-delay.delay": "1 s"},
        nodes=1, memory_mb=4096)
    app = session.application_id
    job = flink.run(session.submit_job(unbounded_job("still-too-big", parallelism=2)))
    master = job_master(flink, app, job)

    assert flink.run(session.request_job_result(job)).job_status is JobStatus.FAILED
    first, second = (task.task_name_with_subtask_index
                     for task in master.graph.execution_vertices())
    scheduled = [e.time for e in events_of(flink, TaskStateChanged, app)
                 if e.task == second and e.to_state is ExecutionState.SCHEDULED]
    assert [time - scheduled[0] for time in scheduled] == [0, 61_000]
    (failing,) = [e.time for e in events_of(flink, JobStatusChanged, app)
                  if e.to_state is JobStatus.FAILING]
    assert failing == scheduled[0] + 121_000
    assert master.restarts == 1
    assert [(e.from_state.value, e.to_state.value) for e in events_of(flink, TaskStateChanged, app)
            if e.task == first][-2:] == [("RUNNING", "CANCELING"), ("CANCELING", "CANCELED")]
