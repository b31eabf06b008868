"""
What a scenario's timeline shows: the story a Flink-on-YARN user follows — the scenario's own
steps and checks; YARN's applications, attempts, containers (allocated on a node's heartbeat, and
their transitions) and nodes; Flink's container requests, TaskManager registrations, slot offers,
job and task transitions and restarts; and the log lines worth a person's eye (warnings, errors,
the client's messages).  Everything else stays in the event stream (``--events``).
"""

from yarnemu.events import LogRecorded

__all__ = ["shown_in_timeline", "TIMELINE_KINDS"]

TIMELINE_KINDS = frozenset({
    "scenario.step", "scenario.step.failed", "scenario.expectation",
    "app.state", "attempt.state", "container.allocated", "container.state", "node.state",
    "am.registered", "am.unregistered",
    "flink.worker.requested", "flink.taskmanager.registered", "flink.slots.offered",
    "flink.job.state", "flink.task.state", "flink.job.restarting",
})
"""The event kinds the timeline shows."""

_CLIENT_SOURCE = "FlinkClient"


def shown_in_timeline(event):
    """:return: whether ``event`` belongs in a scenario's timeline."""
    if isinstance(event, LogRecorded):
        return event.level in ("WARN", "ERROR") or (event.source == _CLIENT_SOURCE
                                                     and event.level == "INFO")
    return event.kind in TIMELINE_KINDS
