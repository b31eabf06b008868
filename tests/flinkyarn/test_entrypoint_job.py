"""
The per-job entrypoint (``flinkyarn.entrypoint.job``, ``YarnJobClusterEntrypoint``): it reads its
JobGraph from ``job.graph`` in its container's working directory before anything else starts, and
its exit code and YARN final status follow how the job ended.
"""

import os

import pytest

from flinkyarn.client import ClusterDeploymentException
from flinkyarn.states import JobStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    events_of,
    every_task_running,
    fail_subtask,
    flink_on_yarn,
    job_master,
    launched_job_manager,
    logged,
    run_until_ended,
    unbounded_job,
)
from yarnemu.events import AMRegistered


def deploy(flink, job_graph, detached=True):
    """Deploy a per-job cluster; :return: the Deferred of its ClusterClient."""
    return flink.descriptor().deploy_job_cluster(flink.specification(), job_graph, detached)


def test_the_job_graph_comes_from_the_working_directory(tmp_path):
    """The JobManager runs the JobGraph the client shipped, read from ``job.graph`` in its cwd."""
    flink = flink_on_yarn(tmp_path)
    job_graph = bounded_job("shipped", parallelism=2, records=2_000)
    deploy(flink, job_graph)
    job_manager = launched_job_manager(flink)
    assert type(job_manager).__name__ == "YarnJobClusterEntrypoint"
    assert os.path.isfile(os.path.join(str(job_manager.context.working_dir), "job.graph"))
    app = job_manager.application_id
    assert flink.run_until(lambda: getattr(job_manager, "dispatcher", None) is not None)
    assert [(job_id, master.job_name) for job_id, master in job_manager.dispatcher.jobs.items()] \
        == [(job_graph.job_id, "shipped")]
    assert logged(flink, "Job Clusters are deprecated", app) == [
        "Job Clusters are deprecated since Flink 1.15. Please use an Application Cluster/"
        "Application Mode instead."]
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")


@pytest.mark.parametrize("damage, cause", [
    (os.remove, "Could not find the JobGraph file."),
    (lambda path: open(path, "wb").write(b"\xac\xed\x00\x05garbage"),
     "Could not load the JobGraph from file."),
])
def test_a_missing_or_corrupt_job_graph_fails_the_start(tmp_path, damage, cause):
    """A missing or corrupt job.graph fails the start: exit 1, no registration, app FAILED."""
    flink = flink_on_yarn(tmp_path)
    deferred = deploy(flink, bounded_job("damaged"))
    job_manager = launched_job_manager(flink)
    damage(os.path.join(str(job_manager.context.working_dir), "job.graph"))
    app = job_manager.application_id
    assert run_until_ended(flink, app) == ("FAILED", "FAILED")
    assert job_manager.context.exit_code == 1
    assert logged(flink, "Could not start cluster entrypoint", app) == [
        f"Could not start cluster entrypoint YarnJobClusterEntrypoint. {cause}"]
    assert events_of(flink, AMRegistered) == []
    diagnostics = flink.application_report(app).diagnostics
    assert "exitCode: 1" in diagnostics
    assert f"FlinkException: {cause}" in diagnostics
    with pytest.raises(ClusterDeploymentException) as raised:
        flink.run(deferred)
    assert str(raised.value) == "Could not deploy Yarn job cluster."
    assert str(raised.value.__cause__).startswith(
        "The YARN application unexpectedly switched to state FAILED during deployment.")


def test_a_failed_job_exits_1443_and_finishes_the_application_failed(tmp_path):
    """The job FAILED: the entrypoint exits with FAILED's code 1443; YARN has FINISHED/FAILED."""
    flink = flink_on_yarn(tmp_path)
    job_graph = bounded_job("failing", parallelism=1, records=50_000)
    cluster = flink.run(deploy(flink, job_graph))
    app = cluster.application_id
    job_manager = flink.job_manager(app)
    master = job_master(flink, app, job_graph.job_id)
    assert flink.run_until(lambda: every_task_running(master))
    fail_subtask(flink, master)
    assert run_until_ended(flink, app) == ("FINISHED", "FAILED")
    assert master.status is JobStatus.FAILED
    assert job_manager.context.exit_code == 1443


def test_a_cancelled_job_exits_0_and_finishes_the_application_killed(tmp_path):
    """The job CANCELED: the entrypoint exits with CANCELED's code 0; YARN has FINISHED/KILLED."""
    flink = flink_on_yarn(tmp_path)
    job_graph = unbounded_job("cancelled", parallelism=1)
    cluster = flink.run(deploy(flink, job_graph))
    app = cluster.application_id
    job_manager = flink.job_manager(app)
    assert flink.run_until(lambda: every_task_running(job_master(flink, app, job_graph.job_id)))
    flink.run(cluster.cancel(job_graph.job_id))
    assert run_until_ended(flink, app) == ("FINISHED", "KILLED")
    assert job_manager.context.exit_code == 0
