"""
The JobGraph: what a client submits and a JobMaster runs.  One :class:`JobVertex` per operator
chain (a task), connected by :class:`JobEdge`\\ s that consume the :class:`IntermediateDataSet`
their source vertex produces.

A JobGraph is an immutable value.  Constructing one checks that it is well formed (unique ids,
every edge between known vertices and data sets, vertices in topological order, parallelism
within max parallelism) and raises :class:`~flinkyarn.graph.errors.InvalidJobGraphException`
otherwise, so that a graph read from a file or an upload is as trustworthy as a generated one.
"""

from enum import StrEnum
from pathlib import Path

from attrs import evolve, field, frozen

from flinkyarn.graph.errors import InvalidJobGraphException
from flinkyarn.graph.job_settings import CheckpointSettings, JobType, SavepointRestoreSettings
from flinkyarn.graph.key_groups import UPPER_BOUND_MAX_PARALLELISM, effective_max_parallelism
from flinkyarn.graph.resource_spec import ResourceSpec
from flinkyarn.ids import IntermediateDataSetID, JobID, JobVertexID, OperatorID
from yarnemu.records.immutable import frozen_mapping, frozen_tuple

__all__ = [
    "DistributionPattern",
    "ResultPartitionType",
    "ChainedOperator",
    "IntermediateDataSet",
    "JobEdge",
    "JobVertex",
    "SlotSharingGroup",
    "JobGraph",
    "sort_topologically",
]


class DistributionPattern(StrEnum):
    """How producer subtasks connect to consumer subtasks."""

    ALL_TO_ALL = "ALL_TO_ALL"
    POINTWISE = "POINTWISE"


class ResultPartitionType(StrEnum):
    """How a data set is exchanged: pipelined (streaming) or blocking (batch)."""

    PIPELINED_BOUNDED = "PIPELINED_BOUNDED"
    BLOCKING = "BLOCKING"

    @property
    def is_pipelined(self):
        """``True`` when producer and consumer run at the same time (one pipelined region)."""
        return self is ResultPartitionType.PIPELINED_BOUNDED


@frozen
class ChainedOperator:
    """
    One operator inside a JobVertex.

    :ivar OperatorID operator_id: from the operator's deterministic hash.
    :ivar str name: the operator's name (``Map``, ``Source: Words``).
    :ivar str kind: what it does (``source``, ``map``, ``window``, ``sink``, ...).
    :ivar description: the longer description, or ``None``.
    :ivar uid: the user-given ``uid``, or ``None``.
    :ivar simulation: a :mod:`~flinkyarn.graph.simulation` source or processing cost, or
        ``None``.
    :ivar window: a :class:`~flinkyarn.graph.simulation.WindowSpec`, or ``None``.
    """

    operator_id: OperatorID
    name: str
    kind: str
    description: str | None = None
    uid: str | None = None
    simulation: object = None
    window: object = None


@frozen
class IntermediateDataSet:
    """
    :ivar IntermediateDataSetID id:
    :ivar JobVertexID producer:
    :ivar ResultPartitionType result_partition_type:
    """

    id: IntermediateDataSetID
    producer: JobVertexID
    result_partition_type: ResultPartitionType = field(converter=ResultPartitionType)


@frozen
class JobEdge:
    """
    :ivar IntermediateDataSetID source: the data set consumed.
    :ivar JobVertexID target: the consuming vertex.
    :ivar DistributionPattern distribution_pattern:
    :ivar str ship_strategy_name: the partitioner's name (``HASH``, ``FORWARD``, ...), as the
        web UI shows it.
    """

    source: IntermediateDataSetID
    target: JobVertexID
    distribution_pattern: DistributionPattern = field(converter=DistributionPattern)
    ship_strategy_name: str


