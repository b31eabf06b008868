"""
What the three YARN cluster entrypoints share (``flinkyarn.entrypoint.cluster_entrypoint``): each
JobManager registers with YARN under its REST address, and when it shuts down the application
status becomes its process exit code and YARN final status.
"""

import pytest

from flinkyarn.client import ApplicationConfiguration
from flinkyarn.states import ApplicationStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    events_of,
    flink_on_yarn,
    logged,
    run_until_ended,
    session_cluster,
    staging_exists,
)
from yarnemu.events import AMRegistered


def deploy_session(flink):
    return flink.descriptor().deploy_session_cluster(flink.specification())


def deploy_per_job(flink):
    return flink.descriptor().deploy_job_cluster(
        flink.specification(), bounded_job("per-job", parallelism=1, records=100_000), True)


def deploy_application(flink):
    config = flink.config.with_values({"execution.target": "yarn-application"})
    return flink.descriptor(config=config).deploy_application_cluster(
        flink.specification(), ApplicationConfiguration("wordcount", []))


@pytest.mark.parametrize("deploy, entrypoint", [
    (deploy_session, "YarnSessionClusterEntrypoint"),
    (deploy_per_job, "YarnJobClusterEntrypoint"),
    (deploy_application, "YarnApplicationClusterEntryPoint"),
])
def test_each_entrypoint_registers_with_yarn_under_its_rest_address(tmp_path, deploy, entrypoint):
    """The AM registers its host, REST port as RPC port and its REST address as tracking URL."""
    flink = flink_on_yarn(tmp_path)
    cluster = flink.run(deploy(flink))
    app = cluster.application_id
    job_manager = flink.job_manager(app)
    assert type(job_manager).__name__ == entrypoint
    (registered,) = events_of(flink, AMRegistered)
    assert (registered.host, registered.rpc_port, registered.tracking_url) == (
        job_manager.host, job_manager.rest_port, f"http://{job_manager.host}:"
                                                 f"{job_manager.rest_port}")
    assert job_manager.web_interface_url == registered.tracking_url
    report = flink.application_report(app)
    assert (report.host, report.rpc_port, report.original_tracking_url) == (
        registered.host, registered.rpc_port, registered.tracking_url)
    assert (cluster.host, cluster.port) == (registered.host, registered.rpc_port)
    assert (job_manager.config["rest.address"],
            job_manager.config["rest.port"]) == (job_manager.host,
                                                            str(job_manager.rest_port))
    assert logged(flink, "Rest endpoint listening at", app) == [
        f"Rest endpoint listening at {job_manager.host}:{job_manager.rest_port}"]


@pytest.mark.parametrize("status, exit_code, yarn_final_status", [
    (ApplicationStatus.SUCCEEDED, 0, "SUCCEEDED"),
    (ApplicationStatus.FAILED, 1443, "FAILED"),
    (ApplicationStatus.CANCELED, 0, "KILLED"),
    (ApplicationStatus.UNKNOWN, 1445, "UNDEFINED"),
])
def test_the_application_status_becomes_exit_code_and_yarn_final_status(tmp_path, status,
                                                                         exit_code,
                                                                         yarn_final_status):
    """A shutdown's ApplicationStatus gives the exit code and YARN final status; staging goes."""
    flink, session = session_cluster(tmp_path)
    app = session.application_id
    job_manager = flink.job_manager(app)
    job_manager.dispatcher.shut_down_cluster(status)
    assert run_until_ended(flink, app) == ("FINISHED", yarn_final_status)
    assert job_manager.context.exit_code == exit_code
    assert not staging_exists(flink, app)
    assert logged(flink, "YarnSessionClusterEntrypoint", app)[-2:] == [
        f"Shutting YarnSessionClusterEntrypoint down with application status {status.value}. "
        "Diagnostics null.",
        f"Terminating cluster entrypoint process YarnSessionClusterEntrypoint with exit code "
        f"{exit_code}.",
    ]


def test_a_second_shutdown_request_is_ignored(tmp_path):
    """The first shutdown wins: a later one with another status changes nothing."""
    flink, session = session_cluster(tmp_path)
    app = session.application_id
    job_manager = flink.job_manager(app)
    job_manager.shut_down(ApplicationStatus.FAILED, "first")
    job_manager.shut_down(ApplicationStatus.SUCCEEDED, "second")
    assert run_until_ended(flink, app) == ("FINISHED", "FAILED")
    assert job_manager.context.exit_code == 1443
    assert logged(flink, "down with application status", app) == [
        "Shutting YarnSessionClusterEntrypoint down with application status FAILED. "
        "Diagnostics first."]
