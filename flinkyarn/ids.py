"""
Flink's identifiers as small immutable values with Flink's string forms, and
:class:`IdGenerator`, which makes the random ones from a seeded random source.

- :class:`JobID`, :class:`JobVertexID`, :class:`IntermediateDataSetID`, :class:`OperatorID`,
  :class:`AllocationID` and :class:`ExecutionGraphID` are 16-byte ``AbstractID`` values, written
  as 32 lowercase hexadecimal digits (``fd72014d4c864993a2e5a9287b4a9c5d``).
- :class:`ExecutionVertexID` is ``<jobVertexId>_<subtaskIndex>``.
- :class:`ExecutionAttemptID` is ``<executionGraphId>_<jobVertexId>_<subtaskIndex>_<attempt>``,
  its form since Flink 1.16 (FLINK-17295); before, it was a random 32-digit ``AbstractID``.
- :class:`IntermediateResultPartitionID` is ``<intermediateDataSetId>#<partitionNumber>``.
- :class:`ResourceID` is any non-empty string without whitespace; on YARN a TaskExecutor's is its
  container id.

Every ``parse`` refuses malformed text with a :class:`ValueError` that quotes it.  Ids of one
kind order by their string form, so sorted output is stable.
"""

import random
import re

from attrs import field, frozen

__all__ = [
    "JobID",
    "JobVertexID",
    "IntermediateDataSetID",
    "OperatorID",
    "AllocationID",
    "ExecutionGraphID",
    "ExecutionVertexID",
    "ExecutionAttemptID",
    "IntermediateResultPartitionID",
    "ResourceID",
    "IdGenerator",
    "ZERO_JOB_ID",
]

_HEX_RE = re.compile(r"[0-9a-fA-F]{32}\Z")
_ID_BYTES = 16
_EXAMPLE = "fd72014d4c864993a2e5a9287b4a9c5d"


def _check_hex(instance, attribute, value):
    if not isinstance(value, str) or _HEX_RE.match(value) is None or value != value.lower():
        raise ValueError(
            f"{type(instance).__name__} needs 32 lowercase hexadecimal digits, got {value!r}"
        )


@frozen(order=True)
class _AbstractID:
    """
    A 16-byte id written as 32 lowercase hexadecimal digits (Flink's ``AbstractID``).

    :ivar str hex: the 32 digits.
    """

    hex: str = field(validator=_check_hex)

    def __str__(self):
        return self.hex

    def to_bytes(self):
        """:return: the 16 bytes of the id."""
        return bytes.fromhex(self.hex)

    @classmethod
    def from_bytes(cls, data):
        """
        :param bytes data: exactly 16 bytes.
        :raise ValueError: for any other length.
        """
        if len(data) != _ID_BYTES:
            raise ValueError(f"{cls.__name__} needs {_ID_BYTES} bytes, got {len(data)}")
        return cls(bytes(data).hex())

    @classmethod
    def parse(cls, text):
        """
        Parse the 32-digit form; upper-case digits are accepted, as Flink accepts them.

        :raise ValueError: naming the text and the expected format.
        """
        if not isinstance(text, str) or _HEX_RE.match(text) is None:
            raise ValueError(
                f'Cannot parse {cls.__name__} from "{text}". The expected format is '
                f"[0-9a-fA-F]{{32}}, e.g. {_EXAMPLE}."
            )
        return cls(text.lower())


@frozen(order=True)
class JobID(_AbstractID):
    """The id of a job (Flink's ``JobID``)."""


@frozen(order=True)
class JobVertexID(_AbstractID):
    """The id of a JobGraph vertex; made from the stream graph's deterministic hashes."""


@frozen(order=True)
class IntermediateDataSetID(_AbstractID):
    """The id of the data set one JobVertex produces for one consumer edge."""


@frozen(order=True)
class OperatorID(_AbstractID):
    """The id of one operator in a chain; the head operator's equals its JobVertexID."""


@frozen(order=True)
class AllocationID(_AbstractID):
    """The id of one slot allocation."""


@frozen(order=True)
class ExecutionGraphID(_AbstractID):
    """The id of one ExecutionGraph (a new one for each JobMaster run of a job)."""


#: The fixed job id of application mode with HA (``ApplicationDispatcherBootstrap``).
ZERO_JOB_ID = JobID("0" * 32)


