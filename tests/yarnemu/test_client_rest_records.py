"""
Tests of the client-side REST codec (:mod:`yarnemu.client.rest_records`) on Hadoop's documented
wire shapes: the submission JSON it writes and the reports it reads from
``ResourceManagerRest``'s own examples.
"""

import pytest

from yarnemu.client.remote_exception import MalformedResponse
from yarnemu.client.rest_records import (
    application_report_from_json,
    application_reports_from_json,
    cluster_metrics_from_json,
    find_queue,
    new_application_from_json,
    node_reports_from_json,
    queue_infos_from_json,
    submission_context_json,
)
from yarnemu.records import (
    URL,
    ApplicationAttemptId,
    ApplicationId,
    ApplicationSubmissionContext,
    ContainerId,
    ContainerLaunchContext,
    FinalApplicationStatus,
    LocalResource,
    LocalResourceType,
    LocalResourceVisibility,
    NodeId,
    NodeState,
    QueueState,
    Resource,
    YarnApplicationState,
)

APP = "application_1476912658570_0002"

# GET /ws/v1/cluster/apps, as ResourceManagerRest documents it.
DOC_APP = {
    "id": APP, "user": "user2", "name": "word count", "queue": "default", "state": "FINISHED",
    "finalStatus": "SUCCEEDED", "progress": 100, "trackingUI": "History",
    "trackingUrl": f"http://host.domain.com:8088/cluster/app/{APP}", "diagnostics": "...",
    "clusterId": 1476912658570, "applicationType": "MAPREDUCE", "applicationTags": "",
    "priority": -1, "startedTime": 1476913457320, "finishedTime": 1476913761898,
    "elapsedTime": 304578,
    "amContainerLogs": "http://host.domain.com:8042/node/containerlogs/"
                       "container_1476912658570_0002_02_000001/user2",
    "amHostHttpAddress": "host.domain.com:8042", "allocatedMB": -1, "allocatedVCores": -1,
    "runningContainers": -1, "memorySeconds": 206464, "vcoreSeconds": 201,
    "queueUsagePercentage": 0, "clusterUsagePercentage": 0, "preemptedResourceMB": 0,
    "preemptedResourceVCores": 0, "numNonAMContainerPreempted": 0, "numAMContainerPreempted": 0,
    "logAggregationStatus": "DISABLED", "unmanagedApplication": False,
    "appNodeLabelExpression": "", "amNodeLabelExpression": "",
}


# Requests


def test_the_submission_json_has_hadoops_field_spellings():
    """The submission body spells every field as ApplicationSubmissionContextInfo does."""
    jar = LocalResource(URL.for_hdfs_path("/user/alice/.flink/app/flink-dist.jar"), 1234,
                        1700000000000, LocalResourceType.FILE, LocalResourceVisibility.PUBLIC)
    context = ApplicationSubmissionContext(
        application_id=ApplicationId(1404203615263, 1), application_name="test",
        queue="testqueue", priority=3, resource=Resource(1024, 1), application_type="YARN",
        application_tags=["Tag1", "tag 2"], max_app_attempts=2,
        keep_containers_across_application_attempts=True,
        attempt_failures_validity_interval=3600000,
        am_container_spec=ContainerLaunchContext(
            local_resources={"flink-dist.jar": jar},
            environment={"CLASSPATH": "{{CLASSPATH}}<CPS>./*", "DEBUG": "false"},
            commands=["{{JAVA_HOME}}/bin/java -Xmx10m Main 1><LOG_DIR>/AppMaster.stdout"]))
    assert submission_context_json(context) == {
        "application-id": "application_1404203615263_0001",
        "application-name": "test",
        "queue": "testqueue",
        "priority": 3,
        "am-container-spec": {
            "local-resources": {"entry": [{"key": "flink-dist.jar", "value": {
                "resource": "hdfs:///user/alice/.flink/app/flink-dist.jar", "type": "FILE",
                "visibility": "PUBLIC", "size": 1234, "timestamp": 1700000000000}}]},
            "environment": {"entry": [{"key": "CLASSPATH", "value": "{{CLASSPATH}}<CPS>./*"},
                                      {"key": "DEBUG", "value": "false"}]},
            "commands": {"command":
                         "{{JAVA_HOME}}/bin/java -Xmx10m Main 1><LOG_DIR>/AppMaster.stdout"},
        },
        "unmanaged-AM": False,
        "max-app-attempts": 2,
        "resource": {"memory": 1024, "vCores": 1},
        "application-type": "YARN",
        "keep-containers-across-application-attempts": True,
        "application-tags": {"tag": ["tag 2", "tag1"]},
        "attempt-failures-validity-interval": 3600000,
    }


