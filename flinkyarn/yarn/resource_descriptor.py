"""
:class:`YarnLocalResourceDescriptor`: how Flink passes the files it staged on HDFS to its
containers in environment variables (``_FLINK_DIST_JAR``, ``_CLIENT_SHIP_FILES``), in Flink's
own text form: ``YarnLocalResourceDescriptor{key=…, path=…, size=…, modificationTime=…,
visibility=…, type=…}``, several joined with ``;``.
"""

import re

from attrs import frozen

from yarnemu.records.containers import URL, LocalResource
from yarnemu.records.states import LocalResourceType, LocalResourceVisibility

__all__ = ["YarnLocalResourceDescriptor", "parse_descriptors", "join_descriptors"]

_FORM = re.compile(
    r"YarnLocalResourceDescriptor\{key=(?P<key>[^,]*), path=(?P<path>[^,]*), size=(?P<size>-?\d+), "
    r"modificationTime=(?P<mtime>-?\d+), visibility=(?P<visibility>\w+), type=(?P<type>\w+)\}\Z"
)
_URI = re.compile(r"(?P<scheme>[a-z]+)://(?P<host>[^:/]*)(?::(?P<port>\d+))?(?P<file>/.*)\Z")


@frozen
class YarnLocalResourceDescriptor:
    """
    :ivar str key: the name it gets in the container's working directory (``lib/x.jar``).
    :ivar str path: its URI on HDFS (``hdfs://host:port/user/alice/.flink/…``).
    """

    key: str
    path: str
    size: int
    modification_time: int
    visibility: LocalResourceVisibility
    type: LocalResourceType = LocalResourceType.FILE

    def __str__(self):
        return (f"YarnLocalResourceDescriptor{{key={self.key}, path={self.path}, size={self.size}, "
                f"modificationTime={self.modification_time}, visibility={self.visibility.value}, "
                f"type={self.type.value}}}")

    @classmethod
    def parse(cls, text):
        """:raise ValueError: for text not in the descriptor form."""
        match = _FORM.match(text.strip())
        if match is None:
            raise ValueError(f"Error to parse YarnLocalResourceDescriptor from {text}")
        return cls(match.group("key"), match.group("path"), int(match.group("size")),
                   int(match.group("mtime")), LocalResourceVisibility(match.group("visibility")),
                   LocalResourceType(match.group("type")))

    def to_local_resource(self):
        """:return: the YARN :class:`LocalResource` a container registers for it."""
        match = _URI.match(self.path)
        if match is None:
            url = URL(scheme="hdfs", file=self.path)
        else:
            url = URL(scheme=match.group("scheme"), host=match.group("host"),
                      port=int(match.group("port") or -1), file=match.group("file"))
        return LocalResource(resource=url, size=self.size, timestamp=self.modification_time,
                             type=self.type, visibility=self.visibility)


def parse_descriptors(text):
    """:return: the descriptors of a ``;``-joined value (empty for an empty one)."""
    return [YarnLocalResourceDescriptor.parse(part) for part in (text or "").split(";") if part.strip()]


def join_descriptors(descriptors):
    return ";".join(str(descriptor) for descriptor in descriptors)
