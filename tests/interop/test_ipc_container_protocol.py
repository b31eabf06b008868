"""
``ContainerManagementProtocol`` over Hadoop RPC, at each NodeManager's own address: containers
named by the tokens the AM was allocated are started, reported and stopped; tokens the RM did not
issue start nothing.
"""

import pytest

from tests.interop.ipc_fixtures import RM_ADDRESS, RpcCluster
from yarnemu.ipc.convert.enums import enum_name
from yarnemu.ipc.convert.ids import read_attempt_id
from yarnemu.ipc.descriptors import CONTAINER_MANAGEMENT_PROTOCOL
from yarnemu.records.states import NMContainerState


@pytest.fixture
def rpc(tmp_path):
    return RpcCluster(tmp_path, nodes=2)


@pytest.fixture
def allocated(rpc):
    """Two containers allocated to an unmanaged AM, on the two nodes."""
    client = rpc.connect(RM_ADDRESS)
    _, am, _ = rpc.unmanaged_am(client)
    rpc.call(am, "registerApplicationMaster", host="am", rpc_port=1)
    containers, _, _ = rpc.allocate_until(am, 2, rpc.asks(2, memory=6144), 0)
    assert len({c.nodeId.host for c in containers}) == 2
    return containers


def node_manager(rpc, container):
    return rpc.cluster.node_managers[container.nodeId.host]


def connect_to_node(rpc, container):
    """Connect as ``NMClient`` does: as the attempt, holding the node's NM token."""
    attempt = read_attempt_id(container.id.app_attempt_id)
    return rpc.connect((container.nodeId.host, container.nodeId.port),
                       CONTAINER_MANAGEMENT_PROTOCOL, user=str(attempt), sasl=True)


def start_request(rpc, containers, command="sleep 30"):
    request = rpc.message("hadoop.yarn.StartContainersRequestProto")
    for container in containers:
        entry = request.start_container_request.add()
        entry.container_token.CopyFrom(container.container_token)
        entry.container_launch_context.command.append(command)
        variable = entry.container_launch_context.environment.add()
        variable.key, variable.value = "GREETING", "hello {{USER}}"
    return request


def ids_request(rpc, kind, containers):
    request = rpc.message(f"hadoop.yarn.{kind}")
    for container in containers:
        request.container_id.add().CopyFrom(container.id)
    return request


def test_a_container_starts_from_its_token_and_runs(rpc, allocated):
    container = allocated[0]
    nm_client = connect_to_node(rpc, container)
    response = rpc.call(nm_client, "startContainers", start_request(rpc, [container]))
    assert list(response.succeeded_requests) == [container.id]
    assert list(response.failed_requests) == []
    rpc.clock.advance(1)
    running = next(iter(node_manager(rpc, container).containers.values()))
    assert running.state is NMContainerState.RUNNING
    assert running.user == "alice"
    assert running.container.resource.memory == 6144
    assert running.environment["GREETING"] == "hello alice"
    [status] = rpc.call(nm_client, "getContainerStatuses",
                        ids_request(rpc, "GetContainerStatusesRequestProto", [container])).status
    assert (enum_name(status, "state"), enum_name(status, "container_sub_state"),
            status.exit_status, status.capability.memory) == (
        "C_RUNNING", "CSS_RUNNING", -1000, 6144)


def test_stopping_kills_it_by_the_am(rpc, allocated):
    container = allocated[0]
    nm_client = connect_to_node(rpc, container)
    rpc.call(nm_client, "startContainers", start_request(rpc, [container]))
    rpc.clock.advance(1)
    response = rpc.call(nm_client, "stopContainers",
                        ids_request(rpc, "StopContainersRequestProto", [container]))
    assert list(response.succeeded_requests) == [container.id]
    rpc.clock.advance(2)
    [status] = rpc.call(nm_client, "getContainerStatuses",
                        ids_request(rpc, "GetContainerStatusesRequestProto", [container])).status
    assert (enum_name(status, "state"), status.exit_status) == ("C_COMPLETE", -105)
    assert "Container killed by the ApplicationMaster." in status.diagnostics


def test_a_token_with_a_wrong_password_starts_nothing(rpc, allocated):
    good, other = allocated
    forged = type(other)()
    forged.CopyFrom(other)
    forged.container_token.password = b"x" * 20
    forged.nodeId.CopyFrom(good.nodeId)
    nm_client = connect_to_node(rpc, good)
    failure = rpc.call(nm_client, "startContainers", start_request(rpc, [good, forged]))
    assert failure.value.exception_class == (
        "org.apache.hadoop.security.token.SecretManager$InvalidToken")
    assert failure.value.message == (
        f"Invalid container token used for starting container on : "
        f"{good.nodeId.host}:{good.nodeId.port}")
    assert node_manager(rpc, good).containers == {}


def test_a_request_without_a_token_is_refused(rpc, allocated):
    nm_client = connect_to_node(rpc, allocated[0])
    request = rpc.message("hadoop.yarn.StartContainersRequestProto")
    request.start_container_request.add().container_launch_context.command.append("true")
    assert rpc.call(nm_client, "startContainers", request).value.exception_class.endswith(
        "InvalidToken")


def test_a_token_for_another_node_fails_that_container_only(rpc, allocated):
    here, elsewhere = allocated
    nm_client = connect_to_node(rpc, here)
    response = rpc.call(nm_client, "startContainers", start_request(rpc, [here, elsewhere]))
    assert list(response.succeeded_requests) == [here.id]
    [failed] = response.failed_requests
    assert failed.container_id == elsewhere.id
    assert failed.exception.class_name == "org.apache.hadoop.yarn.exceptions.YarnException"
    assert "not for this NodeManager" in failed.exception.message


def test_starting_twice_fails_the_second_time(rpc, allocated):
    container = allocated[0]
    nm_client = connect_to_node(rpc, container)
    rpc.call(nm_client, "startContainers", start_request(rpc, [container]))
    response = rpc.call(nm_client, "startContainers", start_request(rpc, [container]))
    [failed] = response.failed_requests
    assert "already is running on this node" in failed.exception.message


def test_unknown_containers_are_failed_requests(rpc, allocated):
    container = allocated[0]
    nm_client = connect_to_node(rpc, container)
    statuses = rpc.call(nm_client, "getContainerStatuses",
                        ids_request(rpc, "GetContainerStatusesRequestProto", [container]))
    assert list(statuses.status) == []
    assert [f.container_id for f in statuses.failed_requests] == [container.id]
    stopped = rpc.call(nm_client, "stopContainers",
                       ids_request(rpc, "StopContainersRequestProto", [container]))
    assert "is not handled by this NodeManager" in stopped.failed_requests[0].exception.message


def test_a_node_manager_does_not_serve_the_rm_s_protocols(rpc, allocated):
    client = rpc.connect((allocated[0].nodeId.host, allocated[0].nodeId.port))
    failure = rpc.call(client, "getClusterMetrics")
    assert failure.value.code == "ERROR_NO_SUCH_PROTOCOL"