def test_several_or_no_commands_go_as_a_list_and_a_node_label_when_set():
    """Commands other than one are a list; a node label expression is sent when set."""
    def spec_of(commands, **fields):
        return submission_context_json(ApplicationSubmissionContext(
            ApplicationId(1, 1), ContainerLaunchContext(commands=commands), **fields))

    assert spec_of(["a", "b"])["am-container-spec"]["commands"] == {"command": ["a", "b"]}
    unmanaged = spec_of([], unmanaged_am=True, node_label_expression="gpu")
    assert unmanaged["am-container-spec"]["commands"] == {"command": []}
    assert (unmanaged["unmanaged-AM"], unmanaged["app-node-label-expression"]) == (True, "gpu")
    assert "app-node-label-expression" not in spec_of(["a"])


# Responses


def test_a_new_application():
    """new-application gives the id and the maximum resource capability."""
    response = new_application_from_json({
        "application-id": "application_1404198295326_0003",
        "maximum-resource-capability": {"memory": 8192, "vCores": 32}})
    assert (response.application_id, response.maximum_resource_capability) == (
        ApplicationId(1404198295326, 3), Resource(8192, 32))


def test_the_documented_app_reads_as_a_report():
    """Hadoop's own example app reads field by field into an ApplicationReport."""
    report = application_report_from_json({"app": DOC_APP})
    attempt = ApplicationAttemptId(ApplicationId(1476912658570, 2), 2)
    assert (report.application_id, report.user, report.name, report.queue,
            report.yarn_application_state, report.final_application_status) == (
        ApplicationId(1476912658570, 2), "user2", "word count", "default",
        YarnApplicationState.FINISHED, FinalApplicationStatus.SUCCEEDED)
    assert (report.progress, report.diagnostics, report.tracking_url,
            report.original_tracking_url) == (
        1.0, "...", f"http://host.domain.com:8088/cluster/app/{APP}", "N/A")
    assert (report.start_time, report.finish_time, report.submit_time, report.launch_time) == (
        1476913457320, 1476913761898, 1476913457320, 0)
    assert (report.am_container_id, report.current_application_attempt_id) == (
        ContainerId(attempt, 1), attempt)
    assert (report.host, report.rpc_port, report.am_host_http_address) == (
        "N/A", -1, "host.domain.com:8042")
    assert (report.application_type, report.application_tags, report.priority,
            report.unmanaged_application) == ("MAPREDUCE", (), -1, False)
    usage = report.application_resource_usage_report
    assert (usage.num_used_containers, usage.used_resources, usage.memory_seconds,
            usage.vcore_seconds) == (0, Resource(0, 0), 206464, 201)


def test_a_running_app_names_its_am_and_tags():
    """amRPCAddress gives the AM's host and port; tags are split on commas."""
    app = dict(DOC_APP, state="RUNNING", finalStatus="UNDEFINED", progress=50,
               amRPCAddress="node-1:8081", applicationTags="a,b", allocatedMB=2048,
               allocatedVCores=2, runningContainers=2, launchTime=1476913458000)
    report = application_report_from_json({"app": app})
    assert (report.host, report.rpc_port, report.progress, report.application_tags) == (
        "node-1", 8081, 0.5, ("a", "b"))
    assert report.launch_time == 1476913458000
    usage = report.application_resource_usage_report
    assert (usage.num_used_containers, usage.used_resources) == (2, Resource(2048, 2))


def test_app_lists_null_single_and_many():
    """{"apps": null} is no application, a bare app is one, and lists come ordered by id."""
    assert application_reports_from_json({"apps": None}) == []
    (one,) = application_reports_from_json({"apps": {"app": DOC_APP}})
    assert one.application_id == ApplicationId(1476912658570, 2)
    first = dict(DOC_APP, id="application_1476912658570_0001")
    ids = [r.application_id for r in application_reports_from_json(
        {"apps": {"app": [DOC_APP, first]}})]
    assert ids == [ApplicationId(1476912658570, 1), ApplicationId(1476912658570, 2)]


def test_the_documented_node_reads_as_a_report():
    """Hadoop's example node gives its id, state, address and capability (used + available)."""
    (report,) = node_reports_from_json({"nodes": {"node": [{
        "rack": "/default-rack", "state": "RUNNING", "id": "host.domain.com:54158",
        "nodeHostName": "host.domain.com", "nodeHTTPAddress": "host.domain.com:8042",
        "lastHealthUpdate": 1476995346399, "version": "3.0.0-alpha2-SNAPSHOT",
        "healthReport": "", "numContainers": 1, "usedMemoryMB": 1024, "availMemoryMB": 7168,
        "usedVirtualCores": 1, "availableVirtualCores": 7}]}})
    assert (report.node_id, report.node_state, report.http_address, report.rack_name,
            report.used, report.capability, report.num_containers,
            report.last_health_report_time) == (
        NodeId("host.domain.com", 54158), NodeState.RUNNING, "host.domain.com:8042",
        "/default-rack", Resource(1024, 1), Resource(8192, 8), 1, 1476995346399)
    assert node_reports_from_json({"nodes": None}) == []


