"""
Tests for :mod:`flinkyarn.client.submission_context`: the YARN application a Flink cluster is.
"""

from flinkyarn.client.submission_context import application_submission_context
from flinkyarn.config import Configuration
from tests.flinkyarn.client_harness import ClientHarness
from yarnemu.records.containers import ContainerLaunchContext
from yarnemu.records.ids import ApplicationId
from yarnemu.records.resource import Resource

APP = ApplicationId(1767225600000, 7)
LAUNCH = ContainerLaunchContext(commands=["true"])


def _context(values=None, name="Flink session cluster"):
    return application_submission_context(
        Configuration(values or {}), APP, LAUNCH, Resource(1600, 1), name)


def test_defaults_name_the_mode_with_one_attempt_and_no_priority():
    """Without settings: the mode's name, type Apache Flink, YARN's queue and one attempt."""
    context = _context()
    assert context.application_id == APP
    assert context.am_container_spec is LAUNCH
    assert context.application_name == "Flink session cluster"
    assert context.application_type == "Apache Flink"
    assert context.queue == "default"
    assert context.priority == 0
    assert context.resource == Resource(1600, 1)
    assert context.max_app_attempts == 1
    assert context.application_tags == ()
    assert context.keep_containers_across_application_attempts is False
    assert context.node_label_expression is None


def test_yarn_options_set_name_type_queue_tags_priority_attempts_and_label():
    """The yarn.application.* options and yarn.tags fill the context."""
    context = _context({
        "yarn.application.name": "my flink", "yarn.application.type": "Flink Stream",
        "yarn.application.queue": "analytics", "yarn.tags": " Team-A, batch ,,",
        "yarn.application.priority": "5", "yarn.application-attempts": "3",
        "yarn.application.node-label": "gpu",
    })
    assert context.application_name == "my flink"
    assert context.application_type == "Flink Stream"
    assert context.queue == "analytics"
    assert context.application_tags == ("batch", "team-a")
    assert context.priority == 5
    assert context.max_app_attempts == 3
    assert context.node_label_expression == "gpu"


def test_high_availability_keeps_containers_and_allows_two_attempts():
    """With HA: two attempts by default, containers kept, Flink's failure validity interval."""
    context = _context({"high-availability.type": "zookeeper"})
    assert context.max_app_attempts == 2
    assert context.keep_containers_across_application_attempts is True
    assert context.attempt_failures_validity_interval == 10000


def test_deployed_session_is_submitted_with_the_jobmanager_size(tmp_path):
    """The submitted application asks for the JobManager's process memory and the AM vcores."""
    harness = ClientHarness(tmp_path, flink_config={
        "jobmanager.memory.process.size": "1200m", "yarn.appmaster.vcores": "2",
        "yarn.tags": "flink,session"})
    client = harness.deploy_session()
    context = harness.app(client.application_id).submission_context
    assert context.resource == Resource(1200, 2)
    assert context.application_name == "Flink session cluster"
    assert context.application_type == "Apache Flink"
    assert context.application_tags == ("flink", "session")
    report = harness.report(client.application_id)
    assert report.application_type == "Apache Flink"
