"""
:class:`HadoopRpcServer`: the Hadoop RPC side of one cluster, on the same RM and NodeManagers
every other surface uses:

- ``ApplicationClientProtocol`` on the RM's client address (:meth:`HadoopRpcServer.client_factory`
  is what the service listens with);
- ``ContainerManagementProtocol`` per NodeManager, at the NodeManager's own address: NodeManager
  *i* gets the loopback address ``127.0.0.<i+2>`` (all of 127/8 is loopback on Linux) and a port
  bound before the node exists, so that NodeIds are real, distinct and reachable as on a
  multi-host cluster (:meth:`HadoopRpcServer.bind_node`);
- ``ApplicationMasterProtocol`` per application attempt
  (:class:`~yarnemu.ipc.attempt_endpoints.AttemptEndpoints`).
"""

from functools import partial

from twisted.internet.defer import gatherResults, maybeDeferred

from yarnemu.ipc.attempt_endpoints import AttemptEndpoints, ContainerHadoopConf
from yarnemu.ipc.client_protocol import ClientProtocolHandler
from yarnemu.ipc.connection import HadoopRpcFactory
from yarnemu.ipc.container_protocol import ContainerManagementHandler
from yarnemu.ipc.tokens import TokenSecretManager
from yarnemu.records.ids import NodeId

__all__ = ["HadoopRpcServer", "node_host"]


def _node_label_expression(rm, application_id):
    app = rm.apps.get(application_id)
    return app.submission_context.node_label_expression if app is not None else None


def node_host(index):
    """:return: the loopback address of NodeManager ``index``: ``127.0.0.2`` for the first."""
    number = index + 2
    return f"127.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"


class HadoopRpcServer:
    """
    :param reactor: the ``IReactorTCP`` to listen with.
    :param descriptors: the :class:`~yarnemu.ipc.descriptors.HadoopDescriptors`.
    :param tokens: the :class:`~yarnemu.ipc.tokens.TokenSecretManager` (default: a new one).

    :ivar endpoints: the :class:`AttemptEndpoints`, once :meth:`attach`-ed.
    """

    def __init__(self, reactor, descriptors, tokens=None):
        self._reactor = reactor
        self.descriptors = descriptors
        self.tokens = tokens if tokens is not None else TokenSecretManager()
        self._nodes = {}
        self._client = HadoopRpcFactory(descriptors)
        self._rm = None
        self.endpoints = None

    def bind_node(self, index):
        """
        Listen for NodeManager ``index``'s ContainerManagementProtocol on its own loopback
        address, port 0, before the NodeManager exists (:meth:`serve_node` completes it).

        :return: the NodeManager's :class:`NodeId`.
        :raise twisted.internet.error.CannotListenError: if the address cannot be bound.
        """
        host = node_host(index)
        factory = HadoopRpcFactory(self.descriptors)
        port = self._reactor.listenTCP(0, factory, interface=host)
        self._nodes[host] = (port, factory)
        return NodeId(host, port.getHost().port)

    def serve_node(self, node_manager):
        """Serve ``node_manager``'s containers on the address :meth:`bind_node` gave it."""
        _, factory = self._nodes[node_manager.node_id.host]
        factory.serve(ContainerManagementHandler(node_manager, self.tokens))

    def attach(self, rm):
        """Serve ``rm``: its client protocol, and one AM listener per attempt."""
        self._rm = rm
        self.endpoints = AttemptEndpoints(self._reactor, rm, self.descriptors, self.tokens)
        self._client.serve(ClientProtocolHandler(rm.client_service, self.endpoints.amrm_token,
                                                 partial(_node_label_expression, rm)))

    def client_factory(self):
        """:return: the factory to listen with at the RM's client address."""
        return self._client

    def container_conf(self, rm_address, default_fs="file:///"):
        """
        :param str rm_address: where the client factory listens (``host:port``).
        :return: the :class:`ContainerHadoopConf` of the attached RM's containers.
        """
        return ContainerHadoopConf(self._rm, self.endpoints, rm_address, default_fs)

    def stop(self):
        """
        Stop every listener this object opened and close every connection, the client
        address's included (its port is the service's to close).

        :return: a Deferred firing when the ports are closed.
        """
        closing = [self.endpoints.close_all()] if self.endpoints is not None else []
        self._client.close_connections()
        for port, factory in self._nodes.values():
            factory.close_connections()
            closing.append(maybeDeferred(port.stopListening))
        self._nodes.clear()
        return gatherResults(closing, consumeErrors=True)