@frozen
class JobVertex:
    """
    One task of a job: a chain of operators run by ``parallelism`` subtasks.

    :ivar JobVertexID id:
    :ivar str name: the chained name (``Source: Words -> Map``).
    :ivar int parallelism:
    :ivar int max_parallelism: -1 when not set (the ExecutionGraph computes the default).
    :ivar str slot_sharing_group: the name of its slot sharing group.
    :ivar str invokable_class_name: ``...SourceStreamTask``, ``...OneInputStreamTask``, ...
    :ivar tuple operators: the :class:`ChainedOperator`\\ s, head first.
    :ivar tuple inputs: the :class:`JobEdge`\\ s it consumes, in input order.
    :ivar tuple produced_data_sets: the :class:`IntermediateDataSet`\\ s it produces.
    :ivar str description: Flink's operator pretty name (the chain as a tree).
    :ivar resources: the :class:`~flinkyarn.graph.resource_spec.ResourceSpec` each subtask
        needs, or ``None`` for the cluster's default slot (Flink's ``minResources``).
    """

    id: JobVertexID
    name: str
    parallelism: int
    max_parallelism: int
    slot_sharing_group: str
    invokable_class_name: str
    operators: tuple = field(converter=frozen_tuple)
    inputs: tuple = field(default=(), converter=frozen_tuple)
    produced_data_sets: tuple = field(default=(), converter=frozen_tuple)
    description: str = ""
    resources: ResourceSpec | None = None

    @property
    def is_input_vertex(self):
        """``True`` for a vertex without inputs (a source task)."""
        return not self.inputs

    @property
    def effective_max_parallelism(self):
        """The max parallelism, or Flink's default for the parallelism when not set."""
        return effective_max_parallelism(self.max_parallelism, self.parallelism)


@frozen
class SlotSharingGroup:
    """
    Vertices whose subtasks may share slots: a slot can hold one subtask of each.

    :ivar str name: ``default`` unless a program names one.
    :ivar tuple vertex_ids: its vertices, in topological order.
    :ivar int max_parallelism: the largest parallelism among them: the slots the group needs.
    """

    name: str
    vertex_ids: tuple
    max_parallelism: int


