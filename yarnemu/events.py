"""
One event stream: every state transition and protocol message of interest is an immutable event
with a virtual timestamp (integer epoch milliseconds) and the ids it concerns.

Timelines, JSON-lines logs, metrics and (later) REST views and plots all read from this stream and
from the live state; nothing keeps a second set of books.  Events are plain values: formatting
(:meth:`Event.describe`) happens only when someone asks for text.
"""

import json
from collections import deque
from enum import Enum

from attrs import fields, frozen

from yarnemu.records.resource import Resource

__all__ = [
    "Event",
    "EventLog",
    "AppSubmitted",
    "AppStateChanged",
    "AttemptStateChanged",
    "ContainerAllocated",
    "ContainerStateChanged",
    "NodeStateChanged",
    "NMContainerStateChanged",
    "AMRegistered",
    "AMUnregistered",
    "LogRecorded",
    "event_to_json",
]


def _json_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, Enum):
            return value.value
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Resource):
        return value.to_json()
    if type(value) in (tuple, list):
        return [_json_value(item) for item in value]
    # Ids (named tuples) and any other value: their string form.
    return str(value)


@frozen
class Event:
    """
    Base of all events.

    :ivar int time: the virtual time, in epoch milliseconds.
    :cvar str kind: the event's name in JSON (``"app.state"``, …).
    :cvar str component: who emits it (``"RM"``, ``"NM"``, …), for timelines.
    """

    kind = "event"
    component = "?"

    time: int

    def subject(self):
        """:return: the id the event is about, as text."""
        return ""

    def describe(self):
        """:return: one line saying what happened, for a person."""
        return self.kind


def event_to_json(event):
    """
    :return: the event as a JSON-ready dict: ``time``, ``kind``, then its fields in declared order.
    """
    result = {"time": event.time, "kind": event.kind}
    for attribute in fields(type(event))[1:]:
        result[attribute.name] = _json_value(getattr(event, attribute.name))
    return result


def _arrow(old, new):
    return f"{_json_value(old)} -> {_json_value(new)}"


@frozen
class AppSubmitted(Event):
    """A client submitted an application."""

    kind = "app.submitted"
    component = "RM"

    application_id: object
    name: str
    application_type: str
    queue: str
    user: str

    def subject(self):
        return str(self.application_id)

    def describe(self):
        return (
            f"submitted {self.application_type} application '{self.name}' "
            f"by {self.user} to queue {self.queue}"
        )


@frozen
class AppStateChanged(Event):
    """An application's internal RMAppState changed on ``trigger``."""

    kind = "app.state"
    component = "RM"

    application_id: object
    from_state: object
    to_state: object
    trigger: str
    diagnostics: str = ""

    def subject(self):
        return str(self.application_id)

    def describe(self):
        text = f"{_arrow(self.from_state, self.to_state)} on {self.trigger}"
        return f"{text}: {self.diagnostics}" if self.diagnostics else text


@frozen
class AttemptStateChanged(Event):
    """An application attempt's internal state changed on ``trigger``."""

    kind = "attempt.state"
    component = "RM"

    attempt_id: object
    from_state: object
    to_state: object
    trigger: str
    diagnostics: str = ""

    def subject(self):
        return str(self.attempt_id)

    def describe(self):
        text = f"{_arrow(self.from_state, self.to_state)} on {self.trigger}"
        return f"{text}: {self.diagnostics}" if self.diagnostics else text


@frozen
class ContainerAllocated(Event):
    """The scheduler allocated a container on a node's heartbeat."""

    kind = "container.allocated"
    component = "Scheduler"

    container_id: object
    node_id: object
    resource: Resource
    priority: int
    locality: object
    queue: str = ""

    def subject(self):
        return str(self.container_id)

    def describe(self):
        return (
            f"allocated {self.resource} on {self.node_id} heartbeat "
            f"({_json_value(self.locality)}, priority {self.priority})"
        )


