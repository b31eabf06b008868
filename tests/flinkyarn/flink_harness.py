"""
Shared set-up of the end-to-end tests: a started :class:`~flinkyarn.flink_on_yarn.FlinkOnYarn`
with a tiny Flink distribution, pipelines to submit, and questions about YARN's view of an
application.
"""

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.flink_on_yarn import FlinkOnYarn
from flinkyarn.graph.simulation import BoundedSource, UnboundedSource
from yarnemu.cluster import NodeGroup

__all__ = ["all_tasks_running", "events_of", "flink_on_yarn", "run_until_ended", "bounded_job", "unbounded_job", "staging_exists", "yarn_states",
           "task_manager_containers"]


def flink_on_yarn(tmp_path, nodes=3, memory_mb=8192, vcores=8, flink_config=None,
                  yarn_config=None):
    """:return: a started FlinkOnYarn of ``nodes`` NodeManagers, with a tiny distribution."""
    return FlinkOnYarn(tmp_path, [NodeGroup(nodes, memory_mb=memory_mb, vcores=vcores)],
                       yarn_config=yarn_config, flink_config=flink_config,
                       dist_size="tiny").start()


def bounded_job(name, parallelism=2, records=10_000, rate=1_000, config=None):
    """:return: the JobGraph of a source → map → print pipeline taking ``records / rate`` s."""
    env = StreamExecutionEnvironment(config)
    env.set_parallelism(parallelism)
    env.from_source(BoundedSource(records, rate)).map(lambda x: x).print()
    return env.get_job_graph(name)


def unbounded_job(name, parallelism=2, config=None):
    """:return: the JobGraph of an unbounded source → map → print pipeline."""
    env = StreamExecutionEnvironment(config)
    env.set_parallelism(parallelism)
    env.from_source(UnboundedSource(1_000)).map(lambda x: x).print()
    return env.get_job_graph(name)


def staging_exists(flink, application_id, user="flink"):
    """:return: whether ``<home>/.flink/<applicationId>`` exists on the fake HDFS."""
    home = flink.yarn.filesystem.home_directory(user)
    return flink.yarn.filesystem.exists(f"{home}/.flink/{application_id}")


def yarn_states(flink, application_id):
    """:return: ``(YarnApplicationState, FinalApplicationStatus)`` values as strings."""
    report = flink.application_report(application_id)
    return (report.yarn_application_state.value, report.final_application_status.value)


def task_manager_containers(flink, application_id):
    """:return: the RM's non-AM containers of the application that are RUNNING, by id."""
    return sorted(
        (c for c in flink.rm.containers.values()
         if c.container_id.application_id == application_id and not c.is_am
         and c.state.value == "RUNNING"),
        key=lambda c: c.container_id)


def all_tasks_running(rest, job_id):
    """:return: whether every subtask of the job is RUNNING, as the REST job details count them."""
    return all(vertex["tasks"]["RUNNING"] == vertex["parallelism"]
               for vertex in rest.get_job(job_id)["vertices"])


def events_of(flink, event_type, application_id=None):
    """:return: the cluster's events of ``event_type`` (of one application, if given)."""
    return [event for event in flink.events.events if isinstance(event, event_type)
            and (application_id is None or getattr(event, "application_id", None)
                 == application_id)]


def run_until_ended(flink, application_id):
    """
    Drive time until the application's processes are gone and YARN has it in a final state.

    :return: ``(YarnApplicationState, FinalApplicationStatus)`` values as strings.
    """
    assert flink.run_until(lambda: not flink.processes(application_id) and yarn_states(
        flink, application_id)[0] in ("FINISHED", "FAILED", "KILLED"))
    return yarn_states(flink, application_id)


# -- Helpers of the JobMaster tests (tests/flinkyarn/test_runtime_jobmaster_*.py) ---------------

def session_cluster(tmp_path, flink_config=None, **kwargs):
    """:return: ``(flink, session)``: a started FlinkOnYarn and a session cluster deployed on it."""
    flink = flink_on_yarn(tmp_path, flink_config=flink_config, **kwargs)
    return flink, flink.run(flink.descriptor().deploy_session_cluster(flink.specification()))


def job_master(flink, application_id, job_id):
    """:return: the JobMaster of ``job_id`` in the application's JobManager."""
    return flink.job_manager(application_id).dispatcher.request_job(job_id)


def every_task_running(master):
    """:return: whether the current attempt of every subtask of the job is RUNNING."""
    return all(execution.state.value == "RUNNING"
               for execution in master.graph.current_executions())


def submit_and_run(flink, session, job_graph):
    """
    Submit ``job_graph`` and drive time until every one of its subtasks is RUNNING.

    :return: ``(job_id, job_master)``.
    """
    job_id = flink.run(session.submit_job(job_graph))
    master = job_master(flink, session.application_id, job_id)
    assert flink.run_until(lambda: every_task_running(master))
    return job_id, master


def fail_subtask(flink, master, subtask=0, vertex_name=None, message="Simulated task failure"):
    """Make a running subtask of the job throw (of its first vertex unless ``vertex_name``)."""
    name = vertex_name if vertex_name is not None else master.graph.vertices[0].name
    flink.fail_task(master.application_id, master.job_id, name, subtask, message)


def job_transitions(flink, application_id, job_id=None):
    """:return: the ``(from, to)`` JobStatus values of the job status changes (of ``job_id``, if
    given), in order."""
    from flinkyarn.events import JobStatusChanged

    return [(event.from_state.value, event.to_state.value)
            for event in events_of(flink, JobStatusChanged, application_id)
            if job_id is None or event.job_id == job_id]


def log_lines(flink, text):
    """:return: the messages of the cluster's log records that contain ``text``, in order."""
    from yarnemu.events import LogRecorded

    return [event.message for event in events_of(flink, LogRecorded) if text in event.message]


def num_restarts(flink, session, job_id):
    """:return: the job's ``numRestarts`` metric, as REST ``/jobs/{id}/metrics`` serves it."""
    return int(flink.run(session.get_job_metrics(job_id, "numRestarts"))["numRestarts"])


__all__ += ["session_cluster", "job_master", "every_task_running", "submit_and_run",
            "fail_subtask", "job_transitions", "log_lines", "num_restarts"]


# -- Helpers of the Dispatcher and entrypoint tests ------------------------------------------------

def logged(flink, text, application_id=None):
    """
    :return: the messages of the cluster's log lines that contain ``text`` (of the processes of
        ``application_id`` only, if given), in order.
    """
    from yarnemu.events import LogRecorded

    prefix = None
    if application_id is not None:
        prefix = "container" + str(application_id)[len("application"):] + "_"
    return [event.message for event in events_of(flink, LogRecorded)
            if text in event.message and (prefix is None or event.subject_id.startswith(prefix))]


def launched_job_manager(flink):
    """
    Drive time until the JobManager process (cluster entrypoint) of the cluster's only
    application is launched — before its components start — and :return: it.
    """
    from flinkyarn.entrypoint.cluster_entrypoint import YarnClusterEntrypoint

    def found():
        return [program for _, program in flink.processes()
                if isinstance(program, YarnClusterEntrypoint)]

    assert flink.run_until(found)
    (job_manager,) = found()
    return job_manager


__all__ += ["logged", "launched_job_manager"]