@frozen
class JobGraph:
    """
    :ivar JobID job_id:
    :ivar str name:
    :ivar JobType job_type:
    :ivar tuple vertices: the :class:`JobVertex`\\ es, in topological order from the sources.
    :ivar CheckpointSettings checkpointing:
    :ivar SavepointRestoreSettings savepoint_restore:
    :ivar tuple user_jars: the program's jars (``pipeline.jars``).
    :ivar tuple classpaths: extra classpath URLs (``pipeline.classpaths``).
    :ivar user_artifacts: name → path of files shipped with the job (distributed cache).
    :ivar job_configuration: the job's configuration (read-only str → str).
    :raise InvalidJobGraphException: if the graph is not well formed.
    """

    job_id: JobID
    name: str
    job_type: JobType = field(converter=JobType)
    vertices: tuple = field(converter=frozen_tuple)
    checkpointing: CheckpointSettings = field(factory=CheckpointSettings)
    savepoint_restore: SavepointRestoreSettings = field(factory=SavepointRestoreSettings)
    user_jars: tuple = field(default=(), converter=frozen_tuple)
    classpaths: tuple = field(default=(), converter=frozen_tuple)
    user_artifacts: object = field(factory=dict, converter=frozen_mapping, eq=False)
    job_configuration: object = field(factory=dict, converter=frozen_mapping, eq=False)
    _vertex_index: dict = field(init=False, eq=False, repr=False)
    _data_set_index: dict = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self):
        vertex_index, data_set_index = _validate(self)
        object.__setattr__(self, "_vertex_index", vertex_index)
        object.__setattr__(self, "_data_set_index", data_set_index)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return (
            _value_fields(self) == _value_fields(other)
            and dict(self.user_artifacts) == dict(other.user_artifacts)
            and dict(self.job_configuration) == dict(other.job_configuration)
        )

    def __hash__(self):
        return hash(_value_fields(self))

    def vertex(self, vertex_id):
        """:raise KeyError: for a vertex not in the graph."""
        return self._vertex_index[vertex_id]

    def data_set(self, data_set_id):
        """:raise KeyError: for a data set not in the graph."""
        return self._data_set_index[data_set_id]

    def producer_of(self, edge):
        """:return: the :class:`JobVertex` producing the data set ``edge`` consumes."""
        return self._vertex_index[self._data_set_index[edge.source].producer]

    def edges(self):
        """:return: every :class:`JobEdge`, by target vertex in topological order."""
        return tuple(edge for vertex in self.vertices for edge in vertex.inputs)

    def consumers_of(self, data_set_id):
        """:return: the :class:`JobEdge`\\ s that consume a data set."""
        return tuple(edge for edge in self.edges() if edge.source == data_set_id)

    def slot_sharing_groups(self):
        """:return: the :class:`SlotSharingGroup`\\ s, in order of their first vertex."""
        members = {}
        for vertex in self.vertices:
            members.setdefault(vertex.slot_sharing_group, []).append(vertex)
        return tuple(
            SlotSharingGroup(
                name,
                tuple(vertex.id for vertex in group),
                max(vertex.parallelism for vertex in group),
            )
            for name, group in members.items()
        )

    def required_slots(self):
        """
        :return: the task slots the job needs to run all its subtasks at once: the sum over
            slot sharing groups of each group's highest parallelism ("A Flink cluster needs
            exactly as many task slots as the highest parallelism used in the job" when there
            is one group).
        """
        return sum(group.max_parallelism for group in self.slot_sharing_groups())

    def slot_resource_spec(self):
        """
        :return: the :class:`~flinkyarn.graph.resource_spec.ResourceSpec` of the job's slots
            when it has one slot sharing group whose vertices all declare resources (their sum,
            as a shared slot holds a subtask of each), else ``None``: its slots are the
            cluster's default ones.
        """
        groups = self.slot_sharing_groups()
        if len(groups) != 1:
            return None
        specs = [self._vertex_index[vertex_id].resources for vertex_id in groups[0].vertex_ids]
        if any(spec is None for spec in specs):
            return None
        total = specs[0]
        for spec in specs[1:]:
            total = total.merge(spec)
        return total

    def number_of_subtasks(self):
        """:return: the sum of the vertices' parallelisms."""
        return sum(vertex.parallelism for vertex in self.vertices)

    def with_job_id(self, job_id):
        """:return: this graph with another job id (a fixed id from the configuration)."""
        return evolve(self, job_id=job_id)

    def to_bytes(self):
        """:return: the graph as ``job.graph`` bytes (JSON, stable key order)."""
        from flinkyarn.graph.job_graph_codec import encode_job_graph

        return encode_job_graph(self)

    @classmethod
    def from_bytes(cls, data):
        """
        :raise InvalidJobGraphException: if ``data`` is not a valid ``job.graph``.
        """
        from flinkyarn.graph.job_graph_codec import decode_job_graph

        return decode_job_graph(data)

    def write(self, path):
        """Write the graph to ``path`` (the staged ``job.graph`` file)."""
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def read(cls, path):
        """
        :raise InvalidJobGraphException: if the file is missing or not a valid ``job.graph``.
        """
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise InvalidJobGraphException(
                f"Could not read the JobGraph file {path}: {error.strerror or error}"
            ) from error
        return cls.from_bytes(data)


def _value_fields(graph):
    return (
        graph.job_id,
        graph.name,
        graph.job_type,
        graph.vertices,
        graph.checkpointing,
        graph.savepoint_restore,
        graph.user_jars,
        graph.classpaths,
        tuple(sorted(graph.user_artifacts.items())),
        tuple(sorted(graph.job_configuration.items())),
    )


def _fail(message):
    raise InvalidJobGraphException(f"Invalid JobGraph: {message}")


