"""
Tests for :mod:`flinkyarn.client.cluster_descriptor`: deploying Flink clusters on a virtual-time
YARN cluster, Flink's pre-flight checks, failures and their clean-up.
"""

import pytest
from twisted.internet.defer import CancelledError

from flinkyarn.client import (
    ApplicationConfiguration,
    ClusterDeploymentException,
    ClusterRetrieveException,
    YarnDeploymentException,
)
from flinkyarn.config import IllegalConfigurationException
from flinkyarn.graph.errors import IllegalArgumentException
from flinkyarn.runtime.gateways import IRestEndpoint
from flinkyarn.yarn import constants as c
from tests.flinkyarn.client_fake_jobmanager import FakeJobManager
from tests.flinkyarn.client_harness import ClientHarness, small_job_graph
from yarnemu.records.states import FinalApplicationStatus, YarnApplicationState
from zope.interface.verify import verifyObject


def _in_order(messages, expected):
    """Whether ``expected`` occur in ``messages`` in this order."""
    position = 0
    for message in messages:
        if position < len(expected) and message == expected[position]:
            position += 1
    return position == len(expected)


def test_session_cluster_is_deployed_to_running(tmp_path):
    """A session deployment ends with a RUNNING application whose JobManager registered."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    report = harness.report(client.application_id)
    assert report.yarn_application_state is YarnApplicationState.RUNNING
    assert (report.host, report.rpc_port) == (client.host, client.port)
    assert report.original_tracking_url == client.web_interface_url
    assert client.web_interface_url == f"http://{client.host}:{client.port}"
    jobmanager = FakeJobManager.instances[-1]
    assert jobmanager.entrypoint == c.SESSION_ENTRYPOINT
    assert verifyObject(IRestEndpoint, jobmanager.endpoint)
    assert client.configuration["rest.address"] == client.host
    assert client.configuration["rest.port"] == str(client.port)
    assert client.configuration["yarn.application.id"] == str(client.application_id)


def test_deployment_logs_flinks_client_lines_in_order(tmp_path):
    """The client logs deployInternal's steps with Flink's wording."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    app = client.application_id
    assert _in_order(harness.client_messages(), [
        "No path for the flink jar passed. Using the location of class "
        "org.apache.flink.yarn.YarnClusterDescriptor to locate the jar",
        "The configured JobManager memory is 1600 MB. YARN will allocate 2048 MB to make up an "
        "integer multiple of its minimum allocation memory (1024 MB, configured via "
        "'yarn.scheduler.minimum-allocation-mb'). The extra 448 MB may not be used by Flink.",
        "Cluster specification: ClusterSpecification{masterMemoryMB=1600, "
        "taskManagerMemoryMB=1728, slotsPerTaskManager=1}",
        f"Submitting application master {app}",
        "Waiting for the cluster to be allocated",
        "Deploying cluster, current state ACCEPTED",
        "YARN application has been deployed successfully.",
        f"Found Web Interface {client.host}:{client.port} of application '{app}'.",
    ])
    subjects = {event.subject_id for event in harness.cluster.events.events
                if event.kind == "log" and "Submitting application master" in event.message}
    assert subjects == {str(app)}


def test_application_master_vcores_above_the_largest_node_are_refused(tmp_path):
    """More AM vcores than any RUNNING node has fail before an application is created."""
    harness = ClientHarness(tmp_path, vcores=4, flink_config={"yarn.appmaster.vcores": "5"})
    error = harness.failure_of(harness.descriptor.deploy_session_cluster(harness.spec()))
    assert isinstance(error, ClusterDeploymentException)
    assert str(error) == "Couldn't deploy Yarn session cluster"
    assert isinstance(error.__cause__, IllegalConfigurationException)
    assert str(error.__cause__) == (
        "The number of requested virtual cores for application master 5 exceeds the maximum "
        "number of virtual cores 4 available in the Yarn Cluster.")
    assert harness.cluster.rm.apps == {}


def test_taskmanager_vcores_default_to_the_slots(tmp_path):
    """Without yarn.containers.vcores, more slots than node vcores are refused."""
    harness = ClientHarness(tmp_path, vcores=4, flink_config={
        "taskmanager.numberOfTaskSlots": "8"})
    error = harness.failure_of(harness.descriptor.deploy_session_cluster(harness.spec()))
    assert str(error.__cause__) == (
        "The number of requested virtual cores per node 8 exceeds the maximum number of virtual "
        "cores 4 available in the Yarn Cluster. Please note that the number of virtual cores is "
        "set to the number of task slots by default unless configured in the Flink config with "
        "'yarn.containers.vcores.'")


