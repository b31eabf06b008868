"""
The Hadoop RPC server over a started cluster on a virtual clock, with connections carried in
memory (``twisted.test.iosim``) instead of sockets: listeners are recorded by
:class:`LoopbackListeners` (an ``IReactorTCP`` that gives each address its own ports), and
:meth:`RpcCluster.connect` pairs a :class:`~yarnemu.ipc.client.HadoopRpcClient` with the server
listening at an address.  Needs the descriptor set named by ``$YARNEMU_HADOOP_DESCRIPTORS``.
"""

from twisted.internet.address import IPv4Address
from twisted.internet.defer import succeed
from twisted.internet.error import CannotListenError
from twisted.internet.testing import StringTransport
from twisted.test.iosim import FakeTransport, connect

from tests.deferreds import results_of
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, YarnCluster
from yarnemu.config import YarnConfiguration
from yarnemu.ipc.client import HadoopRpcClient
from yarnemu.ipc.descriptors import (
    APPLICATION_CLIENT_PROTOCOL,
    APPLICATION_MASTER_PROTOCOL,
    HadoopDescriptors,
    default_descriptors_path,
)
from yarnemu.ipc.server import HadoopRpcServer
from yarnemu.ipc.tokens import TokenSecretManager
from yarnemu.programs import builtin_programs
from yarnemu.records import ApplicationId, Resource
from yarnemu.records.states import RMAppAttemptState

RM_ADDRESS = ("127.0.0.1", 8032)

_DESCRIPTORS = {}


def descriptors():
    """:return: the descriptor set at :func:`default_descriptors_path`, loaded once."""
    path = default_descriptors_path()
    if path not in _DESCRIPTORS:
        _DESCRIPTORS[path] = HadoopDescriptors.load(path)
    return _DESCRIPTORS[path]


def connect_in_memory(factory, address, client, client_port=50000):
    """
    Connect ``client`` (a protocol) to a new connection of ``factory``, listening at
    ``address`` (``(host, port)``), in memory.

    :return: the ``IOPump`` carrying their bytes.
    """
    here = IPv4Address("TCP", *address)
    server = factory.buildProtocol(here)
    peer = IPv4Address("TCP", "127.0.0.1", client_port)
    return connect(server, FakeTransport(server, True, here, peer),
                   client, FakeTransport(client, False, peer, here))


class _Port:
    def __init__(self, listeners, host, port):
        self._listeners = listeners
        self._address = IPv4Address("TCP", host, port)

    def getHost(self):
        return self._address

    def stopListening(self):
        self._listeners.factories.pop((self._address.host, self._address.port), None)
        return succeed(None)


class LoopbackListeners:
    """
    The ``listenTCP`` of a reactor: each interface has its own ports (port 0 picks the next from
    40000), and a port can be bound once.

    :ivar factories: ``(host, port)`` → the factory listening there.
    """

    def __init__(self):
        self.factories = {}
        self._next_port = {}

    def listenTCP(self, port, factory, backlog=50, interface=""):
        host = interface or "0.0.0.0"
        if port == 0:
            port = self._next_port.get(host, 40000)
            self._next_port[host] = port + 1
        if (host, port) in self.factories:
            raise CannotListenError(host, port, OSError("Address already in use"))
        self.factories[(host, port)] = factory
        return _Port(self, host, port)


