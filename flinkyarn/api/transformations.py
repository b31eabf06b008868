"""
Transformations: what the DataStream API records while a program builds its pipeline, before
the pipeline is compiled into a StreamGraph.  Each is a mutable record owned by its environment
(the API's setters change it until the program executes), numbered in creation order; that
number becomes the StreamNode's id.
"""

from enum import StrEnum

from attrs import define

from flinkyarn.graph.stream_graph import ChainingStrategy, Partitioner

__all__ = ["TransformationKind", "Transformation"]


class TransformationKind(StrEnum):
    SOURCE = "SOURCE"
    ONE_INPUT = "ONE_INPUT"
    TWO_INPUT = "TWO_INPUT"
    SINK = "SINK"
    #: a change of partitioning (``key_by``, ``rebalance``, ...): no operator of its own.
    PARTITION = "PARTITION"
    #: ``union``: no operator of its own.
    UNION = "UNION"


@define(eq=False)
class Transformation:
    """
    :ivar int id: unique in its environment, from 1, in creation order.
    :ivar TransformationKind kind:
    :ivar str name: the user-visible name without Flink's ``Source: ``/``Sink: `` prefix.
    :ivar tuple inputs: the input transformations (two for TWO_INPUT, any number for UNION).
    :ivar str operator_kind: what the operator does (``map``, ``window``, ...).
    :ivar description: a longer description, or ``None``.
    :ivar parallelism: set by the program, or ``None`` for the environment's.
    :ivar max_parallelism: set by the program, or ``None`` for the environment's.
    :ivar uid: the program's ``uid``.
    :ivar slot_sharing_group: set by the program, or ``None`` to inherit from the inputs.
    :ivar chaining_strategy: set by the program, or ``None`` for the operator's default.
    :ivar partitioner: the partitioner of a PARTITION transformation.
    :ivar simulation: the simulated source or processing cost.
    :ivar window: the window of a window operator.
    :ivar function: the user function (kept for inspection, never called).
    :ivar bool parallel: ``False`` for a source that can only run with parallelism 1.
    :ivar invokable_class_name: the task class of a source (SourceStreamTask or
        SourceOperatorStreamTask); ``None`` for other kinds.
    """

    id: int
    kind: TransformationKind
    name: str
    inputs: tuple = ()
    operator_kind: str = "operator"
    description: str | None = None
    parallelism: int | None = None
    max_parallelism: int | None = None
    uid: str | None = None
    slot_sharing_group: str | None = None
    chaining_strategy: ChainingStrategy | None = None
    partitioner: Partitioner | None = None
    simulation: object = None
    window: object = None
    function: object = None
    parallel: bool = True
    invokable_class_name: str | None = None
