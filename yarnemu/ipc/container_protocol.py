"""
:class:`ContainerManagementHandler`: ``ContainerManagementProtocol`` for one NodeManager —
start, stop and status of containers, with failures reported per container as Hadoop's
``ContainerManagerImpl`` reports them (a ``SerializedException`` per failed container id).

A start request names its container by its container token (:mod:`yarnemu.ipc.tokens`): every
token is checked before anything starts, and one the RM did not issue fails the whole call with
``InvalidToken``.
"""

from yarnemu.ipc.convert.applications import read_launch_context
from yarnemu.ipc.convert.ids import read_container_id, write_container_id
from yarnemu.ipc.convert.scheduling import write_container_status, write_serialized_exception
from yarnemu.ipc.descriptors import CONTAINER_MANAGEMENT_PROTOCOL
from yarnemu.ipc.handler import ProtocolHandler
from yarnemu.ipc.tokens import InvalidToken
from yarnemu.records.container_manager_protocol import StartContainerRequest

__all__ = ["ContainerManagementHandler"]


class ContainerManagementHandler(ProtocolHandler):
    """
    :param node_manager: the NodeManager (``IContainerManagementProtocol``) served.
    :param tokens: the :class:`~yarnemu.ipc.tokens.TokenSecretManager` that issued the
        container tokens.
    """

    protocol = CONTAINER_MANAGEMENT_PROTOCOL
    methods = {
        "startContainers": "start_containers",
        "stopContainers": "stop_containers",
        "getContainerStatuses": "get_container_statuses",
    }

    def __init__(self, node_manager, tokens):
        self._nm = node_manager
        self._tokens = tokens

    def start_containers(self, call):
        requests = []
        for request in call.request.start_container_request:
            if not request.HasField("container_token"):
                raise InvalidToken("Invalid container token used for starting container on : "
                                   f"{self._nm.node_id}")
            token = request.container_token
            container = self._tokens.read_container_token(token.identifier, token.password,
                                                          self._nm.node_id)
            requests.append(StartContainerRequest(
                container, read_launch_context(request.container_launch_context)))
        response = self._nm.start_containers(requests)
        for container_id in response.successfully_started_containers:
            write_container_id(call.response.succeeded_requests.add(), container_id)
        _write_failures(call.response.failed_requests, response.failed_requests)

    def stop_containers(self, call):
        response = self._nm.stop_containers(
            [read_container_id(message) for message in call.request.container_id])
        for container_id in response.successfully_stopped_containers:
            write_container_id(call.response.succeeded_requests.add(), container_id)
        _write_failures(call.response.failed_requests, response.failed_requests)

    def get_container_statuses(self, call):
        response = self._nm.get_container_statuses(
            [read_container_id(message) for message in call.request.container_id])
        for status in response.container_statuses:
            write_container_status(call.response.status.add(), status)
        _write_failures(call.response.failed_requests, response.failed_requests)


def _write_failures(messages, failures):
    for container_id, error in failures.items():
        entry = messages.add()
        write_container_id(entry.container_id, container_id)
        write_serialized_exception(entry.exception, error)