@pytest.mark.parametrize("key, component, requested", [
    ("jobmanager.memory.process.size", "JobManager", "10240MB"),
    ("taskmanager.memory.process.size", "TaskManagers", "10240MB"),
])
def test_memory_above_the_maximum_allocation_kills_the_application(tmp_path, key, component,
                                                                    requested):
    """JobManager or TaskManager memory above YARN's maximum allocation fails and kills the app."""
    harness = ClientHarness(tmp_path, flink_config={key: "10g"})
    error = harness.failure_of(harness.descriptor.deploy_session_cluster(harness.spec()))
    cause = error.__cause__
    assert isinstance(cause, YarnDeploymentException)
    assert str(cause).startswith(
        f"The cluster does not have the requested resources for the {component} available!\n"
        f"Maximum Memory: 8192")
    assert f"Requested: {requested}. Please check the 'yarn.scheduler.maximum-allocation-mb'" \
           in str(cause)
    assert "Killing YARN application" in harness.client_messages()
    assert not harness.fs.exists("/user/alice/.flink")
    assert harness.cluster.rm.apps == {}


def test_unknown_queue_fails_with_yarns_diagnostics_and_deletes_the_staging_dir(tmp_path):
    """A queue YARN lacks: a WARN, then YARN fails the app, the hook kills it and cleans up."""
    harness = ClientHarness(tmp_path, flink_config={"yarn.application.queue": "doesntExist"})
    error = harness.failure_of(harness.descriptor.deploy_session_cluster(harness.spec()))
    cause = error.__cause__
    assert isinstance(cause, YarnDeploymentException)
    app = next(iter(harness.cluster.rm.apps))
    assert str(cause).startswith(
        "The YARN application unexpectedly switched to state FAILED during deployment. \n"
        "Diagnostics from YARN: ")
    assert f"to unknown queue: doesntExist" in str(cause)
    assert str(cause).endswith(f"yarn logs -applicationId {app}")
    assert ("The specified queue 'doesntExist' does not exist. Available queues: "
            '"root, default"') in harness.client_messages("WARN")
    assert not harness.fs.exists(f"/user/alice/.flink/{app}")
    assert _in_order(harness.client_messages(), [
        "Cancelling deployment from Deployment Failure Hook",
        "Killing YARN application",
        f"Deleting files in hdfs:///user/alice/.flink/{app}.",
    ])


def test_stuck_in_accepted_logs_every_minute_until_cancelled(tmp_path):
    """An AM fitting no node keeps the client in ACCEPTED, logging each minute, until cancelled."""
    harness = ClientHarness(tmp_path, memory_mb=1024)
    deployment = harness.descriptor.deploy_session_cluster(harness.spec())
    harness.clock.advance(130)
    assert not deployment.called
    app = next(iter(harness.cluster.rm.apps))
    slow = [m for m in harness.client_messages() if m.startswith("Deployment took more than")]
    assert slow == [
        "Deployment took more than 60 seconds. Please check if the requested resources are "
        "available in the YARN cluster",
        "Deployment took more than 120 seconds. Please check if the requested resources are "
        "available in the YARN cluster",
    ]
    warnings = harness.client_messages("WARN")
    assert any(m.startswith("The requested amount of memory for the JobManager (1600MB) is more "
                            "than the largest possible YARN container: 1024") for m in warnings)
    assert harness.fs.exists(f"/user/alice/.flink/{app}/flink-conf.yaml")
    deployment.cancel()
    assert isinstance(harness.failure_of(deployment), CancelledError)
    harness.clock.advance(1)
    assert harness.report(app).yarn_application_state is YarnApplicationState.KILLED
    assert not harness.fs.exists(f"/user/alice/.flink/{app}")


def test_minimum_allocation_must_be_positive(tmp_path):
    """A non-positive yarn.scheduler.minimum-allocation-mb (here via flink.yarn.*) is an error."""
    harness = ClientHarness(tmp_path, flink_config={
        "flink.yarn.scheduler.minimum-allocation-mb": "0"})
    error = harness.failure_of(harness.descriptor.deploy_session_cluster(harness.spec()))
    assert str(error.__cause__) == (
        "The minimum allocation memory (0 MB) configured via "
        "'yarn.scheduler.minimum-allocation-mb' should be greater than 0.")


def test_per_job_deployment_warns_of_deprecation_and_explains_detached_mode(tmp_path):
    """A detached per-job deployment logs the deprecation WARN and how to stop the cluster."""
    harness = ClientHarness(tmp_path)
    client = harness.run(harness.descriptor.deploy_job_cluster(
        harness.spec(), small_job_graph(), True))
    app = client.application_id
    assert "Job Clusters are deprecated since Flink 1.15. Please use an Application " \
           "Cluster/Application Mode instead." in harness.client_messages("WARN")
    assert (
        "The Flink YARN session cluster has been started in detached mode. In order to stop "
        "Flink gracefully, use the following command:\n"
        f'$ echo "stop" | ./bin/yarn-session.sh -id {app}\n'
        "If this should not be possible, then you can also kill Flink via YARN's web interface "
        f"or via:\n$ yarn application -kill {app}\n"
        "Note that killing Flink might not clean up all job artifacts and temporary files."
    ) in harness.client_messages()
    assert harness.app(app).submission_context.application_name == "Flink per-job cluster"
    assert client.configuration["internal.cluster.execution-mode"] == "DETACHED"