def test_the_documented_metrics_count_node_managers():
    """Metrics count active, unhealthy and decommissioning nodes as the RM's node managers."""
    metrics = cluster_metrics_from_json({"clusterMetrics": {
        "appsSubmitted": 0, "totalNodes": 9, "lostNodes": 1, "unhealthyNodes": 2,
        "decommissioningNodes": 1, "decommissionedNodes": 1, "rebootedNodes": 1,
        "activeNodes": 3, "shutdownNodes": 4}})
    assert (metrics.num_node_managers, metrics.num_active_node_managers,
            metrics.num_unhealthy_node_managers, metrics.num_lost_node_managers,
            metrics.num_decommissioned_node_managers, metrics.num_rebooted_node_managers,
            metrics.num_shutdown_node_managers) == (6, 3, 2, 1, 1, 1, 4)


_SCHEDULER = {"scheduler": {"schedulerInfo": {
    "type": "capacityScheduler", "capacity": 100.0, "usedCapacity": 0.0, "maxCapacity": 100.0,
    "queueName": "root", "queues": {"queue": [
        {"queueName": "a", "capacity": 10.5, "maxCapacity": 50.0, "usedCapacity": 0.0,
         "state": "RUNNING", "queues": {"queue": [
             {"type": "capacitySchedulerLeafQueueInfo", "queueName": "a1", "capacity": 30.0,
              "maxCapacity": 100.0, "usedCapacity": 25.0, "state": "STOPPED"}]}},
        {"type": "capacitySchedulerLeafQueueInfo", "queueName": "b1", "capacity": 60.000004,
         "maxCapacity": 100.0, "usedCapacity": 0.0, "state": "RUNNING", "users": None},
    ]}}}}


def test_the_queue_tree_reads_root_first_then_breadth_first():
    """Queues come root first, then level by level, with percentages as fractions."""
    apps = {"apps": {"app": [dict(DOC_APP, queue="a1", state="RUNNING")]}}
    infos = queue_infos_from_json(_SCHEDULER, apps)
    assert [(q.queue_path, q.capacity, q.maximum_capacity, q.current_capacity, q.queue_state,
             q.child_queues, q.applications) for q in infos] == [
        ("root", 1.0, 1.0, 0.0, QueueState.RUNNING, ("a", "b1"), ()),
        ("root.a", 0.105, 0.5, 0.0, QueueState.RUNNING, ("a1",), ()),
        ("root.b1", 0.60000004, 1.0, 0.0, QueueState.RUNNING, (), ()),
        ("root.a.a1", 0.3, 1.0, 0.25, QueueState.STOPPED, (),
         (ApplicationId(1476912658570, 2),)),
    ]
    assert find_queue(infos, "a1") is infos[3]
    assert find_queue(infos, "root.a") is infos[1]
    assert find_queue(infos, "missing") is None


def test_the_fifo_scheduler_reads_as_its_one_queue():
    """The FifoScheduler's info (fractions, maybe NaN) is the default queue, for any name."""
    infos = queue_infos_from_json({"scheduler": {"schedulerInfo": {
        "type": "fifoScheduler", "capacity": 1, "usedCapacity": "NaN", "qstate": "RUNNING"}}},
        {"apps": None})
    assert [(q.queue_name, q.capacity, q.current_capacity, q.queue_state) for q in infos] == [
        ("default", 1.0, 0.0, QueueState.RUNNING)]
    assert find_queue(infos, "anything") is infos[0]


@pytest.mark.parametrize("read, body", [
    (application_report_from_json, {"apps": []}),
    (application_report_from_json, {"app": dict(DOC_APP, id="app_1")}),
    (application_report_from_json, {"app": dict(DOC_APP, state="LIMBO")}),
    (node_reports_from_json, {"node": []}),
    (cluster_metrics_from_json, None),
    (new_application_from_json, {"application-id": "application_1_1"}),
])
def test_other_shapes_are_malformed_responses(read, body):
    """A body without the documented shape raises MalformedResponse."""
    with pytest.raises(MalformedResponse):
        read(body)


def test_an_unknown_scheduler_type_is_a_malformed_response():
    """Only the capacity and FIFO schedulers' shapes are read."""
    with pytest.raises(MalformedResponse):
        queue_infos_from_json({"scheduler": {"schedulerInfo": {"type": "fairScheduler"}}},
                              {"apps": None})
