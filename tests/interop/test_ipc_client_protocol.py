"""
``ApplicationClientProtocol`` over Hadoop RPC, against a real cluster core: every method served,
each answer checked against what the RM's client service holds, and typed errors.
"""

import pytest

from tests.interop.ipc_fixtures import RM_ADDRESS, RpcCluster
from yarnemu.ipc.convert.enums import enum_name
from yarnemu.records import ApplicationId


@pytest.fixture
def rpc(tmp_path):
    return RpcCluster(tmp_path, nodes=2, config={
        "yarn.scheduler.capacity.root.queues": "prod,dev",
        "yarn.scheduler.capacity.root.prod.capacity": "70",
        "yarn.scheduler.capacity.root.dev.capacity": "30",
        "yarn.scheduler.capacity.root.dev.queues": "a,b",
        "yarn.scheduler.capacity.root.dev.a.capacity": "50",
        "yarn.scheduler.capacity.root.dev.b.capacity": "50",
    })


def submit(rpc, client, name="job", queue="prod", command="sleep 600", unmanaged=False,
           app_type="YARN", tags=(), memory=1024, **fields):
    new = rpc.call(client, "getNewApplication")
    request = rpc.message("hadoop.yarn.SubmitApplicationRequestProto")
    context = request.application_submission_context
    context.application_id.CopyFrom(new.application_id)
    context.application_name = name
    context.queue = queue
    context.applicationType = app_type
    context.applicationTags.extend(tags)
    context.unmanaged_am = unmanaged
    context.resource.memory = memory
    context.resource.virtual_cores = 1
    if command:
        context.am_container_spec.command.append(command)
    for key, value in fields.items():
        if hasattr(value, "DESCRIPTOR"):
            getattr(context, key).CopyFrom(value)
        else:
            setattr(context, key, value)
    response = rpc.call(client, "submitApplication", request)
    assert not hasattr(response, "check"), response
    return ApplicationId(new.application_id.cluster_timestamp, new.application_id.id)


def app_id_message(rpc, application_id):
    return rpc.message("hadoop.yarn.ApplicationIdProto", id=application_id.id,
                       cluster_timestamp=application_id.cluster_timestamp)


def report_of(rpc, client, application_id):
    return rpc.call(client, "getApplicationReport",
                    application_id=app_id_message(rpc, application_id)).application_report


# Cluster


def test_cluster_metrics_count_the_node_managers(rpc):
    client = rpc.connect(RM_ADDRESS)
    metrics = rpc.call(client, "getClusterMetrics").cluster_metrics
    assert (metrics.num_node_managers, metrics.num_active_nms, metrics.num_lost_nms,
            metrics.num_shutdown_nms) == (2, 2, 0, 0)
    rpc.cluster.node_managers["127.0.0.3"].stop()
    rpc.clock.advance(1.0)
    metrics = rpc.call(client, "getClusterMetrics").cluster_metrics
    assert (metrics.num_node_managers, metrics.num_active_nms, metrics.num_shutdown_nms) == (1, 1, 1)


def test_cluster_nodes_are_the_node_managers_at_their_rpc_addresses(rpc):
    client = rpc.connect(RM_ADDRESS)
    reports = rpc.call(client, "getClusterNodes").nodeReports
    assert [(r.nodeId.host, r.nodeId.port) for r in reports] == [
        (str(nm.node_id.host), nm.node_id.port) for nm in rpc.cluster.node_managers.values()]
    assert [r.nodeId.host for r in reports] == ["127.0.0.2", "127.0.0.3"]
    first = reports[0]
    assert (first.capability.memory, first.capability.virtual_cores, first.rackName,
            enum_name(first, "node_state")) == (8192, 8, "/default-rack", "NS_RUNNING")
    assert first.httpAddress == "127.0.0.2:8042"


def test_cluster_nodes_filter_by_state(rpc):
    client = rpc.connect(RM_ADDRESS)
    request = rpc.message("hadoop.yarn.GetClusterNodesRequestProto")
    request.nodeStates.append("NS_LOST")
    assert list(rpc.call(client, "getClusterNodes", request).nodeReports) == []
    request.nodeStates.append("NS_RUNNING")
    assert len(rpc.call(client, "getClusterNodes", request).nodeReports) == 2