def test_detached_per_job_cluster_ends_with_its_job(tmp_path):
    """The fake JobManager runs job.graph and a DETACHED cluster finishes and cleans up."""
    harness = ClientHarness(tmp_path)
    client = harness.run(harness.descriptor.deploy_job_cluster(
        harness.spec(), small_job_graph(), True))
    harness.clock.advance(10)
    report = harness.report(client.application_id)
    assert report.yarn_application_state is YarnApplicationState.FINISHED
    assert report.final_application_status is FinalApplicationStatus.SUCCEEDED
    assert not harness.fs.exists(f"/user/alice/.flink/{client.application_id}")


def test_application_cluster_requires_the_yarn_application_target(tmp_path):
    """Application mode needs execution.target yarn-application, as Flink checks."""
    harness = ClientHarness(tmp_path, flink_config={"execution.target": "yarn-session"})
    error = harness.failure_of(harness.descriptor.deploy_application_cluster(
        harness.spec(), ApplicationConfiguration("wordcount")))
    assert str(error) == ("Couldn't deploy Yarn Application Cluster. Expected "
                          'deployment.target=yarn-application but actual one was "yarn-session"')
    unknown = ClientHarness(tmp_path / "other", flink_config={"execution.target": "local"})
    error = unknown.failure_of(unknown.descriptor.deploy_application_cluster(
        unknown.spec(), ApplicationConfiguration("wordcount")))
    assert isinstance(error, IllegalArgumentException)


def test_application_cluster_is_named_and_started(tmp_path):
    """An application cluster is 'Flink Application Cluster' and runs the application entrypoint."""
    harness = ClientHarness(tmp_path, flink_config={"execution.target": "yarn-application"})
    client = harness.run(harness.descriptor.deploy_application_cluster(
        harness.spec(), ApplicationConfiguration("wordcount", ["--records", "10"])))
    assert harness.app(client.application_id).submission_context.application_name == \
        "Flink Application Cluster"
    assert FakeJobManager.instances[-1].entrypoint == c.APPLICATION_ENTRYPOINT


def test_missing_program_file_fails_the_application_deployment(tmp_path):
    """An application program file that does not exist is a ProgramInvocationException."""
    harness = ClientHarness(tmp_path, flink_config={"execution.target": "yarn-application"})
    error = harness.failure_of(harness.descriptor.deploy_application_cluster(
        harness.spec(), ApplicationConfiguration(str(tmp_path / "nope.py"))))
    assert "does not exist" in str(error.__cause__)


def test_kill_cluster_kills_the_application_and_deletes_its_staging_dir(tmp_path):
    """``kill_cluster`` kills through YARN and removes .flink/<appId>."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    harness.run(harness.descriptor.kill_cluster(client.application_id))
    harness.clock.advance(5)
    assert harness.report(client.application_id).yarn_application_state is \
        YarnApplicationState.KILLED
    assert not harness.fs.exists(f"/user/alice/.flink/{client.application_id}")


def test_retrieve_attaches_to_a_running_session_and_refuses_an_ended_one(tmp_path):
    """``retrieve`` gives a client for a running cluster and fails for one that ended."""
    harness = ClientHarness(tmp_path)
    deployed = harness.deploy_session()
    retrieved = harness.run(harness.descriptor.retrieve(deployed.application_id))
    assert (retrieved.host, retrieved.port) == (deployed.host, deployed.port)
    assert retrieved.staged is None
    harness.run(deployed.shutdown_cluster())
    harness.clock.advance(5)
    error = harness.failure_of(harness.descriptor.retrieve(deployed.application_id))
    assert isinstance(error, ClusterRetrieveException)
    assert str(error.__cause__) == (
        f"The Yarn application {deployed.application_id} doesn't run anymore.")


def test_deployments_are_deterministic(tmp_path):
    """The same deployment on two fresh clusters gives the same log lines at the same times."""
    def run(directory):
        harness = ClientHarness(directory)
        harness.deploy_session()
        return [(event.time, event.message) for event in harness.cluster.events.events
                if event.kind == "log" and "/tmp" not in event.message
                and str(directory) not in event.message]

    assert run(tmp_path / "a") == run(tmp_path / "b")
