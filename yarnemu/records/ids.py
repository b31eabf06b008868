"""
YARN's identifiers, with their exact string forms (``application_<clusterTimestamp>_<id:04d>``,
``appattempt_…_<attempt:06d>``, ``container_[e<epoch:02d>_]…_<attempt:02d>_<id:06d>``,
``host:port``) and parsers that refuse malformed strings with ``IllegalArgumentException``.

Ids order by their numeric fields, as Hadoop's ``compareTo`` does.  They are named tuples: they
are the keys of the hottest dictionaries in the emulator, and a tuple hashes and compares in C.
"""

import re
from typing import NamedTuple

from yarnemu.errors import IllegalArgumentException

__all__ = ["ApplicationId", "ApplicationAttemptId", "ContainerId", "NodeId"]

_APP_RE = re.compile(r"application_(\d+)_(\d+)\Z")
_ATTEMPT_RE = re.compile(r"appattempt_(\d+)_(\d+)_(\d+)\Z")
_CONTAINER_RE = re.compile(r"container_(?:e(\d+)_)?(\d+)_(\d+)_(\d+)_(\d+)\Z")

# ContainerId packs the RM epoch above the low 40 bits of the container number.
_EPOCH_SHIFT = 40
_SEQUENCE_MASK = (1 << _EPOCH_SHIFT) - 1


class ApplicationId(NamedTuple):
    """
    :ivar int cluster_timestamp: the RM's start time in ms, shared by all its applications.
    :ivar int id: the sequence number of the application in that RM, from 1.
    """

    cluster_timestamp: int
    id: int

    def __str__(self):
        return f"application_{self.cluster_timestamp}_{self.id:04d}"

    @classmethod
    def parse(cls, text):
        """
        :raise IllegalArgumentException: if ``text`` is not an application id.
        """
        match = _APP_RE.match(text) if isinstance(text, str) else None
        if match is None:
            raise IllegalArgumentException(f"Invalid ApplicationId: {text}")
        return cls(int(match.group(1)), int(match.group(2)))


class ApplicationAttemptId(NamedTuple):
    """
    :ivar ApplicationId application_id:
    :ivar int attempt_id: the attempt number, from 1.
    """

    application_id: ApplicationId
    attempt_id: int

    def __str__(self):
        app = self.application_id
        return f"appattempt_{app.cluster_timestamp}_{app.id:04d}_{self.attempt_id:06d}"

    @classmethod
    def parse(cls, text):
        """
        :raise IllegalArgumentException: if ``text`` is not an application attempt id.
        """
        match = _ATTEMPT_RE.match(text) if isinstance(text, str) else None
        if match is None:
            raise IllegalArgumentException(f"Invalid AppAttemptId: {text}")
        app = ApplicationId(int(match.group(1)), int(match.group(2)))
        return cls(app, int(match.group(3)))


class ContainerId(NamedTuple):
    """
    :ivar ApplicationAttemptId application_attempt_id:
    :ivar int container_id: the container number within the attempt (1 is the AM container),
        with the RM epoch in the bits above 40.
    """

    application_attempt_id: ApplicationAttemptId
    container_id: int

    @property
    def epoch(self):
        return self.container_id >> _EPOCH_SHIFT

    @property
    def sequence(self):
        return self.container_id & _SEQUENCE_MASK

    @property
    def application_id(self):
        return self.application_attempt_id.application_id

    def __str__(self):
        attempt = self.application_attempt_id
        app = attempt.application_id
        epoch = self.epoch
        prefix = f"container_e{epoch:02d}_" if epoch > 0 else "container_"
        return (
            f"{prefix}{app.cluster_timestamp}_{app.id:04d}"
            f"_{attempt.attempt_id:02d}_{self.sequence:06d}"
        )

    @classmethod
    def parse(cls, text):
        """
        :raise IllegalArgumentException: if ``text`` is not a container id.
        """
        match = _CONTAINER_RE.match(text) if isinstance(text, str) else None
        if match is None:
            raise IllegalArgumentException(f"Invalid ContainerId: {text}")
        epoch = int(match.group(1) or 0)
        app = ApplicationId(int(match.group(2)), int(match.group(3)))
        attempt = ApplicationAttemptId(app, int(match.group(4)))
        return cls(attempt, (epoch << _EPOCH_SHIFT) | int(match.group(5)))


class NodeId(NamedTuple):
    """
    A NodeManager's identity: the host and the port of its ContainerManager.
    """

    host: str
    port: int

    def __str__(self):
        return f"{self.host}:{self.port}"

    @classmethod
    def parse(cls, text):
        """
        :raise IllegalArgumentException: if ``text`` is not ``host:port``.
        """
        host, sep, port = text.rpartition(":") if isinstance(text, str) else ("", "", "")
        if not sep or not host or not port.isdigit():
            raise IllegalArgumentException(f"Invalid NodeId [{text}]. Expected host:port")
        return cls(host, int(port))
