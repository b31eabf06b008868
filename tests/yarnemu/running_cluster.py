"""
A started :class:`~yarnemu.cluster.YarnCluster` on a virtual clock, for tests that drive the
ResourceManager and NodeManagers through their public services.
"""

from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.config import YarnConfiguration
from yarnemu.events import AppStateChanged
from yarnemu.programs import builtin_programs
from yarnemu.records import (
    ApplicationSubmissionContext,
    ContainerLaunchContext,
    Resource,
)

EPOCH_MS = int(DEFAULT_EPOCH * 1000)


class RunningCluster:
    """
    :ivar clock: the :class:`VirtualClock`.
    :ivar cluster: the :class:`YarnCluster`, with every NodeManager registered.
    """

    def __init__(self, data_dir, nodes=3, memory_mb=8192, vcores=8, config=None, programs=None,
                 groups=None):
        self.clock = VirtualClock(DEFAULT_EPOCH)
        self.cluster = YarnCluster(
            self.clock, data_dir,
            groups or [NodeGroup(nodes, memory_mb=memory_mb, vcores=vcores)],
            config=YarnConfiguration(config or {}),
            programs=programs if programs is not None else builtin_programs(),
        )
        self.cluster.start()
        self.clock.advance(1.0)

    @property
    def rm(self):
        return self.cluster.rm

    @property
    def client(self):
        return self.cluster.rm.client_service

    def submit(self, command=None, user="alice", queue="default", resource=Resource(1024, 1),
               unmanaged=False, **context):
        """Submit an application running ``command`` as its AM; :return: its id."""
        application_id = self.client.get_new_application().application_id
        spec = ContainerLaunchContext(commands=[command] if command else [])
        self.client.submit_application(ApplicationSubmissionContext(
            application_id=application_id, am_container_spec=spec, queue=queue,
            resource=resource, unmanaged_am=unmanaged, **context,
        ), user)
        return application_id

    def app(self, application_id):
        return self.rm.apps[application_id]

    def run_until(self, predicate, seconds=3600):
        """Drive the clock until ``predicate()`` holds (at most ``seconds`` more)."""
        return self.clock.run_until_true(predicate, limit=self.clock.seconds() + seconds)

    def run_until_app_state(self, application_id, *states, seconds=3600):
        return self.run_until(lambda: self.app(application_id).state in states, seconds)

    def advance(self, seconds):
        self.clock.advance(seconds)

    def app_states(self, application_id):
        """:return: the internal states an application went through, from NEW on."""
        states = []
        for event in self.cluster.events.events:
            if isinstance(event, AppStateChanged) and event.application_id == application_id:
                if not states:
                    states.append(event.from_state)
                states.append(event.to_state)
        return states

    def events_of(self, kind):
        return [event for event in self.cluster.events.events if event.kind == kind]
