"""
:class:`InProcessNetwork`: the network the programs in a cluster's containers share.

Programs that run in-process still talk to each other the way processes do: a server binds
``host:port`` on its container's host, clients reach it by address, and every message takes the
network's latency (by default none, but always asynchronously, through the clock, so that no call
ever re-enters its caller).  A server belongs to the process (the container program's scoped clock)
that bound it: when that process ends — it exits, is killed, or its node is lost — the server is
gone, and calls to it fail as a connection to a dead process does.  Calls whose caller died on the
way get no answer.

Calls that are still waiting for a server's answer when its process ends fail at once with
:class:`ConnectionClosedError`, as a connection to a process that died is closed under its
clients.

Ports are deterministic: a server binding port 0 gets the next free ephemeral port of its host.
"""

from twisted.internet.defer import Deferred, maybeDeferred

from yarnemu.errors import RemoteError

__all__ = [
    "InProcessNetwork",
    "ConnectionRefusedError",
    "ConnectionClosedError",
    "EPHEMERAL_PORT_START",
]

EPHEMERAL_PORT_START = 32768


class ConnectionRefusedError(RemoteError):
    """Nothing listens at the address (or the process that did is gone)."""

    java_class = "java.net.ConnectException"


class ConnectionClosedError(RemoteError):
    """The server's process ended while a call to it was waiting for its answer."""

    java_class = "java.io.IOException"


class _Binding:
    __slots__ = ("server", "owner", "waiting")

    def __init__(self, server, owner):
        self.server = server
        self.owner = owner
        self.waiting = {}
        if owner is not None and hasattr(owner, "on_close"):
            owner.on_close(self._owner_closed)

    def _owner_closed(self):
        waiting, self.waiting = self.waiting, {}
        for fail in waiting.values():
            fail()

    @property
    def alive(self):
        return self.owner is None or not getattr(self.owner, "closed", False)


class InProcessNetwork:
    """
    :param clock: the cluster's ``IReactorTime``.
    :param int latency_ms: one-way delivery time of every message.
    """

    def __init__(self, clock, latency_ms=0):
        self._clock = clock
        self._latency = latency_ms / 1000.0
        self._bindings = {}
        self._next_port = {}
        self.messages = 0

    def bind(self, host, port, server, owner=None):
        """
        Listen on ``host:port`` (``port`` 0: the host's next ephemeral port).

        :param server: the object calls are made on.
        :param owner: the binding process's clock; the server is unreachable once it is closed.
        :return: the port bound.
        :raise ValueError: if a live server already listens there.
        """
        if port == 0:
            port = self._next_port.get(host, EPHEMERAL_PORT_START)
            while (host, port) in self._bindings and self._bindings[(host, port)].alive:
                port += 1
            self._next_port[host] = port + 1
        current = self._bindings.get((host, port))
        if current is not None and current.alive:
            raise ValueError(f"Address already in use: {host}:{port}")
        self._bindings[(host, port)] = _Binding(server, owner)
        return port

    def unbind(self, host, port):
        """Stop listening on ``host:port``."""
        self._bindings.pop((host, port), None)

    def lookup(self, host, port):
        """:return: the live server at ``host:port``, or ``None``."""
        binding = self._bindings.get((host, port))
        if binding is None or not binding.alive:
            return None
        return binding.server

    def call(self, host, port, method, args=(), kwargs=None, caller=None):
        """
        Call ``method`` on the server at ``host:port``, one latency away; its result (a value or a
        Deferred) comes back one latency later.

        :param caller: the calling process's clock; nothing is delivered back once it is closed.
        :return: a Deferred firing with the result, or failing with the server's error, or with
            :class:`ConnectionRefusedError` when nothing (alive) listens there.
        """
        result = Deferred()
        self.messages += 1
        self._clock.callLater(self._latency, self._deliver, host, port, method, args,
                              kwargs or {}, caller, result)
        return result

    def _deliver(self, host, port, method, args, kwargs, caller, result):
        binding = self._bindings.get((host, port))
        if binding is None or not binding.alive:
            self._reply(caller, result, None, ConnectionRefusedError(
                f"Connection refused: {host}:{port}"))
            return
        answer = maybeDeferred(getattr(binding.server, method), *args, **kwargs)
        if answer.called:
            answer.addCallbacks(lambda value: self._reply(caller, result, value, None),
                                lambda failure: self._reply(caller, result, None, failure))
            return
        # The answer is pending: it fails if the server's process ends first.
        key = object()
        done = []

        def closed():
            if not done:
                done.append(True)
                self._reply(caller, result, None, ConnectionClosedError(
                    f"Connection unexpectedly closed by remote {host}:{port}"))

        def answered(value, error):
            binding.waiting.pop(key, None)
            if not done:
                done.append(True)
                self._reply(caller, result, value, error)

        binding.waiting[key] = closed
        answer.addCallbacks(lambda value: answered(value, None),
                            lambda failure: answered(None, failure))

    def _reply(self, caller, result, value, error):
        def answer():
            if caller is not None and getattr(caller, "closed", False):
                return
            if error is not None:
                result.errback(error)
            else:
                result.callback(value)

        self._clock.callLater(self._latency, answer)
