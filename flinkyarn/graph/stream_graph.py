"""
The StreamGraph: one :class:`StreamNode` per operator of a program and one :class:`StreamEdge`
per connection, before operators are chained into tasks.

Edges get Flink's partitioners (``StreamGraph#addEdgeInternal``): when a program names none, an
edge is FORWARD if both ends have the same parallelism and REBALANCE otherwise; an explicit
FORWARD between different parallelisms is refused with Flink's message.
"""

from enum import StrEnum
from types import MappingProxyType

from attrs import field, frozen

from flinkyarn.graph.errors import IllegalArgumentException, UnsupportedOperationException
from flinkyarn.graph.job_settings import CheckpointSettings, JobType, SavepointRestoreSettings
from flinkyarn.graph.key_groups import MAX_PARALLELISM_DEFAULT

__all__ = [
    "Partitioner",
    "ChainingStrategy",
    "StreamNode",
    "StreamEdge",
    "StreamGraph",
    "DEFAULT_SLOT_SHARING_GROUP",
    "SOURCE_STREAM_TASK",
    "SOURCE_OPERATOR_STREAM_TASK",
    "ONE_INPUT_STREAM_TASK",
    "TWO_INPUT_STREAM_TASK",
]

#: The slot sharing group of every operator that names none and has no input naming one.
DEFAULT_SLOT_SHARING_GROUP = "default"

_TASKS = "org.apache.flink.streaming.runtime.tasks."
#: The task of a legacy ``SourceFunction`` source (``add_source``, ``from_collection``).
SOURCE_STREAM_TASK = _TASKS + "SourceStreamTask"
#: The task of a FLIP-27 source (``from_source``, ``from_sequence``).
SOURCE_OPERATOR_STREAM_TASK = _TASKS + "SourceOperatorStreamTask"
ONE_INPUT_STREAM_TASK = _TASKS + "OneInputStreamTask"
TWO_INPUT_STREAM_TASK = _TASKS + "TwoInputStreamTask"

_SOURCE_TASKS = (SOURCE_STREAM_TASK, SOURCE_OPERATOR_STREAM_TASK)


class Partitioner(StrEnum):
    """How records travel along an edge, named as Flink's partitioners print themselves."""

    FORWARD = "FORWARD"
    REBALANCE = "REBALANCE"
    HASH = "HASH"
    RESCALE = "RESCALE"
    SHUFFLE = "SHUFFLE"
    BROADCAST = "BROADCAST"
    GLOBAL = "GLOBAL"

    @property
    def is_pointwise(self):
        """``True`` for FORWARD and RESCALE, which connect subtasks POINTWISE."""
        return self in (Partitioner.FORWARD, Partitioner.RESCALE)

    @property
    def is_broadcast(self):
        return self is Partitioner.BROADCAST


class ChainingStrategy(StrEnum):
    """
    Whether an operator may be chained to its predecessor (``ChainingStrategy``): ALWAYS (most
    operators), NEVER (``disable_chaining``), HEAD (sources, ``start_new_chain``: may have
    successors chained but not be chained to a predecessor), HEAD_WITH_SOURCES (like HEAD, but
    chainable to a FLIP-27 source).
    """

    ALWAYS = "ALWAYS"
    NEVER = "NEVER"
    HEAD = "HEAD"
    HEAD_WITH_SOURCES = "HEAD_WITH_SOURCES"


