"""Ids, ``Resource`` and ``Priority``."""

from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, ContainerId, NodeId
from yarnemu.records.resource import Resource

__all__ = [
    "write_application_id",
    "read_application_id",
    "write_attempt_id",
    "read_attempt_id",
    "write_container_id",
    "read_container_id",
    "write_node_id",
    "read_node_id",
    "write_resource",
    "read_resource",
]


def write_application_id(message, application_id):
    message.id = application_id.id
    message.cluster_timestamp = application_id.cluster_timestamp


def read_application_id(message):
    return ApplicationId(message.cluster_timestamp, message.id)


def write_attempt_id(message, attempt_id):
    write_application_id(message.application_id, attempt_id.application_id)
    message.attemptId = attempt_id.attempt_id


def read_attempt_id(message):
    return ApplicationAttemptId(read_application_id(message.application_id), message.attemptId)


def write_container_id(message, container_id):
    attempt = container_id.application_attempt_id
    write_application_id(message.app_id, attempt.application_id)
    write_attempt_id(message.app_attempt_id, attempt)
    message.id = container_id.container_id


def read_container_id(message):
    return ContainerId(read_attempt_id(message.app_attempt_id), message.id)


def write_node_id(message, node_id):
    message.host = node_id.host
    message.port = node_id.port


def read_node_id(message):
    return NodeId(message.host, message.port)


def write_resource(message, resource):
    message.memory = resource.memory
    message.virtual_cores = resource.vcores


def read_resource(message):
    """:return: the :class:`Resource` (memory in MB, vcores)."""
    return Resource(message.memory, message.virtual_cores)
