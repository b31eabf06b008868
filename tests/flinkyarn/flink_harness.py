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
    """:return: whether every vertex of the job is RUNNING, as the REST job details say."""
    return all(vertex["status"] == "RUNNING" for vertex in rest.get_job(job_id)["vertices"])


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