class RpcCluster:
    """
    A cluster of ``nodes`` NodeManagers at their RPC addresses (``127.0.0.2``, ...), started, with
    the RM's client protocol at :data:`RM_ADDRESS`.

    :ivar clock: the :class:`VirtualClock`.
    :ivar cluster: the :class:`YarnCluster`.
    :ivar server: the :class:`HadoopRpcServer`.
    """

    def __init__(self, data_dir, nodes=2, memory_mb=8192, vcores=8, config=None):
        self.clock = VirtualClock(DEFAULT_EPOCH)
        self.listeners = LoopbackListeners()
        self.descriptors = descriptors()
        self.server = HadoopRpcServer(self.listeners, self.descriptors,
                                      TokenSecretManager(b"test-key"))
        self.cluster = YarnCluster(self.clock, data_dir, (), config=YarnConfiguration(config or {}),
                                   programs=builtin_programs())
        for index in range(nodes):
            node_manager = self.cluster.add_node_manager(self.server.bind_node(index),
                                                         Resource(memory_mb, vcores))
            self.server.serve_node(node_manager)
        self.server.attach(self.cluster.rm)
        self.listeners.listenTCP(RM_ADDRESS[1], self.server.client_factory(),
                                 interface=RM_ADDRESS[0])
        self._pumps = {}
        self.cluster.start()
        self.clock.advance(1.0)

    @property
    def rm(self):
        return self.cluster.rm

    def server_protocol(self, host, port):
        """:return: a new server connection of the listener at ``host:port``."""
        factory = self.listeners.factories[(host, port)]
        return factory.buildProtocol(IPv4Address("TCP", host, port))

    def connect(self, address, protocol=APPLICATION_CLIENT_PROTOCOL, user="alice", sasl=False):
        """
        :param address: ``(host, port)`` or ``"host:port"``.
        :return: a :class:`HadoopRpcClient` connected (in memory) to the listener there.
        """
        if isinstance(address, str):
            host, port = address.rsplit(":", 1)
            address = (host, int(port))
        client = HadoopRpcClient(self.descriptors, protocol, user, sasl)
        self._pumps[client] = connect_in_memory(self.listeners.factories[address], address,
                                                client, 50000 + len(self._pumps))
        return client

    def flush(self, client):
        self._pumps[client].flush()

    def outcome(self, deferred, client):
        """Deliver what is in flight on ``client``'s connection; :return: the Deferred's result."""
        results = results_of(deferred)
        self.flush(client)
        assert results, "no answer"
        return results[0]

    def call(self, client, method, request=None, **fields):
        """
        Call ``method``, its request made of ``fields`` when not given.

        :return: the response message or the Failure.
        """
        if request is None:
            types = self.descriptors.method(client.protocol, method)
            request = types.request(**fields)
        return self.outcome(client.call(method, request), client)

    def message(self, full_name, **fields):
        return self.descriptors.message_class(full_name)(**fields)

    def raw(self, host_port=RM_ADDRESS):
        """:return: ``(server connection, StringTransport)`` for feeding bytes by hand."""
        server = self.server_protocol(*host_port)
        transport = StringTransport(peerAddress=IPv4Address("TCP", "127.0.0.1", 49999))
        server.makeConnection(transport)
        return server, transport

    def run_until(self, predicate, seconds=600):
        return self.clock.run_until_true(predicate, limit=self.clock.seconds() + seconds)

    # Applications and their AMs, over RPC

    def submit(self, client, command="sleep 600", unmanaged=False, name="app", queue="default",
               memory=1024):
        """Submit an application over ``client``; :return: its id."""
        new = self.call(client, "getNewApplication")
        request = self.message("hadoop.yarn.SubmitApplicationRequestProto")
        context = request.application_submission_context
        context.application_id.CopyFrom(new.application_id)
        context.application_name = name
        context.queue = queue
        context.unmanaged_am = unmanaged
        context.resource.memory = memory
        context.resource.virtual_cores = 1
        if command:
            context.am_container_spec.command.append(command)
        answer = self.call(client, "submitApplication", request)
        assert not hasattr(answer, "check"), answer
        return ApplicationId(new.application_id.cluster_timestamp, new.application_id.id)

    def report(self, client, application_id):
        request = self.message("hadoop.yarn.GetApplicationReportRequestProto")
        request.application_id.id = application_id.id
        request.application_id.cluster_timestamp = application_id.cluster_timestamp
        return self.call(client, "getApplicationReport", request).application_report

    def unmanaged_am(self, client, name="am"):
        """
        Submit an unmanaged application and connect to its attempt's AM address, which its
        report's AMRM token names, holding the token (so over SASL, as ``AMRMClient`` does).

        :return: ``(application id, AM client, application report)``.
        """
        application_id = self.submit(client, command=None, unmanaged=True, name=name)
        app = self.rm.apps[application_id]
        self.run_until(lambda: app.current_attempt is not None
                       and app.current_attempt.state is RMAppAttemptState.LAUNCHED)
        report = self.report(client, application_id)
        am = self.connect(report.am_rm_token.service, APPLICATION_MASTER_PROTOCOL,
                          user=client.user, sasl=True)
        return application_id, am, report

    def asks(self, count, memory=1024, vcores=1, priority=1, resource_name="*"):
        """:return: an ``AllocateRequestProto`` asking for ``count`` containers."""
        request = self.message("hadoop.yarn.AllocateRequestProto")
        ask = request.ask.add(resource_name=resource_name, num_containers=count)
        ask.priority.priority = priority
        ask.capability.memory = memory
        ask.capability.virtual_cores = vcores
        return request

    def allocate_until(self, am, count, request, response_id):
        """
        Heartbeat (with ``request`` first, then empty asks) until ``count`` containers came.

        :return: ``(containers, NM tokens, next response id)``.
        """
        containers, tokens = [], []
        request.response_id = response_id
        while True:
            response = self.call(am, "allocate", request)
            assert not hasattr(response, "check"), response
            containers.extend(response.allocated_containers)
            tokens.extend(response.nm_tokens)
            response_id = response.response_id
            if len(containers) >= count:
                return containers, tokens, response_id
            request = self.message("hadoop.yarn.AllocateRequestProto", response_id=response_id)
            self.clock.advance(1)
