"""
:class:`HadoopDescriptors`: Hadoop's RPC and YARN protobuf messages, loaded at run time from the
descriptor set the interop set-up dumps from Hadoop's client jar (``python -m
yarnemu.interop.setup``), so that no Apache ``.proto`` or generated module is part of yarnemu.

It gives message classes by full name (``hadoop.yarn.ApplicationReportProto``) and, for a protocol
as its clients name it on the wire (``org.apache.hadoop.yarn.api.ApplicationClientProtocolPB``)
and one of its methods, the request and response classes from the protocol's service descriptor.
"""

import os

from attrs import frozen
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from yarnemu.interop.cache import InteropCache

__all__ = [
    "HadoopDescriptors",
    "DescriptorsUnavailable",
    "MethodTypes",
    "DESCRIPTORS_ENV",
    "SETUP_COMMAND",
    "APPLICATION_CLIENT_PROTOCOL",
    "APPLICATION_MASTER_PROTOCOL",
    "CONTAINER_MANAGEMENT_PROTOCOL",
    "PROTOCOL_SERVICES",
    "default_descriptors_path",
]

DESCRIPTORS_ENV = "YARNEMU_HADOOP_DESCRIPTORS"
"""The environment variable naming the descriptor set."""

SETUP_COMMAND = "python -m yarnemu.interop.setup"
"""What makes the descriptor set (and the rest of the interop cache)."""

APPLICATION_CLIENT_PROTOCOL = "org.apache.hadoop.yarn.api.ApplicationClientProtocolPB"
APPLICATION_MASTER_PROTOCOL = "org.apache.hadoop.yarn.api.ApplicationMasterProtocolPB"
CONTAINER_MANAGEMENT_PROTOCOL = "org.apache.hadoop.yarn.api.ContainerManagementProtocolPB"

PROTOCOL_SERVICES = {
    APPLICATION_CLIENT_PROTOCOL: "hadoop.yarn.ApplicationClientProtocolService",
    APPLICATION_MASTER_PROTOCOL: "hadoop.yarn.ApplicationMasterProtocolService",
    CONTAINER_MANAGEMENT_PROTOCOL: "hadoop.yarn.ContainerManagementProtocolService",
}
"""The protocol names clients send (``declaringClassProtocolName``) → their services."""


_REQUIRED_MESSAGES = (
    "hadoop.common.RpcRequestHeaderProto",
    "hadoop.common.RpcResponseHeaderProto",
    "hadoop.common.RpcSaslProto",
    "hadoop.common.IpcConnectionContextProto",
    "hadoop.common.RequestHeaderProto",
)


class DescriptorsUnavailable(Exception):
    """The descriptor set is missing or unreadable; the message says which file and what to run."""


@frozen
class MethodTypes:
    """The message classes of one RPC method."""

    request: type
    response: type


def default_descriptors_path(environ=None):
    """
    :param environ: the environment (default: ``os.environ``).
    :return: ``$YARNEMU_HADOOP_DESCRIPTORS``, else ``hadoop-yarn.fds`` in the interop cache
        (``.cache/interop/`` at the repository root, or ``$YARNEMU_INTEROP_CACHE``).
    """
    environ = os.environ if environ is None else environ
    named = environ.get(DESCRIPTORS_ENV)
    if named:
        return named
    return InteropCache.default(environ).descriptors


class HadoopDescriptors:
    """
    The messages of one descriptor set.

    :param files: a ``FileDescriptorSet`` whose files come in dependency order.
    :raise KeyError: if it lacks the RPC headers or one of the three YARN protocols.
    """

    def __init__(self, files):
        self._pool = descriptor_pool.DescriptorPool()
        for file in files.file:
            self._pool.Add(file)
        for name in _REQUIRED_MESSAGES:
            self._pool.FindMessageTypeByName(name)
        for service in PROTOCOL_SERVICES.values():
            self._pool.FindServiceByName(service)
        self._classes = {}
        self._methods = {}

    @classmethod
    def load(cls, path):
        """
        :return: the descriptors of the ``FileDescriptorSet`` file at ``path``.
        :raise DescriptorsUnavailable: if it cannot be read or is not such a set.
        """
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except OSError as error:
            raise DescriptorsUnavailable(
                f"Cannot read the Hadoop RPC descriptor set {path} ({error.strerror or error}); "
                f"run `{SETUP_COMMAND}` to make it, or name it with ${DESCRIPTORS_ENV}"
            ) from None
        files = descriptor_pb2.FileDescriptorSet()
        try:
            files.ParseFromString(data)
            return cls(files)
        except Exception as error:  # DecodeError, TypeError or KeyError, by implementation
            raise DescriptorsUnavailable(
                f"{path} is not a Hadoop RPC descriptor set ({error}); run `{SETUP_COMMAND}` "
                "to make it again"
            ) from None

    def message_class(self, full_name):
        """
        :return: the message class of ``full_name`` (``hadoop.common.RpcRequestHeaderProto``).
        :raise KeyError: for a message the set does not have.
        """
        found = self._classes.get(full_name)
        if found is None:
            found = message_factory.GetMessageClass(self._pool.FindMessageTypeByName(full_name))
            self._classes[full_name] = found
        return found

    def method(self, protocol, method_name):
        """
        :param str protocol: the protocol's wire name, one of :data:`PROTOCOL_SERVICES`.
        :return: the :class:`MethodTypes` of the method, or ``None`` if the protocol (as this set
            describes it) has no such method.
        """
        key = (protocol, method_name)
        if key not in self._methods:
            service_name = PROTOCOL_SERVICES.get(protocol)
            types = None
            if service_name is not None:
                method = self._pool.FindServiceByName(service_name).methods_by_name.get(method_name)
                if method is not None:
                    types = MethodTypes(self.message_class(method.input_type.full_name),
                                        self.message_class(method.output_type.full_name))
            self._methods[key] = types
        return self._methods[key]

    def method_names(self, protocol):
        """:return: the names of the protocol's methods, in declaration order."""
        service = self._pool.FindServiceByName(PROTOCOL_SERVICES[protocol])
        return [method.name for method in service.methods]