@frozen(order=True)
class ExecutionVertexID:
    """
    One subtask of a JobVertex.

    :ivar JobVertexID job_vertex_id:
    :ivar int subtask_index: from 0.
    """

    job_vertex_id: JobVertexID
    subtask_index: int

    def __str__(self):
        return f"{self.job_vertex_id}_{self.subtask_index}"

    @classmethod
    def parse(cls, text):
        """:raise ValueError: if ``text`` is not ``<32 hex digits>_<index>``."""
        match = re.match(r"([0-9a-fA-F]{32})_(\d+)\Z", text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(
                f'Cannot parse ExecutionVertexID from "{text}". The expected format is '
                f"<jobVertexId>_<subtaskIndex>, e.g. {_EXAMPLE}_0."
            )
        return cls(JobVertexID(match.group(1).lower()), int(match.group(2)))


@frozen(order=True)
class ExecutionAttemptID:
    """
    One attempt to run one subtask (the Flink 1.16+ form).

    :ivar ExecutionGraphID execution_graph_id:
    :ivar ExecutionVertexID execution_vertex_id:
    :ivar int attempt_number: from 0.
    """

    execution_graph_id: ExecutionGraphID
    execution_vertex_id: ExecutionVertexID
    attempt_number: int

    @property
    def job_vertex_id(self):
        return self.execution_vertex_id.job_vertex_id

    @property
    def subtask_index(self):
        return self.execution_vertex_id.subtask_index

    def __str__(self):
        return f"{self.execution_graph_id}_{self.execution_vertex_id}_{self.attempt_number}"

    @classmethod
    def parse(cls, text):
        """
        :raise ValueError: if ``text`` is not
            ``<executionGraphId>_<jobVertexId>_<subtaskIndex>_<attemptNumber>``.
        """
        pattern = r"([0-9a-fA-F]{32})_([0-9a-fA-F]{32})_(\d+)_(\d+)\Z"
        match = re.match(pattern, text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(
                f'Cannot parse ExecutionAttemptID from "{text}". The expected format is '
                "<executionGraphId>_<jobVertexId>_<subtaskIndex>_<attemptNumber>."
            )
        return cls(
            ExecutionGraphID(match.group(1).lower()),
            ExecutionVertexID(JobVertexID(match.group(2).lower()), int(match.group(3))),
            int(match.group(4)),
        )


@frozen(order=True)
class IntermediateResultPartitionID:
    """
    The partition one producer subtask writes for one data set.

    :ivar IntermediateDataSetID data_set_id:
    :ivar int partition_number: the producer's subtask index.
    """

    data_set_id: IntermediateDataSetID
    partition_number: int

    def __str__(self):
        return f"{self.data_set_id}#{self.partition_number}"

    @classmethod
    def parse(cls, text):
        """:raise ValueError: if ``text`` is not ``<32 hex digits>#<number>``."""
        match = re.match(r"([0-9a-fA-F]{32})#(\d+)\Z", text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(
                f'Cannot parse IntermediateResultPartitionID from "{text}". The expected '
                f"format is <intermediateDataSetId>#<partitionNumber>, e.g. {_EXAMPLE}#0."
            )
        return cls(IntermediateDataSetID(match.group(1).lower()), int(match.group(2)))


def _check_resource_id(instance, attribute, value):
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        raise ValueError(f"ResourceID needs a non-empty string without whitespace, got {value!r}")


@frozen(order=True)
class ResourceID:
    """
    The id of a TaskExecutor or JobManager process: a string (on YARN, a TaskExecutor's is its
    container id; otherwise a random 32-digit id).

    :ivar str value:
    """

    value: str = field(validator=_check_resource_id)

    def __str__(self):
        return self.value

    @classmethod
    def parse(cls, text):
        """:raise ValueError: if ``text`` is empty or contains whitespace."""
        if not isinstance(text, str) or not text or any(c.isspace() for c in text):
            raise ValueError(f'Cannot parse ResourceID from "{text}": it must be a non-empty '
                             "string without whitespace.")
        return cls(text)


class IdGenerator(random.Random):
    """
    A seeded random source that makes Flink's random ids, so that the same seed gives the same
    ids in the same order.  It never reads ``os.urandom``: construct it with a seed.
    """

    def _abstract_id(self, cls):
        return cls.from_bytes(self.getrandbits(128).to_bytes(_ID_BYTES, "big"))

    def job_id(self):
        """:return: a new random :class:`JobID`."""
        return self._abstract_id(JobID)

    def allocation_id(self):
        """:return: a new random :class:`AllocationID`."""
        return self._abstract_id(AllocationID)

    def execution_graph_id(self):
        """:return: a new random :class:`ExecutionGraphID`."""
        return self._abstract_id(ExecutionGraphID)

    def resource_id(self):
        """:return: a new :class:`ResourceID` with 32 random hexadecimal digits
        (``ResourceID.generate()``)."""
        return ResourceID(self._abstract_id(_AbstractID).hex)