def _positive_int(instance, attribute, value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise IllegalArgumentException(
            f"The {attribute.name} of an operator must be at least 1, got {value!r}."
        )


@frozen
class StreamNode:
    """
    One operator of a program.

    :ivar int id: the transformation id, unique in the program, in creation order.
    :ivar str operator_name: as Flink names it (``Map``, ``Source: Words``, ...).
    :ivar int parallelism:
    :ivar int max_parallelism: -1 when not set.
    :ivar str slot_sharing_group:
    :ivar ChainingStrategy chaining_strategy:
    :ivar str invokable_class_name: the task class running the operator as a chain head.
    :ivar str kind: what the operator does (``map``, ``window``, ``sink``, ...).
    :ivar description: a longer description (``Window(...)``), ``None`` to use the name.
    :ivar uid: the user-given ``uid``, which pins the operator's id.
    :ivar simulation: the simulated source or processing cost.
    :ivar window: the window of a window operator.
    """

    id: int
    operator_name: str
    parallelism: int = field(validator=_positive_int)
    max_parallelism: int = MAX_PARALLELISM_DEFAULT
    slot_sharing_group: str = DEFAULT_SLOT_SHARING_GROUP
    chaining_strategy: ChainingStrategy = ChainingStrategy.ALWAYS
    invokable_class_name: str = ONE_INPUT_STREAM_TASK
    kind: str = "operator"
    description: str | None = None
    uid: str | None = None
    simulation: object = None
    window: object = None

    def __str__(self):
        return f"{self.operator_name}-{self.id}"

    @property
    def operator_description(self):
        """The description, or the name when there is none."""
        return self.description if self.description is not None else self.operator_name

    @property
    def is_source(self):
        return self.invokable_class_name in _SOURCE_TASKS

    @property
    def is_source_operator(self):
        """``True`` for a FLIP-27 source (``SourceOperatorFactory``)."""
        return self.invokable_class_name == SOURCE_OPERATOR_STREAM_TASK


@frozen
class StreamEdge:
    """
    :ivar int source_id: the upstream node.
    :ivar int target_id: the downstream node.
    :ivar int type_number: 0 for a one-input operator, 1 or 2 for a two-input operator's inputs.
    :ivar Partitioner partitioner:
    :ivar int unique_id: tells apart several edges between the same nodes (``union``).
    """

    source_id: int
    target_id: int
    type_number: int
    partitioner: Partitioner
    unique_id: int = 0

    @property
    def edge_id(self):
        return f"{self.source_id}_{self.target_id}_{self.type_number}_{self.unique_id}"


class StreamGraph:
    """
    A program's operators and connections, plus the job-wide settings.  Built once by the
    program compiler; read-only afterwards by convention.

    :ivar str job_name:
    :ivar JobType job_type:
    :ivar bool chaining_enabled: ``pipeline.operator-chaining``.
    :ivar CheckpointSettings checkpointing:
    :ivar SavepointRestoreSettings savepoint_restore:
    :ivar job_configuration: the job's configuration, a read-only mapping.
    :ivar tuple user_jars:
    :ivar tuple classpaths:
    :ivar user_artifacts: name → path, read-only.
    """

    def __init__(
        self,
        job_name,
        *,
        job_type=JobType.STREAMING,
        chaining_enabled=True,
        checkpointing=None,
        savepoint_restore=None,
        job_configuration=None,
        user_jars=(),
        classpaths=(),
        user_artifacts=None,
    ):
        self.job_name = job_name
        self.job_type = JobType(job_type)
        self.chaining_enabled = chaining_enabled
        self.checkpointing = checkpointing if checkpointing is not None else CheckpointSettings()
        self.savepoint_restore = (
            savepoint_restore if savepoint_restore is not None else SavepointRestoreSettings()
        )
        self.job_configuration = MappingProxyType(dict(job_configuration or {}))
        self.user_jars = tuple(user_jars)
        self.classpaths = tuple(classpaths)
        self.user_artifacts = MappingProxyType(dict(user_artifacts or {}))
        self._nodes = {}
        self._in_edges = {}
        self._out_edges = {}

    def add_node(self, node):
        """
        :raise IllegalArgumentException: if a node with the same id exists.
        """
        if node.id in self._nodes:
            raise IllegalArgumentException(f"Duplicate stream node id {node.id}.")
        self._nodes[node.id] = node
        self._in_edges[node.id] = []
        self._out_edges[node.id] = []
        return node

    def add_edge(self, source_id, target_id, type_number=0, partitioner=None):
        """
        Connect two nodes.

        :param partitioner: a :class:`Partitioner`, or ``None`` for Flink's default: FORWARD
            when both parallelisms are equal, REBALANCE otherwise.
        :raise UnsupportedOperationException: for FORWARD between different parallelisms.
        :return: the new :class:`StreamEdge`.
        """
        upstream = self._nodes[source_id]
        downstream = self._nodes[target_id]
        if partitioner is None:
            partitioner = (
                Partitioner.FORWARD
                if upstream.parallelism == downstream.parallelism
                else Partitioner.REBALANCE
            )
        partitioner = Partitioner(partitioner)
        if partitioner is Partitioner.FORWARD and upstream.parallelism != downstream.parallelism:
            raise UnsupportedOperationException(
                "Forward partitioning does not allow change of parallelism. Upstream "
                f"operation: {upstream} parallelism: {upstream.parallelism}, downstream "
                f"operation: {downstream} parallelism: {downstream.parallelism} You must use "
                "another partitioning strategy, such as broadcast, rebalance, shuffle or global."
            )
        unique_id = sum(
            1
            for edge in self._out_edges[source_id]
            if edge.target_id == target_id and edge.type_number == type_number
        )
        edge = StreamEdge(source_id, target_id, type_number, partitioner, unique_id)
        self._out_edges[source_id].append(edge)
        self._in_edges[target_id].append(edge)
        return edge

    def node(self, node_id):
        """:raise KeyError: for an unknown id."""
        return self._nodes[node_id]

    def nodes(self):
        """:return: every node, in id order."""
        return tuple(self._nodes[node_id] for node_id in sorted(self._nodes))

    def in_edges(self, node_id):
        """:return: the node's input edges, in the order they were added."""
        return tuple(self._in_edges[node_id])

    def out_edges(self, node_id):
        """:return: the node's output edges, in the order they were added."""
        return tuple(self._out_edges[node_id])

    def edges(self):
        """:return: every edge, by source node id, then in the order added."""
        return tuple(edge for node_id in sorted(self._nodes) for edge in self._out_edges[node_id])

    def source_ids(self):
        """:return: the ids of the nodes without inputs, sorted."""
        return tuple(node_id for node_id in sorted(self._nodes) if not self._in_edges[node_id])

    def __len__(self):
        return len(self._nodes)
