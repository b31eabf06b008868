"""
Flink's RPC between the processes of a Flink cluster, over the cluster's in-process network.

Each process has an :class:`RpcService` bound to one port of its host; it hosts named endpoints
(``resourcemanager_0``, ``dispatcher_1``, ``jobmanager_2``, ``taskmanager_0``) at Pekko-style
addresses such as ``pekko.tcp://flink@node-1:32768/user/rpc/resourcemanager_0``.  A
:class:`RpcGateway` to an address turns ``gateway.method(*args)`` into an asynchronous call that
answers with a Deferred; calling a process that is gone, or an endpoint it does not host, fails
with :class:`RpcConnectionException`.
"""

import re

from twisted.internet.defer import fail

from flinkyarn.runtime.errors import RpcConnectionException
from yarnemu.network import ConnectionClosedError, ConnectionRefusedError

__all__ = ["RpcService", "RpcGateway", "rpc_address", "parse_rpc_address"]

_ADDRESS = re.compile(r"pekko\.tcp://flink@(?P<host>[^:/]+):(?P<port>\d+)/user/rpc/(?P<name>[\w.-]+)\Z")


def rpc_address(host, port, name):
    """:return: the Pekko address of endpoint ``name`` in the process at ``host:port``."""
    return f"pekko.tcp://flink@{host}:{port}/user/rpc/{name}"


def parse_rpc_address(address):
    """
    :return: ``(host, port, name)``.
    :raise RpcConnectionException: for something that is not an RPC address.
    """
    match = _ADDRESS.match(address or "")
    if match is None:
        raise RpcConnectionException(f"Could not connect to rpc endpoint under address {address}.")
    return match.group("host"), int(match.group("port")), match.group("name")


class _EndpointRouter:
    """What a process serves on its RPC port: calls routed to its named endpoints."""

    def __init__(self):
        self.endpoints = {}

    def invoke(self, name, method, args, kwargs):
        endpoint = self.endpoints.get(name)
        if endpoint is None or method.startswith("_"):
            raise RpcConnectionException(f"Could not connect to rpc endpoint under address "
                                         f"{name} (the endpoint is not running).")
        return getattr(endpoint, method)(*args, **kwargs)


class RpcService:
    """
    A process's RPC service.

    :param network: the cluster's :class:`~yarnemu.network.InProcessNetwork`.
    :param str host: the process's host (its NodeManager's host).
    :param clock: the process's scoped clock: its endpoints die with it.
    :param int port: the port to bind (0: an ephemeral one).
    """

    def __init__(self, network, host, clock, port=0):
        self.network = network
        self.host = host
        self.clock = clock
        self._router = _EndpointRouter()
        self.port = network.bind(host, port, self._router, owner=clock)
        self._counters = {}

    def start_server(self, endpoint, prefix):
        """
        Host ``endpoint`` under the next name ``<prefix>_<n>`` of this process.

        :return: its address.
        """
        number = self._counters.get(prefix, 0)
        self._counters[prefix] = number + 1
        name = f"{prefix}_{number}"
        self._router.endpoints[name] = endpoint
        return rpc_address(self.host, self.port, name)

    def stop_server(self, address):
        """Stop hosting the endpoint at ``address``."""
        _, _, name = parse_rpc_address(address)
        self._router.endpoints.pop(name, None)

    def connect(self, address):
        """:return: an :class:`RpcGateway` to ``address`` (calls fail if nothing is there)."""
        return RpcGateway(self, address)

    def stop(self):
        """Stop every endpoint and release the port."""
        self._router.endpoints.clear()
        self.network.unbind(self.host, self.port)


class RpcGateway:
    """
    A proxy for a remote endpoint: ``gateway.method(*args, **kwargs)`` returns a Deferred.

    :ivar str address: the endpoint's address.
    """

    def __init__(self, service, address):
        self._service = service
        self.address = address
        try:
            self._target = parse_rpc_address(address)
        except RpcConnectionException:
            self._target = None

    def __getattr__(self, method):
        if method.startswith("_"):
            raise AttributeError(method)

        def call(*args, **kwargs):
            if self._target is None:
                return fail(RpcConnectionException(
                    f"Could not connect to rpc endpoint under address {self.address}."))
            host, port, name = self._target
            d = self._service.network.call(host, port, "invoke", (name, method, args, kwargs),
                                           caller=self._service.clock)
            d.addErrback(self._connection_failed)
            return d

        return call

    def _connection_failed(self, failure):
        error = failure.check(ConnectionRefusedError, ConnectionClosedError)
        if error is None:
            return failure
        raise RpcConnectionException(
            f"Could not connect to rpc endpoint under address {self.address}.") from None

    def __repr__(self):
        return f"<RpcGateway {self.address}>"
