"""
End to end: FLIP-40 driver mode on the emulated YARN — a driver job whose one task runs the
user's ``main()`` in a slot and submits the program's jobs, named after it, to its own cluster:
a session, or a per-job cluster started for it.  Driven through Flink's client (the executors
``flinkyarn run`` uses) and checked through the JobManager's REST API and YARN.
"""

import os

import pytest

from flinkyarn.client import PerJobPipelineExecutor, SessionPipelineExecutor
from flinkyarn.client.cluster_client import ClusterClient
from flinkyarn.driver import DriverResources, driver_job_graph
from flinkyarn.ids import IdGenerator
from flinkyarn.runtime.errors import JobCancellationException, JobExecutionException
from tests.flinkyarn.flink_harness import (
    flink_on_yarn,
    run_until_ended,
    staging_exists,
    task_manager_containers,
    yarn_states,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
THREE_JOBS = os.path.join(ROOT, "scripts", "programs", "three_jobs.py")
DRIVER = "Flink Driver (three_jobs)"
CHILDREN = [f"{DRIVER} - Ingest Orders", f"{DRIVER} - Enrich Orders",
            f"{DRIVER} - Daily Revenue"]

FAILING = """\
from flinkyarn.api import BoundedSource, StreamExecutionEnvironment, UnboundedSource


def main(args):
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_source(UnboundedSource(1000), None, "Clicks").print()
    env.execute_async("Click Stream")
    env.from_source(BoundedSource(5000, 1000), None, "Orders").print()
    env.execute("Order Count")
    raise ValueError("no revenue table for 2026-11-21")
"""

LEAVES_A_JOB_RUNNING = """\
from flinkyarn.api import BoundedSource, StreamExecutionEnvironment


def main(args):
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_source(BoundedSource(60000, 1000), None, "Backfill").print()
    env.execute_async("Backfill")
"""


@pytest.fixture
def flink(tmp_path):
    return flink_on_yarn(tmp_path, flink_config={"taskmanager.numberOfTaskSlots": 2,
                                                 "parallelism.default": 2})


@pytest.fixture
def session(flink):
    return flink.run(flink.descriptor().deploy_session_cluster(flink.specification()))


def client_config(flink, attached=True, **values):
    return flink.config.with_values({"execution.attached": "true" if attached else "false",
                                     **values})


def driver_graph(config, program=THREE_JOBS, args=("--records", "20000"), seed=1, **resources):
    return driver_job_graph(program, list(args), config, IdGenerator(seed).job_id(),
                            DriverResources.parse(**resources).resource_spec(config))


def submit_driver(flink, session, graph, config):
    """Run the driver as ``flinkyarn run --driver`` does against a session; :return: its id."""
    executor = SessionPipelineExecutor(session, config, flink.descriptor().log)
    flink.run(executor.execute(graph))
    return graph.job_id


def jobs(flink, cluster):
    """:return: name → state of every job, as ``/jobs/overview`` lists them."""
    return {job.job_name: job.job_state.value for job in flink.run(cluster.list_jobs())}


def slots_of(rest, job_id):
    """:return: the slots ``/taskmanagers/<id>`` list allocated to ``job_id``."""
    return [slot for view in rest.get_taskmanagers()["taskmanagers"]
            for slot in rest.get_taskmanager(view["id"])["allocatedSlots"]
            if slot["jobId"] == str(job_id)]


def test_a_driver_runs_main_in_the_session_and_its_jobs_are_named_after_it(flink, session):
    """The driver job takes one slot for as long as main() runs; its three jobs run one after
    the other under its name; everything ends FINISHED and the session goes on."""
    config = client_config(flink, attached=False)
    graph = driver_graph(config)
    driver_id = submit_driver(flink, session, graph, config)
    rest = flink.job_manager(session.application_id).rest
    for running in range(3):
        assert flink.run_until(lambda: jobs(flink, session).get(CHILDREN[running]) == "RUNNING")
        listed = jobs(flink, session)
        assert listed[DRIVER] == "RUNNING"
        assert [name for name in CHILDREN if name in listed] == CHILDREN[:running + 1]
        assert [slot["jobId"] for slot in slots_of(rest, driver_id)] == [str(driver_id)]
    assert flink.run_until(lambda: jobs(flink, session).get(DRIVER) == "FINISHED")
    assert jobs(flink, session) == {name: "FINISHED" for name in [DRIVER, *CHILDREN]}
    assert slots_of(rest, driver_id) == []
    assert yarn_states(flink, session.application_id) == ("RUNNING", "UNDEFINED")
    detail = rest.get_job(str(driver_id))
    assert [(vertex["name"], vertex["parallelism"]) for vertex in detail["vertices"]] == \
        [("Flink Driver", 1)]


def test_an_attached_client_waits_for_the_driver_and_gets_its_result(flink, session):
    """Attached, the client returns once the driver job (and so main()) is done."""
    config = client_config(flink)
    executor = SessionPipelineExecutor(session, config, flink.descriptor().log)
    result = flink.run(executor.execute(driver_graph(config)))
    assert str(result).startswith(f"Program execution finished\nJob with JobID "
                                  f"{result.job_id} has finished.\nJob Runtime: ")
    assert jobs(flink, session) == {name: "FINISHED" for name in [DRIVER, *CHILDREN]}


def test_without_driver_options_the_driver_takes_a_default_slot(flink, session):
    config = client_config(flink, attached=False)
    driver_id = submit_driver(flink, session, driver_graph(config), config)
    rest = flink.job_manager(session.application_id).rest
    assert flink.run_until(lambda: slots_of(rest, driver_id))
    [slot] = slots_of(rest, driver_id)
    # A default slot: half of a 1728m, two-slot TaskManager.
    assert slot["resource"] == {"cpuCores": 1.0, "taskHeapMemory": 191, "taskOffHeapMemory": 0,
                                "managedMemory": 256, "networkMemory": 64,
                                "extendedResources": {}}
    holder = [view for view in rest.get_taskmanagers()["taskmanagers"]
              if any(s["jobId"] == str(driver_id)
                     for s in rest.get_taskmanager(view["id"])["allocatedSlots"])]
    assert [view["slotsNumber"] for view in holder] == [2]


def test_the_driver_options_size_its_slot_and_its_container(flink, session):
    """--driverheapmemory 2048 --driverdirectmemory 64 --drivernativememory 32 --drivercpus 1:
    a TaskManager of one slot of that size, in a container sized as Flink sizes a worker."""
    config = client_config(flink, attached=False)
    graph = driver_graph(config, heap=2048, direct=64, native=32, cpus=1)
    driver_id = submit_driver(flink, session, graph, config)
    rest = flink.job_manager(session.application_id).rest
    assert flink.run_until(lambda: slots_of(rest, driver_id))
    [slot] = slots_of(rest, driver_id)
    # The slot asked for, with the network memory of a default slot (a TaskManager needs some).
    assert slot["resource"] == {"cpuCores": 1.0, "taskHeapMemory": 2048,
                                "taskOffHeapMemory": 96, "managedMemory": 0,
                                "networkMemory": 64, "extendedResources": {}}
    [driver_tm] = [view for view in rest.get_taskmanagers()["taskmanagers"]
                   if rest.get_taskmanager(view["id"])["allocatedSlots"]
                   and view["slotsNumber"] == 1]
    assert driver_tm["totalResource"] == {"cpuCores": 1.0, "taskHeapMemory": 2048,
                                          "taskOffHeapMemory": 96, "managedMemory": 0,
                                          "networkMemory": 64, "extendedResources": {}}
    memory = driver_tm["memoryConfiguration"]
    # 128m framework heap + 2048m + 128m framework off-heap + 96m + 64m network = 2464m Flink
    # memory; + 256m Metaspace; JVM Overhead 0.1 of the whole, 302.2m: 3022.2m in all.
    assert memory["totalFlinkMemory"] == 2464 << 20
    assert memory["totalProcessMemory"] // (1 << 20) == 3022
    containers = {str(c.container_id): c.resource for c in
                  task_manager_containers(flink, session.application_id)}
    assert containers[driver_tm["id"]].memory == 3072  # YARN's 1024 MB steps
    assert containers[driver_tm["id"]].vcores == 1
    # Every other TaskManager is of the configured size.
    assert {resource.memory for cid, resource in containers.items()
            if cid != driver_tm["id"]} <= {2048}
    assert flink.run_until(lambda: jobs(flink, session).get(DRIVER) == "FINISHED")


def test_a_main_that_raises_fails_the_driver_and_cancels_its_running_jobs(flink, session,
                                                                            tmp_path):
    """The driver FAILS with main()'s exception — type, message and traceback — in
    /jobs/{id}/exceptions; the job it left running is cancelled, the one it waited for stays
    FINISHED; the session runs on.  A restart strategy does not restart it: a failed main()
    is not recoverable."""
    program = tmp_path / "revenue.py"
    program.write_text(FAILING)
    config = client_config(flink, **{"restart-strategy.type": "fixed-delay",
                                     "restart-strategy.fixed-delay.attempts": "3"})
    executor = SessionPipelineExecutor(session, config, flink.descriptor().log)
    graph = driver_job_graph(str(program), [], config, IdGenerator(3).job_id())
    with pytest.raises(JobExecutionException) as failed:
        flink.run(executor.execute(graph))
    assert "The main method caused an error: no revenue table" in \
        failed.value.serialized_throwable.message
    name = "Flink Driver (revenue)"
    assert flink.run_until(lambda: jobs(flink, session).get(f"{name} - Click Stream")
                           == "CANCELED")
    assert jobs(flink, session) == {name: "FAILED", f"{name} - Click Stream": "CANCELED",
                                    f"{name} - Order Count": "FINISHED"}
    rest = flink.job_manager(session.application_id).rest
    exceptions = rest.get_job_exceptions(str(graph.job_id))
    root = exceptions["root-exception"]
    assert root.startswith("org.apache.flink.runtime.JobException: The failure is not "
                           "recoverable\nCaused by: org.apache.flink.runtime.execution."
                           "SuppressRestartsException: Unrecoverable failure.")
    assert ("Caused by: org.apache.flink.client.program.ProgramInvocationException: The main "
            "method caused an error: no revenue table for 2026-11-21") in root
    assert ('File "usrlib/revenue.py", line 10, in main\n'
            '    raise ValueError("no revenue table for 2026-11-21")\n'
            "ValueError: no revenue table for 2026-11-21") in root
    [entry] = exceptions["exceptionHistory"]["entries"]
    assert entry["exceptionName"] == \
        "org.apache.flink.runtime.execution.SuppressRestartsException"
    assert entry["taskName"] == "Flink Driver (1/1)"
    assert "ValueError: no revenue table for 2026-11-21" in entry["stacktrace"]
    assert rest.get_job_metrics(str(graph.job_id), "numRestarts")["metrics"] == \
        [{"id": "numRestarts", "value": "0"}]
    assert yarn_states(flink, session.application_id) == ("RUNNING", "UNDEFINED")


def test_a_program_that_does_not_load_fails_the_driver(flink, session, tmp_path):
    program = tmp_path / "broken.py"
    program.write_text("def main(args:\n    pass\n")
    config = client_config(flink)
    executor = SessionPipelineExecutor(session, config, flink.descriptor().log)
    graph = driver_job_graph(str(program), [], config, IdGenerator(4).job_id())
    with pytest.raises(JobExecutionException):
        flink.run(executor.execute(graph))
    root = flink.job_manager(session.application_id).rest.get_job_exceptions(
        str(graph.job_id))["root-exception"]
    assert "Could not load program 'usrlib/broken.py': '(' was never closed (line 1)." in root


def test_cancelling_the_driver_cancels_the_jobs_it_runs(flink, session):
    config = client_config(flink, attached=False)
    driver_id = submit_driver(flink, session, driver_graph(config), config)
    assert flink.run_until(lambda: jobs(flink, session).get(CHILDREN[0]) == "RUNNING")
    flink.run(session.cancel(driver_id))
    assert flink.run_until(lambda: jobs(flink, session).get(CHILDREN[0]) == "CANCELED")
    assert flink.run_until(lambda: jobs(flink, session).get(DRIVER) == "CANCELED")
    flink.advance(60)
    assert jobs(flink, session) == {DRIVER: "CANCELED", CHILDREN[0]: "CANCELED"}


def test_a_driver_of_its_own_runs_in_a_per_job_cluster_that_ends_with_its_jobs(flink,
                                                                               tmp_path):
    """``-t yarn-per-job --driver -d``: the cluster takes the jobs main() submits; it ends
    FINISHED/SUCCEEDED once the driver and every job it started are done — here main()
    returns while its job still runs, and the cluster waits for it."""
    config = client_config(flink, attached=False, **{"execution.target": "yarn-per-job"})
    executor = PerJobPipelineExecutor(flink.descriptor(config=config), config)
    program = tmp_path / "backfill.py"
    program.write_text(LEAVES_A_JOB_RUNNING)
    graph = driver_job_graph(str(program), [], config, IdGenerator(5).job_id())
    flink.run(executor.execute(graph))
    [cluster] = executor.cluster_clients
    app = cluster.application_id
    assert flink.run_until(lambda: jobs(flink, cluster).get("Flink Driver (backfill)")
                           == "FINISHED")
    assert jobs(flink, cluster)["Flink Driver (backfill) - Backfill"] == "RUNNING"
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    assert not staging_exists(flink, app)


def test_an_attached_driver_cluster_ends_once_the_client_has_the_result(flink):
    config = client_config(flink, **{"execution.target": "yarn-per-job"})
    executor = PerJobPipelineExecutor(flink.descriptor(config=config), config)
    result = flink.run(executor.execute(driver_graph(config, heap=512)))
    [cluster] = executor.cluster_clients
    assert str(result).startswith("Program execution finished")
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "SUCCEEDED")