def test_queue_info_of_root_with_children_recursively(rpc):
    client = rpc.connect(RM_ADDRESS)
    info = rpc.call(client, "getQueueInfo", queueName="root", includeChildQueues=True,
                    recursive=True).queueInfo
    assert (info.queueName, info.queuePath) == ("root", "root")
    assert [(child.queueName, pytest.approx(child.capacity)) for child in info.childQueues] == [
        ("prod", 0.7), ("dev", 0.3)]
    dev = info.childQueues[1]
    assert [child.queuePath for child in dev.childQueues] == ["root.dev.a", "root.dev.b"]
    assert enum_name(dev, "state") == "Q_RUNNING"


def test_queue_info_without_recursion_or_children(rpc):
    client = rpc.connect(RM_ADDRESS)
    shallow = rpc.call(client, "getQueueInfo", queueName="root", includeChildQueues=True,
                       recursive=False).queueInfo
    assert [len(child.childQueues) for child in shallow.childQueues] == [0, 0]
    alone = rpc.call(client, "getQueueInfo", queueName="dev").queueInfo
    assert (alone.queuePath, list(alone.childQueues)) == ("root.dev", [])


def test_queue_info_with_applications(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id = submit(rpc, client, queue="prod")
    rpc.run_until(lambda: rpc.rm.apps[application_id].accepted)
    info = rpc.call(client, "getQueueInfo", queueName="prod",
                    includeApplications=True).queueInfo
    assert [app.applicationId.id for app in info.applications] == [application_id.id]


def test_an_unknown_queue_is_an_io_exception(rpc):
    client = rpc.connect(RM_ADDRESS)
    failure = rpc.call(client, "getQueueInfo", queueName="nosuch")
    assert (failure.value.exception_class, failure.value.message) == (
        "java.io.IOException", "Unknown queue: nosuch")


def test_queue_user_acls_allow_everything_on_every_queue(rpc):
    client = rpc.connect(RM_ADDRESS)
    acls = rpc.call(client, "getQueueUserAcls").queueUserAcls
    assert [acl.queueName for acl in acls] == [
        info.queue_name for info in rpc.rm.client_service.get_all_queues()]
    assert {enum_name(acls[0], "userAcls", value=value) for value in acls[0].userAcls} == {
        "QACL_SUBMIT_APPLICATIONS", "QACL_ADMINISTER_QUEUE"}


def test_no_node_labels_and_two_resource_types(rpc):
    client = rpc.connect(RM_ADDRESS)
    assert list(rpc.call(client, "getNodeToLabels").nodeToLabels) == []
    assert list(rpc.call(client, "getClusterNodeLabels").nodeLabels) == []
    assert list(rpc.call(client, "getLabelsToNodes").labelsToNodes) == []
    types = rpc.call(client, "getResourceTypeInfo").resource_type_info
    assert [(t.name, t.units) for t in types] == [("memory-mb", "Mi"), ("vcores", "")]


# Applications


def test_new_applications_get_fresh_ids_and_the_maximum_capability(rpc):
    client = rpc.connect(RM_ADDRESS)
    first = rpc.call(client, "getNewApplication")
    second = rpc.call(client, "getNewApplication")
    assert (first.application_id.id, second.application_id.id) == (1, 2)
    assert first.application_id.cluster_timestamp == rpc.rm.cluster_timestamp
    assert (first.maximumCapability.memory, first.maximumCapability.virtual_cores) == (8192, 4)


def test_a_submission_runs_as_the_connection_s_user_with_its_context(rpc):
    client = rpc.connect(RM_ADDRESS, user="carol")
    application_id = submit(rpc, client, name="etl", queue="dev.a".split(".")[-1],
                            app_type="Apache Flink", tags=["Team-X"], maxAppAttempts=1,
                            priority=rpc.message("hadoop.yarn.PriorityProto", priority=3))
    app = rpc.rm.apps[application_id]
    context = app.submission_context
    assert app.user == "carol"
    assert (context.application_name, context.queue, context.application_type,
            context.application_tags, context.priority, context.max_app_attempts) == (
        "etl", "a", "Apache Flink", ("team-x",), 3, 1)
    assert context.am_container_spec.commands == ("sleep 600",)


def test_the_application_report_is_the_rm_s(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id = submit(rpc, client, name="etl", tags=["t1"])
    rpc.run_until(lambda: rpc.rm.apps[application_id].state.value == "ACCEPTED")
    rpc.clock.advance(5)
    report = report_of(rpc, client, application_id)
    expected = rpc.rm.client_service.get_application_report(application_id)
    assert (report.applicationId.id, report.user, report.queue, report.name, report.host,
            report.rpc_port, enum_name(report, "yarn_application_state"),
            enum_name(report, "final_application_status"), report.trackingUrl,
            report.originalTrackingUrl, report.startTime, report.applicationType,
            list(report.applicationTags), report.currentApplicationAttemptId.attemptId) == (
        application_id.id, "alice", "prod", "etl", expected.host, expected.rpc_port,
        "ACCEPTED", "APP_UNDEFINED", expected.tracking_url, "N/A", expected.start_time, "YARN",
        ["t1"], 1)
    assert report.app_resource_Usage.used_resources.memory == 1024
    assert {entry.key: entry.value
            for entry in report.app_resource_Usage.application_resource_usage_map} == {
        "memory-mb": expected.application_resource_usage_report.memory_seconds,
        "vcores": expected.application_resource_usage_report.vcore_seconds}
    assert not report.HasField("am_rm_token")


def test_an_unknown_application_is_application_not_found(rpc):
    client = rpc.connect(RM_ADDRESS)
    failure = rpc.call(client, "getApplicationReport",
                       application_id=app_id_message(rpc, ApplicationId(1, 42)))
    assert failure.value.exception_class == (
        "org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException")
    assert "application_1_0042" in failure.value.message


def test_a_duplicate_submission_is_refused_and_changes_nothing(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id = submit(rpc, client)
    request = rpc.message("hadoop.yarn.SubmitApplicationRequestProto")
    request.application_submission_context.application_id.CopyFrom(
        app_id_message(rpc, application_id))
    failure = rpc.call(client, "submitApplication", request)
    assert failure.value.exception_class == "org.apache.hadoop.yarn.exceptions.YarnException"
    assert "Cannot add a duplicate!" in failure.value.message
    assert list(rpc.rm.apps) == [application_id]


def test_an_am_larger_than_the_maximum_allocation_is_refused(rpc):
    client = rpc.connect(RM_ADDRESS)
    new = rpc.call(client, "getNewApplication")
    request = rpc.message("hadoop.yarn.SubmitApplicationRequestProto")
    context = request.application_submission_context
    context.application_id.CopyFrom(new.application_id)
    context.resource.memory = 99999
    context.resource.virtual_cores = 1
    failure = rpc.call(client, "submitApplication", request)
    assert failure.value.exception_class == (
        "org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException")
    assert rpc.rm.apps == {}


def test_applications_are_filtered_as_the_request_says(rpc):
    alice = rpc.connect(RM_ADDRESS, user="alice")
    bob = rpc.connect(RM_ADDRESS, user="bob")
    first = submit(rpc, alice, name="one", app_type="Apache Flink", tags=["x"])
    second = submit(rpc, bob, name="two", queue="b", tags=["y"])
    rpc.run_until(lambda: all(rpc.rm.apps[a].state.value == "ACCEPTED" for a in (first, second)))

    def ids(**fields):
        request = rpc.message("hadoop.yarn.GetApplicationsRequestProto", **fields)
        reports = rpc.call(alice, "getApplications", request).applications
        return [report.applicationId.id for report in reports]

    assert ids() == [first.id, second.id]
    assert ids(application_types=["apache flink"]) == [first.id]
    assert ids(applicationTags=["y"]) == [second.id]
    assert ids(users=["bob"]) == [second.id]
    assert ids(queues=["prod"]) == [first.id]
    assert ids(queues=["b"]) == [second.id]
    assert ids(name="two") == [second.id]
    assert ids(limit=1) == [first.id]
    assert ids(scope="OWN") == [first.id]
    assert ids(application_states=["FINISHED"]) == []
    assert ids(application_states=["ACCEPTED", "RUNNING"]) == [first.id, second.id]
    assert ids(start_begin=rpc.rm.apps[first].submit_time) == [first.id, second.id]
    assert ids(start_end=rpc.rm.apps[first].submit_time - 1) == []
    assert ids(finish_end=10**15) == []  # neither has finished


def test_a_kill_completes_once_the_final_state_is_stored(rpc):
    client = rpc.connect(RM_ADDRESS, user="bob")
    application_id = submit(rpc, client)
    rpc.run_until(lambda: rpc.rm.apps[application_id].state.value == "ACCEPTED")
    request = rpc.message("hadoop.yarn.KillApplicationRequestProto",
                          application_id=app_id_message(rpc, application_id))
    assert rpc.call(client, "forceKillApplication", request).is_kill_completed is False
    rpc.run_until(lambda: rpc.rm.apps[application_id].state.value == "KILLED")
    assert rpc.call(client, "forceKillApplication", request).is_kill_completed is True
    report = report_of(rpc, client, application_id)
    assert enum_name(report, "yarn_application_state") == "KILLED"
    assert "killed by user bob" in report.diagnostics


def test_a_kill_passes_the_diagnostics(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id = submit(rpc, client)
    rpc.run_until(lambda: rpc.rm.apps[application_id].state.value == "ACCEPTED")
    rpc.call(client, "forceKillApplication", application_id=app_id_message(rpc, application_id),
             diagnostics="stop it")
    rpc.run_until(lambda: rpc.rm.apps[application_id].state.value == "KILLED")
    assert report_of(rpc, client, application_id).diagnostics == "stop it"


def test_killing_an_unknown_application_is_application_not_found(rpc):
    client = rpc.connect(RM_ADDRESS)
    failure = rpc.call(client, "forceKillApplication",
                       application_id=app_id_message(rpc, ApplicationId(1, 7)))
    assert failure.value.exception_class.endswith("ApplicationNotFoundException")


def test_attempts_and_containers_are_reported(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id = submit(rpc, client)
    app = rpc.rm.apps[application_id]
    rpc.run_until(lambda: app.current_attempt is not None
                  and app.current_attempt.master_container is not None)
    rpc.clock.advance(2)
    attempts = rpc.call(client, "getApplicationAttempts",
                        application_id=app_id_message(rpc, application_id)).application_attempts
    assert [a.application_attempt_id.attemptId for a in attempts] == [1]
    attempt_id = attempts[0].application_attempt_id
    report = rpc.call(client, "getApplicationAttemptReport",
                      application_attempt_id=attempt_id).application_attempt_report
    assert enum_name(report, "yarn_application_attempt_state") == "APP_ATTEMPT_LAUNCHED"
    assert report.am_container_id.id == 1
    containers = rpc.call(client, "getContainers", application_attempt_id=attempt_id).containers
    assert [(c.container_id.id, enum_name(c, "container_state"), c.resource.memory)
            for c in containers] == [(1, "C_RUNNING", 1024)]
    single = rpc.call(client, "getContainerReport",
                      container_id=containers[0].container_id).container_report
    assert single == containers[0]


def test_unknown_attempts_and_containers_are_typed_errors(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id = submit(rpc, client)
    attempt = rpc.message("hadoop.yarn.ApplicationAttemptIdProto", attemptId=5,
                          application_id=app_id_message(rpc, application_id))
    failure = rpc.call(client, "getApplicationAttemptReport", application_attempt_id=attempt)
    assert failure.value.exception_class.endswith("ApplicationAttemptNotFoundException")
    container = rpc.message("hadoop.yarn.ContainerIdProto", id=9, app_attempt_id=attempt,
                            app_id=app_id_message(rpc, application_id))
    failure = rpc.call(client, "getContainerReport", container_id=container)
    assert failure.value.exception_class.endswith("ContainerNotFoundException")


def test_reports_carry_label_expressions_and_the_lifetime_timeout_as_the_rm_s(rpc):
    client = rpc.connect(RM_ADDRESS)
    plain = submit(rpc, client)
    labelled = submit(rpc, client, node_label_expression="gpu")
    unmanaged = submit(rpc, client, command=None, unmanaged=True)
    report = report_of(rpc, client, plain)
    assert (report.appNodeLabelExpression, report.amNodeLabelExpression) == (
        "<DEFAULT_PARTITION>", "<DEFAULT_PARTITION>")
    [timeout] = report.appTimeouts
    assert (enum_name(timeout, "application_timeout_type"),
            timeout.application_timeout.expire_time,
            timeout.application_timeout.remaining_time) == ("APP_TIMEOUT_LIFETIME", "UNLIMITED", -1)
    assert report_of(rpc, client, labelled).appNodeLabelExpression == "gpu"
    assert not report_of(rpc, client, unmanaged).HasField("amNodeLabelExpression")
