"""
Messages ↔ records: what a client leaves out takes Hadoop's defaults, and reports carry every
field the Java clients read.
"""

from tests.interop.ipc_fixtures import descriptors
from yarnemu.ipc.convert.applications import (
    read_launch_context,
    read_submission_context,
    write_application_report,
    write_container_state,
)
from yarnemu.ipc.convert.enums import enum_name
from yarnemu.ipc.convert.ids import read_container_id, write_container_id
from yarnemu.ipc.convert.scheduling import read_allocate_request, read_finish_request
from yarnemu.records import (
    ApplicationAttemptId,
    ApplicationId,
    ApplicationReport,
    ApplicationResourceUsageReport,
    ContainerId,
    Resource,
)
from yarnemu.records.states import (
    ContainerState,
    ExecutionType,
    FinalApplicationStatus,
    LocalResourceType,
    LocalResourceVisibility,
    YarnApplicationState,
)

APP = ApplicationId(1767225600000, 12)


def message(name, **fields):
    return descriptors().message_class(f"hadoop.yarn.{name}")(**fields)


def test_a_bare_submission_takes_yarn_s_defaults():
    proto = message("ApplicationSubmissionContextProto")
    proto.application_id.id = 12
    proto.application_id.cluster_timestamp = APP.cluster_timestamp
    context = read_submission_context(proto)
    assert (context.application_id, context.application_name, context.queue,
            context.application_type, context.priority, context.max_app_attempts,
            context.attempt_failures_validity_interval, context.unmanaged_am,
            context.resource, context.node_label_expression) == (
        APP, "N/A", "default", "YARN", 0, 0, -1, False, Resource(1024, 1), None)


def test_the_am_resource_may_come_from_the_am_resource_request():
    proto = message("ApplicationSubmissionContextProto")
    ask = proto.am_container_resource_request.add()
    ask.capability.memory = 1600
    ask.capability.virtual_cores = 2
    assert read_submission_context(proto).resource == Resource(1600, 2)
    proto.resource.memory = 700
    proto.resource.virtual_cores = 1
    assert read_submission_context(proto).resource == Resource(700, 1)


def test_a_launch_context_keeps_resources_environment_commands_and_acls():
    proto = message("ContainerLaunchContextProto")
    entry = proto.localResources.add(key="flink-dist.jar")
    entry.value.resource.scheme = "file"
    entry.value.resource.file = "/staging/flink-dist.jar"
    entry.value.size = 209
    entry.value.timestamp = 1767225600123
    archive = proto.localResources.add(key="lib")
    archive.value.resource.scheme = "hdfs"
    archive.value.resource.host = "nn"
    archive.value.resource.port = 8020
    archive.value.resource.file = "/a/lib.tgz"
    archive.value.type = "ARCHIVE"
    archive.value.visibility = "PUBLIC"
    proto.environment.add(key="B", value="2")
    proto.environment.add(key="A", value="{{B}}<CPS>x")
    proto.command.extend(["$JAVA_HOME/bin/java", "Main"])
    acl = proto.application_ACLs.add(acl="alice")
    acl.accessType = "APPACCESS_VIEW_APP"
    context = read_launch_context(proto)
    dist = context.local_resources["flink-dist.jar"]
    assert (str(dist.resource), dist.resource.port, dist.size, dist.timestamp, dist.type,
            dist.visibility) == ("file:/staging/flink-dist.jar", -1, 209, 1767225600123,
                                 LocalResourceType.FILE, LocalResourceVisibility.APPLICATION)
    lib = context.local_resources["lib"]
    assert (str(lib.resource), lib.type, lib.visibility) == (
        "hdfs://nn:8020/a/lib.tgz", LocalResourceType.ARCHIVE, LocalResourceVisibility.PUBLIC)
    assert list(context.environment.items()) == [("B", "2"), ("A", "{{B}}<CPS>x")]
    assert context.commands == ("$JAVA_HOME/bin/java", "Main")
    assert dict(context.application_acls) == {"VIEW_APP": "alice"}
    assert context.tokens is None