def test_a_cancelled_driver_of_its_own_ends_its_cluster_killed(flink):
    config = client_config(flink, attached=False, **{"execution.target": "yarn-per-job"})
    executor = PerJobPipelineExecutor(flink.descriptor(config=config), config)
    graph = driver_graph(config)
    flink.run(executor.execute(graph))
    [cluster] = executor.cluster_clients
    assert flink.run_until(lambda: jobs(flink, cluster).get(CHILDREN[0]) == "RUNNING")
    flink.run(cluster.cancel(graph.job_id))
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "KILLED")


def test_a_failing_driver_of_its_own_ends_its_cluster_failed(flink, tmp_path):
    program = tmp_path / "revenue.py"
    program.write_text(FAILING)
    config = client_config(flink, **{"execution.target": "yarn-per-job"})
    executor = PerJobPipelineExecutor(flink.descriptor(config=config), config)
    with pytest.raises(JobExecutionException) as failed:
        flink.run(executor.execute(driver_job_graph(str(program), [], config,
                                                    IdGenerator(6).job_id())))
    assert not isinstance(failed.value, JobCancellationException)
    [cluster] = executor.cluster_clients
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "FAILED")


def test_the_driver_job_travels_over_rest_whole(flink, session):
    """What the client posts to /jobs is what the TaskManager runs: the program's text goes
    with the JobGraph, so the driver needs nothing from the client's disk."""
    config = client_config(flink, attached=False)
    graph = driver_graph(config, heap=256)
    assert isinstance(session, ClusterClient)
    flink.run(session.submit_job(graph))
    master = flink.job_manager(session.application_id).dispatcher.request_job(graph.job_id)
    assert master.job_graph == graph
    assert flink.run_until(lambda: jobs(flink, session).get(DRIVER) == "FINISHED")


