"""
One ``ApplicationMasterProtocol`` listener per application attempt, so that an AM is known by the
address it connects to — what SIMPLE authentication cannot tell (the AMRM token travels only in
a SASL exchange; see ``real-clients.md`` §4.6).

- :class:`AttemptEndpoints` opens an attempt's listener on loopback port 0 when its AM container
  is launched (:meth:`AttemptEndpoints.open`, called through :class:`ContainerHadoopConf`) or,
  for an unmanaged AM, when the attempt is LAUNCHED; it closes it when the attempt ends (FINISHED,
  FAILED, KILLED).  Connections open at that moment stay open: their calls are answered as the RM
  answers a finished attempt (``ApplicationAttemptNotFoundException``).
- An unmanaged AM learns its address from its application report: the AMRM token's ``service``.
- :class:`ContainerHadoopConf` (the process executor's ``IContainerSite``) writes what a
  container finds in its ``HADOOP_CONF_DIR``: a ``yarn-site.xml`` with the cluster's yarn-site
  settings, the RM addresses and, for an AM container, its attempt's
  ``yarn.resourcemanager.scheduler.address``; a ``core-site.xml`` with ``fs.defaultFS``.  The
  directory is ``hadoop-conf/<container id>`` beside the container's working directory, in the
  application's directory (removed with it).
"""

import os

from twisted.internet.defer import gatherResults, maybeDeferred
from twisted.logger import Logger
from zope.interface import implementer

from yarnemu.events import AttemptStateChanged
from yarnemu.ipc.am_protocol import ApplicationMasterHandler
from yarnemu.ipc.connection import HadoopRpcFactory
from yarnemu.ipc.site_xml import site_xml
from yarnemu.nodemanager.process_executor import IContainerSite
from yarnemu.records.states import RMAppAttemptState

__all__ = ["AttemptEndpoints", "ContainerHadoopConf", "SCHEDULER_ADDRESS"]

SCHEDULER_ADDRESS = "yarn.resourcemanager.scheduler.address"

# yarn-site keys a container's clients read that the cluster's configuration always knows.
_ALLOCATION_KEYS = (
    "yarn.scheduler.minimum-allocation-mb",
    "yarn.scheduler.maximum-allocation-mb",
    "yarn.scheduler.minimum-allocation-vcores",
    "yarn.scheduler.maximum-allocation-vcores",
)


class AttemptEndpoints:
    """
    :param reactor: the ``IReactorTCP`` to listen with.
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager`.
    :param descriptors: the :class:`~yarnemu.ipc.descriptors.HadoopDescriptors`.
    :param tokens: the :class:`~yarnemu.ipc.tokens.TokenSecretManager`.
    :param str interface: the address listeners bind (loopback).
    """

    log = Logger()

    def __init__(self, reactor, rm, descriptors, tokens, interface="127.0.0.1"):
        self._reactor = reactor
        self._rm = rm
        self._descriptors = descriptors
        self._tokens = tokens
        self._interface = interface
        self._listeners = {}
        self._closing = set()
        self._unsubscribe = rm.events.subscribe(self._event)

    def open(self, attempt_id):
        """
        Listen for the attempt's AM (once; later calls return the same address).

        :return: the listener's ``host:port``.
        :raise KeyError: if the attempt is not live.
        """
        listener = self._listeners.get(attempt_id)
        if listener is None:
            attempt = self._rm.live_attempts[attempt_id]
            factory = HadoopRpcFactory(self._descriptors, [ApplicationMasterHandler(
                self._rm.am_service, attempt_id, attempt.app.user, self._tokens)])
            port = self._reactor.listenTCP(0, factory, interface=self._interface)
            listener = self._listeners[attempt_id] = (port, factory)
            self.log.info("{attempt}: ApplicationMasterProtocol at {address}",
                          attempt=str(attempt_id), address=_address(port))
        return _address(listener[0])

    def address(self, attempt_id):
        """:return: the attempt's listener's ``host:port``, or ``None`` if it has none."""
        listener = self._listeners.get(attempt_id)
        return _address(listener[0]) if listener is not None else None

    def close(self, attempt_id):
        """Stop listening for the attempt (its open connections stay)."""
        listener = self._listeners.pop(attempt_id, None)
        if listener is not None:
            self._stop_listening(listener[0])

    def close_all(self):
        """
        Stop every listener and close every connection (the service stops).

        :return: a Deferred firing when the ports are closed.
        """
        self._unsubscribe()
        for port, factory in self._listeners.values():
            factory.close_connections()
            self._stop_listening(port)
        self._listeners.clear()
        return gatherResults(list(self._closing), consumeErrors=True)

    def _stop_listening(self, port):
        closing = maybeDeferred(port.stopListening)
        if not closing.called:
            self._closing.add(closing)
            closing.addBoth(lambda result: self._closing.discard(closing) or result)

    def amrm_token(self, report):
        """
        :return: the AMRM token of an unmanaged application's current attempt, whose
            ``service`` is that attempt's address, or ``None``.
        """
        if not report.unmanaged_application:
            return None
        address = self.address(report.current_application_attempt_id)
        if address is None:
            return None
        return self._tokens.amrm_token(report.current_application_attempt_id, address)

    def _event(self, event):
        if not isinstance(event, AttemptStateChanged):
            return
        if event.to_state.is_final:
            self.close(event.attempt_id)
        elif event.to_state is RMAppAttemptState.LAUNCHED:
            attempt = self._rm.live_attempts.get(event.attempt_id)
            if attempt is not None and attempt.unmanaged:
                self.open(event.attempt_id)