def test_an_allocate_request_reads_asks_releases_and_blacklist():
    proto = message("AllocateRequestProto", response_id=3, progress=0.5)
    ask = proto.ask.add(resource_name="*", num_containers=2)
    ask.priority.priority = 1
    ask.capability.memory = 1728
    ask.capability.virtual_cores = 1
    release = proto.release.add()
    write_container_id(release, ContainerId(ApplicationAttemptId(APP, 1), 4))
    proto.blacklist_request.blacklist_additions.append("127.0.0.3")
    request = read_allocate_request(proto)
    [resource_request] = request.ask
    assert (resource_request.priority, resource_request.resource_name,
            resource_request.capability, resource_request.num_containers,
            resource_request.relax_locality, resource_request.allocation_request_id,
            resource_request.execution_type) == (
        1, "*", Resource(1728, 1), 2, True, -1, ExecutionType.GUARANTEED)
    assert request.release == (ContainerId(ApplicationAttemptId(APP, 1), 4),)
    assert request.blacklist.additions == ("127.0.0.3",)
    assert (request.response_id, request.progress) == (3, 0.5)
    assert read_allocate_request(message("AllocateRequestProto")).blacklist is None


def test_container_ids_keep_the_epoch():
    container_id = ContainerId(ApplicationAttemptId(APP, 2), (3 << 40) | 17)
    proto = message("ContainerIdProto")
    write_container_id(proto, container_id)
    assert (proto.app_id.id, proto.app_attempt_id.attemptId, proto.id) == (12, 2, (3 << 40) | 17)
    assert read_container_id(proto) == container_id


def test_finish_without_a_status_is_undefined():
    assert read_finish_request(message("FinishApplicationMasterRequestProto")
                               ).final_application_status is FinalApplicationStatus.UNDEFINED
    proto = message("FinishApplicationMasterRequestProto")
    proto.final_application_status = "APP_FAILED"
    assert read_finish_request(proto).final_application_status is FinalApplicationStatus.FAILED


def test_container_states_are_hadoop_3_s_state_and_sub_state():
    proto = message("ContainerStatusProto")
    expected = {ContainerState.NEW: ("C_NEW", "CSS_SCHEDULED"),
                ContainerState.SCHEDULED: ("C_RUNNING", "CSS_SCHEDULED"),
                ContainerState.RUNNING: ("C_RUNNING", "CSS_RUNNING"),
                ContainerState.COMPLETE: ("C_COMPLETE", "CSS_DONE")}
    for state, names in expected.items():
        write_container_state(proto, state, "state", "container_sub_state")
        assert (enum_name(proto, "state"), enum_name(proto, "container_sub_state")) == names


def test_an_application_report_writes_the_enum_prefixes():
    report = ApplicationReport(
        application_id=APP, current_application_attempt_id=None, user="u", queue="q", name="n",
        host="N/A", rpc_port=-1, yarn_application_state=YarnApplicationState.FINISHED,
        diagnostics="", tracking_url="t", original_tracking_url="o", start_time=1,
        launch_time=2, finish_time=3, final_application_status=FinalApplicationStatus.KILLED,
        application_resource_usage_report=ApplicationResourceUsageReport(), progress=1.0,
        application_type="YARN", unmanaged_application=True)
    proto = message("ApplicationReportProto")
    write_application_report(proto, report)
    assert (enum_name(proto, "yarn_application_state"),
            enum_name(proto, "final_application_status"),
            enum_name(proto, "log_aggregation_status")) == (
        "FINISHED", "APP_KILLED", "LOG_DISABLED")
    assert not proto.HasField("currentApplicationAttemptId")
    assert (proto.diagnostics, proto.unmanaged_application, proto.launchTime) == ("", True, 2)
