"""
``ApplicationMasterProtocol`` over Hadoop RPC: each attempt's own listener (an unmanaged AM finds
it in its AMRM token, a managed one in its container's yarn-site), register, allocate with
container and NM tokens, release, finish — and two applications' AMs kept apart.
"""

import json

import pytest

from tests.interop.ipc_fixtures import RM_ADDRESS, RpcCluster
from yarnemu.ipc.convert.enums import enum_name
from yarnemu.ipc.descriptors import APPLICATION_MASTER_PROTOCOL
from yarnemu.records import ContainerId
from yarnemu.records.states import RMAppAttemptState, RMAppState


@pytest.fixture
def rpc(tmp_path):
    return RpcCluster(tmp_path, nodes=2)


def register(rpc, am, host="am-host", port=4242, url="http://am-host:4242/"):
    return rpc.call(am, "registerApplicationMaster", host=host, rpc_port=port, tracking_url=url)


def test_an_unmanaged_am_finds_its_address_in_its_amrm_token(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id, am, report = rpc.unmanaged_am(client)
    token = report.am_rm_token
    attempt_id = rpc.rm.apps[application_id].current_attempt.attempt_id
    assert token.kind == "YARN_AM_RM_TOKEN"
    assert token.service == rpc.server.endpoints.address(attempt_id)
    assert token.service.startswith("127.0.0.1:")
    assert json.loads(token.identifier) == {"appAttemptId": str(attempt_id)}
    assert am.negotiated is not None  # it held a token: SASL, answered SUCCESS


def test_registration_answers_as_the_rm_and_the_application_runs(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id, am, _ = rpc.unmanaged_am(client)
    response = register(rpc, am)
    assert (response.maximumCapability.memory, response.maximumCapability.virtual_cores,
            response.queue) == (8192, 4, "default")
    assert [enum_name(response, "scheduler_resource_types", value=value)
            for value in response.scheduler_resource_types] == ["MEMORY", "CPU"]
    assert [info.name for info in response.resource_types] == ["memory-mb", "vcores"]
    rpc.clock.advance(0.1)
    report = rpc.report(client, application_id)
    assert (enum_name(report, "yarn_application_state"), report.host, report.rpc_port,
            report.originalTrackingUrl) == ("RUNNING", "am-host", 4242, "http://am-host:4242/")


def test_registering_twice_is_refused(rpc):
    client = rpc.connect(RM_ADDRESS)
    _, am, _ = rpc.unmanaged_am(client)
    register(rpc, am)
    failure = register(rpc, am)
    assert failure.value.exception_class == (
        "org.apache.hadoop.yarn.exceptions.InvalidApplicationMasterRequestException")


def test_allocate_before_registering_is_refused(rpc):
    client = rpc.connect(RM_ADDRESS)
    _, am, _ = rpc.unmanaged_am(client)
    failure = rpc.call(am, "allocate", rpc.asks(1))
    assert failure.value.exception_class == (
        "org.apache.hadoop.yarn.exceptions.ApplicationMasterNotRegisteredException")


def test_allocated_containers_carry_container_tokens_and_nodes_nm_tokens(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id, am, _ = rpc.unmanaged_am(client)
    register(rpc, am)
    containers, tokens, _ = rpc.allocate_until(am, 4, rpc.asks(4, memory=2048), 0)
    attempt_id = rpc.rm.apps[application_id].current_attempt.attempt_id
    nodes = {(c.nodeId.host, c.nodeId.port) for c in containers}
    for container in containers:
        assert container.id.app_attempt_id.attemptId == attempt_id.attempt_id
        assert (container.resource.memory, container.priority.priority) == (2048, 1)
        token = container.container_token
        identifier = json.loads(token.identifier)
        assert token.kind == "ContainerToken"
        assert token.service == f"{container.nodeId.host}:{container.nodeId.port}"
        assert identifier["containerId"] == str(
            ContainerId(attempt_id, container.id.id))
        assert identifier["appSubmitter"] == "alice"
        assert identifier["resource"] == {"memory": 2048, "vCores": 1}
        assert len(token.password) == 20
    # One NM token per node, the first time a container lands there.
    assert sorted((t.nodeId.host, t.nodeId.port) for t in tokens) == sorted(nodes)
    assert {t.token.kind for t in tokens} == {"NMToken"}


def test_the_response_id_rules_hold(rpc):
    client = rpc.connect(RM_ADDRESS)
    _, am, _ = rpc.unmanaged_am(client)
    register(rpc, am)
    first = rpc.call(am, "allocate", response_id=0)
    assert first.response_id == 1
    again = rpc.call(am, "allocate", response_id=0)
    assert again == first  # a repeated heartbeat gets the same answer
    stale = rpc.call(am, "allocate", response_id=7)
    assert stale.value.exception_class.endswith("InvalidApplicationMasterRequestException")
    assert "expect responseId to be 1 but get 7" in stale.value.message


def test_an_ask_above_the_maximum_is_invalid(rpc):
    client = rpc.connect(RM_ADDRESS)
    _, am, _ = rpc.unmanaged_am(client)
    register(rpc, am)
    failure = rpc.call(am, "allocate", rpc.asks(1, memory=10**6))
    assert failure.value.exception_class == (
        "org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException")


def test_released_containers_come_back_completed(rpc):
    client = rpc.connect(RM_ADDRESS)
    _, am, _ = rpc.unmanaged_am(client)
    register(rpc, am)
    containers, _, response_id = rpc.allocate_until(am, 1, rpc.asks(1), 0)
    release = rpc.message("hadoop.yarn.AllocateRequestProto", response_id=response_id)
    release.release.add().CopyFrom(containers[0].id)
    response_id = rpc.call(am, "allocate", release).response_id
    rpc.clock.advance(1)
    response = rpc.call(am, "allocate", response_id=response_id)
    [status] = response.completed_container_statuses
    assert status.container_id == containers[0].id
    assert (enum_name(status, "state"), status.exit_status) == ("C_COMPLETE", -100)
    assert response.num_cluster_nodes == 2
    assert response.limit.memory > 0


def test_finishing_unregisters_and_closes_the_attempt_s_listener(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id, am, report = rpc.unmanaged_am(client)
    register(rpc, am)
    request = rpc.message("hadoop.yarn.FinishApplicationMasterRequestProto",
                          diagnostics="all done", tracking_url="http://history/")
    request.final_application_status = "APP_SUCCEEDED"
    assert rpc.call(am, "finishApplicationMaster", request).isUnregistered is True
    rpc.run_until(lambda: rpc.rm.apps[application_id].state is RMAppState.FINISHED)
    final = rpc.report(client, application_id)
    assert (enum_name(final, "yarn_application_state"),
            enum_name(final, "final_application_status")) == ("FINISHED", "APP_SUCCEEDED")
    host, port = report.am_rm_token.service.rsplit(":", 1)
    assert (host, int(port)) not in rpc.listeners.factories
    assert not final.HasField("am_rm_token")
    # The connection that was open stays, and hears what the RM says of a finished attempt.
    failure = rpc.call(am, "allocate", response_id=1)
    assert failure.value.exception_class.endswith("ApplicationAttemptNotFoundException")


def test_each_attempt_s_am_gets_only_its_own_containers(rpc):
    alice = rpc.connect(RM_ADDRESS, user="alice")
    bob = rpc.connect(RM_ADDRESS, user="bob")
    first_id, first_am, first_report = rpc.unmanaged_am(alice, name="first")
    second_id, second_am, second_report = rpc.unmanaged_am(bob, name="second")
    assert first_report.am_rm_token.service != second_report.am_rm_token.service
    register(rpc, first_am)
    register(rpc, second_am)
    first, _, _ = rpc.allocate_until(first_am, 2, rpc.asks(2), 0)
    second, _, _ = rpc.allocate_until(second_am, 3, rpc.asks(3), 0)
    assert {c.id.app_id.id for c in first} == {first_id.id}
    assert {c.id.app_id.id for c in second} == {second_id.id}
    assert {json.loads(c.container_token.identifier)["appSubmitter"] for c in second} == {"bob"}
    assert len({c.id.id for c in first}) == 2 and len({c.id.id for c in second}) == 3


def test_a_managed_am_finds_its_own_scheduler_address_in_its_container_s_yarn_site(rpc):
    client = rpc.connect(RM_ADDRESS)
    application_id = rpc.submit(client, command="sleep 600")
    app = rpc.rm.apps[application_id]
    rpc.run_until(lambda: app.current_attempt is not None
                  and app.current_attempt.state is RMAppAttemptState.LAUNCHED)
    master = app.current_attempt.master_container.container_id
    conf = rpc.server.container_conf("127.0.0.1:8032")
    address = conf.scheduler_address(master)
    assert f"<name>yarn.resourcemanager.scheduler.address</name><value>{address}</value>" in (
        conf.files(master)["yarn-site.xml"])
    am = rpc.connect(address, APPLICATION_MASTER_PROTOCOL)
    assert register(rpc, am).queue == "default"
    rpc.clock.advance(0.1)
    assert app.state is RMAppState.RUNNING