@frozen
class ContainerStateChanged(Event):
    """The RM's view of a container changed; ``exit_status`` is set when it completed."""

    kind = "container.state"
    component = "RM"

    container_id: object
    from_state: object
    to_state: object
    trigger: str
    exit_status: int | None = None
    diagnostics: str = ""

    def subject(self):
        return str(self.container_id)

    def describe(self):
        text = f"{_arrow(self.from_state, self.to_state)} on {self.trigger}"
        if self.exit_status is not None:
            text += f", exit status {self.exit_status}"
        return f"{text}: {self.diagnostics}" if self.diagnostics else text


@frozen
class NodeStateChanged(Event):
    """An RM node changed state; ``capability`` and ``rack`` describe it."""

    kind = "node.state"
    component = "RM"

    node_id: object
    from_state: object
    to_state: object
    trigger: str
    capability: Resource
    rack: str

    def subject(self):
        return str(self.node_id)

    def describe(self):
        return f"{_arrow(self.from_state, self.to_state)} on {self.trigger} ({self.capability}, {self.rack})"


@frozen
class NMContainerStateChanged(Event):
    """A container changed state inside its NodeManager."""

    kind = "nm.container.state"
    component = "NM"

    node_id: object
    container_id: object
    from_state: object
    to_state: object
    exit_code: int | None = None
    diagnostics: str = ""

    def subject(self):
        return str(self.container_id)

    def describe(self):
        text = f"{_arrow(self.from_state, self.to_state)} on {self.node_id}"
        if self.exit_code is not None:
            text += f", exit code {self.exit_code}"
        return f"{text}: {self.diagnostics}" if self.diagnostics else text


@frozen
class AMRegistered(Event):
    """An application master registered with the RM."""

    kind = "am.registered"
    component = "RM"

    attempt_id: object
    host: str
    rpc_port: int
    tracking_url: str

    def subject(self):
        return str(self.attempt_id)

    def describe(self):
        text = f"ApplicationMaster registered from {self.host}:{self.rpc_port}"
        return f"{text}, tracking URL {self.tracking_url}" if self.tracking_url else text


@frozen
class AMUnregistered(Event):
    """An application master unregistered with a final status."""

    kind = "am.unregistered"
    component = "RM"

    attempt_id: object
    final_status: object
    diagnostics: str = ""

    def subject(self):
        return str(self.attempt_id)

    def describe(self):
        text = f"ApplicationMaster unregistered with final status {_json_value(self.final_status)}"
        return f"{text}: {self.diagnostics}" if self.diagnostics else text


@frozen
class LogRecorded(Event):
    """A log line a component wrote, worded as the real component words it."""

    kind = "log"

    source: str
    level: str
    message: str
    subject_id: str = ""

    @property
    def component(self):
        return self.source

    def subject(self):
        return self.subject_id

    def describe(self):
        return f"{self.level} {self.message}"


class EventLog:
    """
    The event stream of one cluster: listeners are called for each event as it happens, and the
    events are kept (all of them, or the most recent ``max_events``) for views that read back.

    :param clock: the ``IReactorTime`` whose time stamps the events.
    :param max_events: keep at most this many events (``None``: keep all).
    """

    def __init__(self, clock, max_events=None):
        self._clock = clock
        self._listeners = []
        self.events = deque(maxlen=max_events) if max_events is not None else []

    def now(self):
        """
        :return: the current virtual time in epoch milliseconds.
        """
        return int(round(self._clock.seconds() * 1000))

    def emit(self, event):
        """
        Keep ``event`` and pass it to every listener, in subscription order.
        """
        self.events.append(event)
        for listener in self._listeners:
            listener(event)

    def subscribe(self, listener):
        """
        Call ``listener(event)`` for every later event.

        :return: a function that unsubscribes it.
        """
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def log(self, source, level, message, subject_id=""):
        """
        Emit a :class:`LogRecorded` event now.
        """
        self.emit(LogRecorded(self.now(), source, level, message, str(subject_id)))

    def write_jsonl(self, stream):
        """
        Write the kept events to a text ``stream`` as JSON lines, byte-for-byte reproducible.
        """
        for event in self.events:
            stream.write(json.dumps(event_to_json(event), separators=(",", ":")))
            stream.write("\n")
