"""
End to end: Flink per-job clusters on the emulated YARN (``YarnJobClusterEntrypoint``, which reads
``job.graph`` from its working directory), detached and attached, in virtual time.
"""

import pytest

from flinkyarn.client import PerJobPipelineExecutor, run_program
from flinkyarn.states import ApplicationStatus, JobStatus
from tests.flinkyarn.flink_harness import (
    all_tasks_running,
    bounded_job,
    flink_on_yarn,
    run_until_ended,
    staging_exists,
    unbounded_job,
    yarn_states,
)


@pytest.fixture
def flink(tmp_path):
    return flink_on_yarn(tmp_path)


def deploy(flink, job_graph, detached=True):
    return flink.run(flink.descriptor().deploy_job_cluster(flink.specification(), job_graph,
                                                           detached))


def test_a_detached_job_cluster_finishes_succeeded_and_removes_its_staging_dir(flink):
    job_graph = bounded_job("per-job", parallelism=2, records=5_000)
    cluster = deploy(flink, job_graph)
    assert staging_exists(flink, cluster.application_id)
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "SUCCEEDED")
    assert not staging_exists(flink, cluster.application_id)


def test_a_failing_job_ends_its_cluster_failed(flink):
    """
    A task that throws, with no restart strategy: the job fails and YARN reports the application
    FINISHED with final status FAILED.
    """
    job_graph = bounded_job("failing", parallelism=1, records=100_000)
    cluster = deploy(flink, job_graph)
    app = cluster.application_id
    assert flink.run_until(lambda: _running(flink, app, job_graph.job_id))
    (vertex,) = job_graph.vertices
    flink.fail_task(app, job_graph.job_id, vertex.name, message="boom")
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "FAILED")
    assert not staging_exists(flink, app)


def test_cancelling_the_job_ends_its_cluster_killed(flink):
    job_graph = unbounded_job("endless")
    cluster = deploy(flink, job_graph)
    app = cluster.application_id
    assert flink.run_until(lambda: _running(flink, app, job_graph.job_id))
    flink.run(cluster.cancel(job_graph.job_id))
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "KILLED")


def test_an_attached_job_cluster_waits_for_the_client_to_fetch_the_result(flink):
    """Attached (NORMAL): the finished job's cluster stays up until its result is fetched."""
    job_graph = bounded_job("attached", parallelism=1, records=1_000)
    cluster = deploy(flink, job_graph, detached=False)
    app = cluster.application_id
    assert flink.run_until(
        lambda: flink.job_manager(app).dispatcher.request_job_status(job_graph.job_id)
        is JobStatus.FINISHED)
    flink.advance(120)
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
    result = flink.run(cluster.request_job_result(job_graph.job_id))
    assert result.application_status is ApplicationStatus.SUCCEEDED
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "SUCCEEDED")


def test_a_program_run_per_job_detached_deploys_its_job_and_returns_at_once(flink):
    """``flink run -t yarn-per-job --detached``: the program returns; the cluster runs the job."""
    config = flink.config.with_values({"execution.target": "yarn-per-job",
                                       "execution.attached": "false"})
    executor = PerJobPipelineExecutor(flink.descriptor(config=config), config)
    result = flink.run(run_program("wordcount", [], executor, config))
    (cluster,) = executor.cluster_clients
    assert type(result).__name__ == "DetachedJobExecutionResult"
    assert yarn_states(flink, cluster.application_id) == ("RUNNING", "UNDEFINED")
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "SUCCEEDED")


def _running(flink, app, job_id):
    try:
        return all_tasks_running(flink.job_manager(app).rest, job_id)
    except LookupError:
        return False