def test_a_driver_whose_task_manager_dies_leaves_no_job_of_its_cluster_behind(flink):
    """The driver's TaskManager is killed: nothing runs main() to cancel its jobs, so its
    cluster cancels them, and ends FAILED with the driver."""
    config = client_config(flink, attached=False, **{"execution.target": "yarn-per-job"})
    executor = PerJobPipelineExecutor(flink.descriptor(config=config), config)
    graph = driver_graph(config, heap=512)
    flink.run(executor.execute(graph))
    [cluster] = executor.cluster_clients
    app = cluster.application_id
    assert flink.run_until(lambda: jobs(flink, cluster).get(CHILDREN[0]) == "RUNNING")
    rest = flink.job_manager(app).rest
    [driver_tm] = [view["id"] for view in rest.get_taskmanagers()["taskmanagers"]
                   if view["slotsNumber"] == 1]
    [container] = [c.container_id for c in task_manager_containers(flink, app)
                   if str(c.container_id) == driver_tm]
    flink.kill_container(container)
    assert run_until_ended(flink, app) == ("FINISHED", "FAILED")
    assert [event.message for event in flink.events.events
            if "the driver job" in getattr(event, "message", "")] == [
        f"Cancelling job {flink_job_id(flink, CHILDREN[0])}: the driver job {graph.job_id} is "
        "FAILED."]


def flink_job_id(flink, name):
    from flinkyarn.events import JobStatusChanged

    return next(event.job_id for event in flink.events.events
                if isinstance(event, JobStatusChanged) and event.job_name == name)


def test_a_driver_job_takes_no_savepoint(flink, session):
    """The driver is a batch job: ``flinkyarn stop`` refuses it as Flink refuses one."""
    from flinkyarn.client.cluster_client import RemoteFlinkException

    config = client_config(flink, attached=False)
    driver_id = submit_driver(flink, session, driver_graph(config), config)
    assert flink.run_until(lambda: jobs(flink, session).get(DRIVER) == "RUNNING")
    with pytest.raises(RemoteFlinkException) as refused:
        flink.run(session.stop_with_savepoint(driver_id, "hdfs:///savepoints"))
    assert refused.value.args[0] == f"Job {driver_id} is not a streaming job."
