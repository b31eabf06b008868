"""
The RM's container lifecycle (``RMContainerImpl``): inputs and transition table.
"""

from enum import StrEnum

from yarnemu.lifecycle.machine import TransitionTable
from yarnemu.records.states import RMContainerState as S

__all__ = ["RMContainerEventType", "RM_CONTAINER_TRANSITIONS"]


class RMContainerEventType(StrEnum):
    START = "START"
    ACQUIRED = "ACQUIRED"
    KILL = "KILL"
    RESERVED = "RESERVED"
    LAUNCHED = "LAUNCHED"
    FINISHED = "FINISHED"
    RELEASED = "RELEASED"
    EXPIRE = "EXPIRE"


E = RMContainerEventType
_FINAL = (S.COMPLETED, S.EXPIRED, S.RELEASED, S.KILLED)

RM_CONTAINER_TRANSITIONS = TransitionTable(
    "RMContainer",
    arcs=[
        (S.NEW, E.START, S.ALLOCATED),
        (S.NEW, E.RESERVED, S.RESERVED),
        (S.NEW, E.ACQUIRED, S.ACQUIRED),
        (S.NEW, E.KILL, S.KILLED),
        (S.RESERVED, E.START, S.ALLOCATED),
        (S.RESERVED, E.KILL, S.KILLED),
        (S.RESERVED, E.RELEASED, S.RELEASED),
        (S.ALLOCATED, E.ACQUIRED, S.ACQUIRED),
        (S.ALLOCATED, E.EXPIRE, S.EXPIRED),
        (S.ALLOCATED, E.KILL, S.KILLED),
        # A release of a container the AM has not pulled yet: Hadoop completes it as released.
        (S.ALLOCATED, E.RELEASED, S.RELEASED),
        (S.ACQUIRED, E.LAUNCHED, S.RUNNING),
        (S.ACQUIRED, E.FINISHED, S.COMPLETED),
        (S.ACQUIRED, E.RELEASED, S.RELEASED),
        (S.ACQUIRED, E.EXPIRE, S.EXPIRED),
        (S.ACQUIRED, E.KILL, S.KILLED),
        (S.RUNNING, E.FINISHED, S.COMPLETED),
        (S.RUNNING, E.KILL, S.KILLED),
        (S.RUNNING, E.RELEASED, S.RELEASED),
    ],
    ignored=[
        (S.RUNNING, E.LAUNCHED),
        (_FINAL, (E.KILL, E.FINISHED, E.RELEASED, E.EXPIRE, E.LAUNCHED, E.ACQUIRED)),
    ],
)