def _validate(graph):
    if not isinstance(graph.job_id, JobID):
        _fail(f"the job id must be a JobID, got {graph.job_id!r}")
    if not graph.vertices:
        _fail("it has no vertices")
    vertex_index = {}
    data_set_index = {}
    for vertex in graph.vertices:
        if not isinstance(vertex, JobVertex):
            _fail(f"not a JobVertex: {vertex!r}")
        if vertex.id in vertex_index:
            _fail(f"duplicate vertex id {vertex.id}")
        label = f"vertex {vertex.id} ({vertex.name})"
        if isinstance(vertex.parallelism, bool) or not isinstance(vertex.parallelism, int) \
                or vertex.parallelism < 1:
            _fail(f"{label} has parallelism {vertex.parallelism!r}; it must be at least 1")
        if isinstance(vertex.max_parallelism, bool) or not isinstance(vertex.max_parallelism, int) \
                or not (vertex.max_parallelism == -1
                        or 1 <= vertex.max_parallelism <= UPPER_BOUND_MAX_PARALLELISM):
            _fail(f"{label} has max parallelism {vertex.max_parallelism!r}; it must be -1 "
                  f"(default) or between 1 and {UPPER_BOUND_MAX_PARALLELISM}")
        if vertex.parallelism > vertex.effective_max_parallelism:
            _fail(f"{label} has parallelism {vertex.parallelism} above its max parallelism "
                  f"{vertex.max_parallelism}")
        if not vertex.operators:
            _fail(f"{label} has no operators")
        if vertex.resources is not None and not isinstance(vertex.resources, ResourceSpec):
            _fail(f"{label} has resources {vertex.resources!r}; expected a ResourceSpec")
        for edge in vertex.inputs:
            if edge.target != vertex.id:
                _fail(f"an input edge of {label} targets {edge.target}")
            data_set = data_set_index.get(edge.source)
            if data_set is None:
                _fail(f"{label} consumes data set {edge.source}, which no earlier vertex "
                      "produces (unknown data set, or vertices not in topological order)")
        for data_set in vertex.produced_data_sets:
            if data_set.producer != vertex.id:
                _fail(f"data set {data_set.id} of {label} names producer {data_set.producer}")
            if data_set.id in data_set_index:
                _fail(f"duplicate data set id {data_set.id}")
            data_set_index[data_set.id] = data_set
        vertex_index[vertex.id] = vertex
    return vertex_index, data_set_index


def sort_topologically(vertices):
    """
    Order vertices from the sources as Flink's ``getVerticesSortedTopologicallyFromSources``:
    first the input vertices in the given order, then, from each placed vertex in turn, depth
    first every consumer whose producers are all placed.

    :param vertices: :class:`JobVertex`\\ es in any order (their edges may refer to each other).
    :raise InvalidJobGraphException: ``The job graph is cyclic.`` if there is no such order.
    """
    vertices = list(vertices)
    producer = {}
    for vertex in vertices:
        for data_set in vertex.produced_data_sets:
            producer[data_set.id] = vertex.id
    consumers = {}
    for vertex in vertices:
        for edge in vertex.inputs:
            consumers.setdefault(edge.source, []).append(vertex)
    remaining = {vertex.id for vertex in vertices if vertex.inputs}
    ordered = [vertex for vertex in vertices if not vertex.inputs]

    def place_consumers(start):
        for data_set in start.produced_data_sets:
            for consumer in consumers.get(data_set.id, ()):
                if consumer.id in remaining and not any(
                    producer[edge.source] in remaining for edge in consumer.inputs
                ):
                    ordered.append(consumer)
                    remaining.discard(consumer.id)
                    place_consumers(consumer)

    position = 0
    while remaining:
        if position >= len(ordered):
            raise InvalidJobGraphException("The job graph is cyclic.")
        place_consumers(ordered[position])
        position += 1
    return tuple(ordered)
