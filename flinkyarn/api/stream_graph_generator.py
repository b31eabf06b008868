"""
Transformations → StreamGraph, as Flink's ``StreamGraphGenerator``: every operator becomes a
:class:`~flinkyarn.graph.stream_graph.StreamNode` with its transformation's id; partitionings
and unions become the partitioners of the edges they lead to (the one nearest the consumer
wins); sources and sinks get Flink's ``Source: `` and ``Sink: `` name prefixes.

Settings resolved here:

- parallelism: the operator's, else the environment's *when the graph is built*; sources that
  cannot run in parallel always get 1;
- max parallelism: the operator's, else the environment's, else -1 (computed later);
- slot sharing group: the operator's, else the one all its inputs share, else ``default``
  (``determineSlotSharingGroup``);
- chaining strategy: the operator's (``disable_chaining``, ``start_new_chain``), else HEAD for
  sources and ALWAYS for every other operator.
"""

from flinkyarn.api.transformations import TransformationKind
from flinkyarn.graph.errors import IllegalArgumentException
from flinkyarn.graph.job_settings import JobType, RuntimeExecutionMode
from flinkyarn.graph.key_groups import MAX_PARALLELISM_DEFAULT
from flinkyarn.graph.stream_graph import (
    DEFAULT_SLOT_SHARING_GROUP,
    ONE_INPUT_STREAM_TASK,
    TWO_INPUT_STREAM_TASK,
    ChainingStrategy,
    StreamGraph,
    StreamNode,
)

__all__ = ["generate_stream_graph", "job_type_for"]

_K = TransformationKind


def job_type_for(runtime_mode, transformations):
    """
    :return: the :class:`JobType` for ``execution.runtime-mode``: AUTOMATIC is BATCH when every
        source reachable from ``transformations`` is bounded.
    """
    mode = RuntimeExecutionMode(runtime_mode)
    if mode is RuntimeExecutionMode.BATCH:
        return JobType.BATCH
    if mode is RuntimeExecutionMode.STREAMING:
        return JobType.STREAMING
    sources = [t for t in _reachable(transformations) if t.kind is _K.SOURCE]
    if sources and all(getattr(t.simulation, "bounded", False) for t in sources):
        return JobType.BATCH
    return JobType.STREAMING


def _reachable(transformations):
    seen = {}
    stack = list(transformations)
    while stack:
        transformation = stack.pop()
        if transformation.id not in seen:
            seen[transformation.id] = transformation
            stack.extend(transformation.inputs)
    return [seen[key] for key in sorted(seen)]


def generate_stream_graph(
    transformations,
    *,
    job_name,
    job_type,
    default_parallelism,
    default_max_parallelism=MAX_PARALLELISM_DEFAULT,
    chaining_enabled=True,
    **settings,
):
    """
    :param transformations: the registered transformations, in registration order.
    :param settings: the remaining :class:`StreamGraph` keyword arguments (checkpointing, ...).
    :return: the :class:`StreamGraph`.
    :raise IllegalArgumentException: for a parallelism above its max parallelism.
    :raise UnsupportedOperationException: for FORWARD between different parallelisms.
    """
    graph = StreamGraph(job_name, job_type=job_type, chaining_enabled=chaining_enabled,
                        **settings)
    translator = _Translator(graph, default_parallelism, default_max_parallelism)
    for transformation in transformations:
        translator.transform(transformation)
    return graph


class _Translator:
    def __init__(self, graph, default_parallelism, default_max_parallelism):
        self.graph = graph
        self.default_parallelism = default_parallelism
        self.default_max_parallelism = default_max_parallelism
        # transformation id → [(stream node id, partitioner or None)] feeding its consumers
        self.endpoints = {}

    def transform(self, transformation):
        # Inputs first, without recursion: long pipelines stay clear of the recursion limit.
        stack = [transformation]
        while stack:
            current = stack[-1]
            if current.id in self.endpoints:
                stack.pop()
                continue
            pending = [item for item in current.inputs if item.id not in self.endpoints]
            if pending:
                stack.extend(reversed(pending))
                continue
            stack.pop()
            self.endpoints[current.id] = self._translate(current)
        return self.endpoints[transformation.id]

    def _translate(self, transformation):
        kind = transformation.kind
        if kind is _K.PARTITION:
            (upstream,) = transformation.inputs
            return [(node_id, transformation.partitioner)
                    for node_id, _ in self.endpoints[upstream.id]]
        if kind is _K.UNION:
            return [endpoint for upstream in transformation.inputs
                    for endpoint in self.endpoints[upstream.id]]
        node = self._node(transformation)
        self.graph.add_node(node)
        first_type_number = 1 if kind is _K.TWO_INPUT else 0
        for offset, upstream in enumerate(transformation.inputs):
            for node_id, partitioner in self.endpoints[upstream.id]:
                self.graph.add_edge(node_id, node.id, first_type_number + offset, partitioner)
        return [(node.id, None)]

    def _node(self, transformation):
        kind = transformation.kind
        if not transformation.parallel:
            parallelism = 1
        elif transformation.parallelism is not None:
            parallelism = transformation.parallelism
        else:
            parallelism = self.default_parallelism
        max_parallelism = transformation.max_parallelism
        if max_parallelism is None:
            max_parallelism = self.default_max_parallelism
        name = transformation.name
        if max_parallelism > 0 and parallelism > max_parallelism:
            raise IllegalArgumentException(
                f"The parallelism of operator {name} ({parallelism}) must not exceed its max "
                f"parallelism ({max_parallelism})."
            )
        if kind is _K.SOURCE:
            name = f"Source: {name}"
            invokable = transformation.invokable_class_name
            default_strategy = ChainingStrategy.HEAD
        else:
            if kind is _K.SINK:
                name = f"Sink: {name}"
            invokable = TWO_INPUT_STREAM_TASK if kind is _K.TWO_INPUT else ONE_INPUT_STREAM_TASK
            default_strategy = ChainingStrategy.ALWAYS
        return StreamNode(
            id=transformation.id,
            operator_name=name,
            parallelism=parallelism,
            max_parallelism=max_parallelism,
            slot_sharing_group=self._slot_sharing_group(transformation),
            chaining_strategy=transformation.chaining_strategy or default_strategy,
            invokable_class_name=invokable,
            kind=transformation.operator_kind,
            description=transformation.description,
            uid=transformation.uid,
            simulation=transformation.simulation,
            window=transformation.window,
        )

    def _slot_sharing_group(self, transformation):
        if transformation.slot_sharing_group is not None:
            return transformation.slot_sharing_group
        groups = {
            self.graph.node(node_id).slot_sharing_group
            for upstream in transformation.inputs
            for node_id, _ in self.endpoints[upstream.id]
        }
        if len(groups) == 1:
            (group,) = groups
            return group
        return DEFAULT_SLOT_SHARING_GROUP
