"""
The tokens YARN hands out over RPC: container tokens (which tell a NodeManager what container to
start), NM tokens (without which Hadoop's ``NMClient`` refuses to contact a node) and AMRM tokens
(what an unmanaged AM gets in its application report).

Clients pass tokens through without reading them, so the identifiers are yarnemu's own: compact
JSON with the fields Hadoop's ``ContainerTokenIdentifier``, ``NMTokenIdentifier`` and
``AMRMTokenIdentifier`` carry, named as their getters.  Passwords are HMAC-SHA1 of the
identifier under a key of the :class:`TokenSecretManager`, as Hadoop's ``SecretManager``
computes them, so that a NodeManager starts only containers the ResourceManager allocated.
"""

import hashlib
import hmac
import json
import os

from attrs import frozen

from yarnemu.errors import RemoteError
from yarnemu.records.containers import Container
from yarnemu.records.ids import ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import ExecutionType

__all__ = [
    "TokenValue",
    "TokenSecretManager",
    "InvalidToken",
    "CONTAINER_TOKEN_KIND",
    "NM_TOKEN_KIND",
    "AMRM_TOKEN_KIND",
]

CONTAINER_TOKEN_KIND = "ContainerToken"
NM_TOKEN_KIND = "NMToken"
AMRM_TOKEN_KIND = "YARN_AM_RM_TOKEN"


class InvalidToken(RemoteError):
    """A token the server did not issue, or that does not decode."""

    java_class = "org.apache.hadoop.security.token.SecretManager$InvalidToken"


@frozen
class TokenValue:
    """A ``hadoop.common.TokenProto``'s four fields."""

    identifier: bytes
    password: bytes
    kind: str
    service: str


class TokenSecretManager:
    """
    Issues and checks tokens under one random key.

    :param bytes key: the HMAC key (default: 20 random bytes).
    """

    def __init__(self, key=None):
        self._key = key if key is not None else os.urandom(20)

    def _token(self, fields, kind, service):
        identifier = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
        return TokenValue(identifier, self._password(identifier), kind, service)

    def _password(self, identifier):
        return hmac.new(self._key, identifier, hashlib.sha1).digest()

    def container_token(self, container):
        """:return: the container token of a :class:`Container` the RM allocated."""
        return self._token({
            "containerId": str(container.id),
            "nmHostAddr": str(container.node_id),
            "nodeHttpAddress": container.node_http_address,
            "appSubmitter": container.user,
            "resource": {"memory": container.resource.memory,
                         "vCores": container.resource.vcores},
            "priority": container.priority,
            "executionType": str(container.execution_type),
            "allocationRequestId": container.allocation_request_id,
            "version": container.version,
        }, CONTAINER_TOKEN_KIND, str(container.node_id))

    def nm_token(self, attempt_id, node_id, user):
        """:return: the NM token of an attempt for a node."""
        return self._token({"appAttemptId": str(attempt_id), "nodeId": str(node_id),
                            "appSubmitter": user}, NM_TOKEN_KIND, str(node_id))

    def amrm_token(self, attempt_id, service):
        """
        :param str service: the attempt's scheduler address (``host:port``), where a client
            holding the token connects.
        :return: the AMRM token of an attempt.
        """
        return self._token({"appAttemptId": str(attempt_id)}, AMRM_TOKEN_KIND, service)

    def read_container_token(self, identifier, password, node_id):
        """
        :param node_id: the NodeManager the token was presented to, for the message.
        :return: the :class:`Container` the container token identifies.
        :raise InvalidToken: if this manager did not issue it.
        """
        invalid = InvalidToken(
            f"Invalid container token used for starting container on : {node_id}")
        if not hmac.compare_digest(self._password(identifier), password):
            raise invalid
        try:
            fields = json.loads(identifier)
            resource = fields["resource"]
            return Container(
                id=ContainerId.parse(fields["containerId"]),
                node_id=NodeId.parse(fields["nmHostAddr"]),
                node_http_address=fields["nodeHttpAddress"],
                resource=Resource(int(resource["memory"]), int(resource["vCores"])),
                priority=int(fields["priority"]),
                allocation_request_id=int(fields["allocationRequestId"]),
                execution_type=ExecutionType(fields["executionType"]),
                version=int(fields["version"]),
                user=fields["appSubmitter"],
            )
        except (ValueError, KeyError, TypeError, RemoteError):
            raise invalid from None