@implementer(IContainerSite)
class ContainerHadoopConf:
    """
    The Hadoop configuration directory of each container.

    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager`.
    :param endpoints: the :class:`AttemptEndpoints`.
    :param str rm_address: ``yarn.resourcemanager.address`` (``host:port``).
    :param str default_fs: ``fs.defaultFS``.

    The ``yarn-site.xml`` holds the cluster's explicit yarn-site settings (``yarnemu.*`` keys
    left out), the allocation limits, and the RM's addresses.
    """

    def __init__(self, rm, endpoints, rm_address, default_fs="file:///"):
        self._rm = rm
        self._endpoints = endpoints
        self._rm_address = rm_address
        self._default_fs = default_fs

    def prepare(self, setup):
        """
        Write the container's configuration directory.

        :param setup: the process executor's ``ContainerSetup``.
        :return: ``{"HADOOP_CONF_DIR": the directory}``.
        """
        directory = os.path.join(os.path.dirname(os.path.normpath(str(setup.working_dir))),
                                 "hadoop-conf", str(setup.container_id))
        os.makedirs(directory, exist_ok=True)
        for name, text in self.files(setup.container_id).items():
            with open(os.path.join(directory, name), "w", encoding="utf-8") as stream:
                stream.write(text)
        return {"HADOOP_CONF_DIR": directory}

    def scheduler_address(self, container_id):
        """
        :return: the ``host:port`` of the AM listener when ``container_id`` is its attempt's AM
            container (opening it), else ``None``.
        """
        attempt_id = container_id.application_attempt_id
        attempt = self._rm.live_attempts.get(attempt_id)
        master = attempt.master_container if attempt is not None else None
        if master is None or master.container_id != container_id:
            return None
        return self._endpoints.open(attempt_id)

    def files(self, container_id):
        """:return: file name → text of the container's ``HADOOP_CONF_DIR``."""
        config = self._rm.config
        host = self._rm_address.rsplit(":", 1)[0]
        yarn = {key: value for key, value in config.items() if not key.startswith("yarnemu.")}
        for key in _ALLOCATION_KEYS:
            yarn.setdefault(key, config.get_int(key))
        yarn.update({
            "yarn.resourcemanager.hostname": host,
            "yarn.resourcemanager.address": self._rm_address,
            "yarn.resourcemanager.webapp.address": self._rm.webapp_address,
        })
        scheduler = self.scheduler_address(container_id)
        if scheduler is not None:
            yarn[SCHEDULER_ADDRESS] = scheduler
        return {
            "yarn-site.xml": site_xml(yarn),
            "core-site.xml": site_xml({"fs.defaultFS": self._default_fs}),
        }


def _address(port):
    host = port.getHost()
    return f"{host.host}:{host.port}"
