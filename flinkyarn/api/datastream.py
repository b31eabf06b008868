"""
A small DataStream API in the shape of Flink's (and PyFlink's snake_case spelling).

Programs pass user functions as they would to Flink, but the functions are never called: the
emulator simulates the work.  Each operator can carry a
:class:`~flinkyarn.graph.simulation.ProcessingCost` (``cost=``): what one subtask processes per
second and how many records it emits per record it receives.

Operator names are Flink's defaults: ``Map``, ``Flat Map``, ``Filter``, ``Process``,
``Keyed Aggregation`` (``sum``/``min``/``max``), ``Keyed Reduce``, ``KeyedProcess``,
``Co-Map``, ``Co-Flat Map``, ``Co-Process``, window operators after their assigner
(``TumblingEventTimeWindows``), ``Sink: Print to Std. Out`` for :meth:`DataStream.print` and
``Sink: Unnamed`` for unnamed sinks.
"""

from flinkyarn.api.transformations import TransformationKind
from flinkyarn.api.windows import GlobalWindows
from flinkyarn.graph.errors import IllegalArgumentException
from flinkyarn.graph.key_groups import UPPER_BOUND_MAX_PARALLELISM
from flinkyarn.graph.simulation import ProcessingCost
from flinkyarn.graph.stream_graph import ChainingStrategy, Partitioner

__all__ = [
    "DataStream",
    "SingleOutputStreamOperator",
    "DataStreamSource",
    "KeyedStream",
    "WindowedStream",
    "ConnectedStreams",
    "DataStreamSink",
]

_K = TransformationKind


def _check_cost(cost):
    if cost is not None and not isinstance(cost, ProcessingCost):
        raise IllegalArgumentException(f"cost must be a ProcessingCost, got {cost!r}")
    return cost


class _Configurable:
    """The per-operator settings shared by operators and sinks; every setter returns ``self``."""

    def __init__(self, environment, transformation):
        self._environment = environment
        self._transformation = transformation

    def set_parallelism(self, parallelism):
        """:raise IllegalArgumentException: below 1, or other than 1 for a non-parallel source."""
        if isinstance(parallelism, bool) or not isinstance(parallelism, int) or parallelism < 1:
            raise IllegalArgumentException("The parallelism of an operator must be at least 1.")
        if not self._transformation.parallel and parallelism != 1:
            raise IllegalArgumentException("The parallelism of non parallel operator must be 1.")
        self._transformation.parallelism = parallelism
        return self

    def set_max_parallelism(self, max_parallelism):
        """:raise IllegalArgumentException: outside [1, 32768]."""
        if isinstance(max_parallelism, bool) or not isinstance(max_parallelism, int) \
                or max_parallelism < 1:
            raise IllegalArgumentException("The maximum parallelism must be at least 1.")
        if max_parallelism > UPPER_BOUND_MAX_PARALLELISM:
            raise IllegalArgumentException(
                "The maximum parallelism must be smaller than or equal to "
                f"{UPPER_BOUND_MAX_PARALLELISM}."
            )
        self._transformation.max_parallelism = max_parallelism
        return self

    def name(self, name):
        """Name the operator (sources and sinks keep Flink's ``Source: ``/``Sink: `` prefix)."""
        self._transformation.name = str(name)
        return self

    def set_description(self, description):
        self._transformation.description = str(description)
        return self

    def uid(self, uid):
        """Pin the operator's id (and so its JobVertexID when it heads a chain) to ``uid``."""
        self._transformation.uid = str(uid)
        return self

    def slot_sharing_group(self, name):
        """Put the operator (and, unless they say otherwise, its successors) in a group."""
        self._transformation.slot_sharing_group = str(name)
        return self

    def disable_chaining(self):
        """Chain the operator to neither its predecessor nor its successors (NEVER)."""
        self._transformation.chaining_strategy = ChainingStrategy.NEVER
        return self

    def start_new_chain(self):
        """Start a chain here: successors may chain, the predecessor may not (HEAD)."""
        self._transformation.chaining_strategy = ChainingStrategy.HEAD
        return self

    def set_cost(self, cost):
        """Set the simulated :class:`~flinkyarn.graph.simulation.ProcessingCost`."""
        self._transformation.simulation = _check_cost(cost)
        return self

    def get_name(self):
        return self._transformation.name

    def get_parallelism(self):
        """:return: the operator's parallelism, or the environment's when it has none."""
        return _parallelism_of(self._environment, self._transformation)


def _parallelism_of(environment, transformation):
    while transformation.kind in (_K.PARTITION, _K.UNION):
        transformation = transformation.inputs[0]
    if not transformation.parallel:
        return 1
    if transformation.parallelism is not None:
        return transformation.parallelism
    return environment.get_parallelism()


class DataStream:
    """A stream of records flowing out of one or more operators."""

    def __init__(self, environment, transformation):
        self._environment = environment
        self._transformation = transformation

    def get_execution_environment(self):
        return self._environment

    def get_parallelism(self):
        """:return: the parallelism of the operator(s) producing this stream."""
        return _parallelism_of(self._environment, self._transformation)

    # -- operators --------------------------------------------------------------------------

    def _one_input(self, name, operator_kind, function, cost, *, description=None, window=None,
                   stream_class=None):
        transformation = self._environment._new_transformation(
            _K.ONE_INPUT,
            name,
            inputs=(self._transformation,),
            operator_kind=operator_kind,
            function=function,
            simulation=_check_cost(cost),
            description=description,
            window=window,
        )
        self._environment._register(transformation)
        return (stream_class or SingleOutputStreamOperator)(self._environment, transformation)

    def map(self, func=None, *, cost=None):
        """A one-to-one transformation (``Map``)."""
        return self._one_input("Map", "map", func, cost)

    def flat_map(self, func=None, *, cost=None):
        """Zero or more records per record (``Flat Map``); say how many in ``cost``."""
        return self._one_input("Flat Map", "flat_map", func, cost)

    def filter(self, func=None, *, cost=None):
        """Keep some records (``Filter``); say which share in ``cost.output_ratio``."""
        return self._one_input("Filter", "filter", func, cost)

    def process(self, func=None, *, cost=None):
        """A process function (``Process``)."""
        return self._one_input("Process", "process", func, cost)

    # -- partitioning -----------------------------------------------------------------------

    def _partition(self, partitioner, stream_class=None):
        transformation = self._environment._new_transformation(
            _K.PARTITION, "Partition", inputs=(self._transformation,), partitioner=partitioner
        )
        return (stream_class or DataStream)(self._environment, transformation)

    def key_by(self, key_selector=None):
        """Partition by key (HASH): records with one key meet in one subtask."""
        stream = self._partition(Partitioner.HASH, KeyedStream)
        stream._transformation.function = key_selector
        return stream

    def rebalance(self):
        """Round-robin to every downstream subtask (REBALANCE)."""
        return self._partition(Partitioner.REBALANCE)

    def rescale(self):
        """Round-robin to a subset of downstream subtasks (RESCALE, pointwise)."""
        return self._partition(Partitioner.RESCALE)

    def forward(self):
        """To the downstream subtask of the same index (FORWARD); parallelisms must match."""
        return self._partition(Partitioner.FORWARD)

    def shuffle(self):
        """To random downstream subtasks (SHUFFLE)."""
        return self._partition(Partitioner.SHUFFLE)

    def broadcast(self):
        """To every downstream subtask (BROADCAST)."""
        return self._partition(Partitioner.BROADCAST)

    def global_(self):
        """To the first downstream subtask only (GLOBAL)."""
        return self._partition(Partitioner.GLOBAL)

    def union(self, *streams):
        """:return: one stream of this stream's and the given streams' records."""
        for stream in streams:
            if stream._environment is not self._environment:
                raise IllegalArgumentException(
                    "Cannot union streams of different execution environments."
                )
        transformation = self._environment._new_transformation(
            _K.UNION,
            "Union",
            inputs=(self._transformation,) + tuple(s._transformation for s in streams),
        )
        return DataStream(self._environment, transformation)

    def connect(self, stream):
        """:return: :class:`ConnectedStreams` for a two-input operator."""
        return ConnectedStreams(self, stream)

    # -- sinks ------------------------------------------------------------------------------

    def _sink(self, name, sink, cost):
        transformation = self._environment._new_transformation(
            _K.SINK, name, inputs=(self._transformation,), operator_kind="sink", function=sink,
            simulation=_check_cost(cost),
        )
        self._environment._register(transformation)
        return DataStreamSink(self._environment, transformation)

    def sink_to(self, sink=None, *, cost=None):
        """Write to a sink (``Sink: Unnamed`` until named)."""
        return self._sink("Unnamed", sink, cost)

    def add_sink(self, sink_func=None, *, cost=None):
        """Write to a sink function (``Sink: Unnamed`` until named)."""
        return self._sink("Unnamed", sink_func, cost)

    def print(self, sink_identifier=None, *, cost=None):
        """Print to standard out (``Sink: Print to Std. Out``); the emulator prints nothing."""
        return self._sink("Print to Std. Out", sink_identifier, cost)


class SingleOutputStreamOperator(DataStream, _Configurable):
    """The stream out of one operator, whose settings can still be changed."""


class DataStreamSource(SingleOutputStreamOperator):
    """The stream out of a source."""


class KeyedStream(DataStream):
    """A stream partitioned by key (HASH)."""

    def _aggregation(self, func, cost):
        return self._one_input("Keyed Aggregation", "keyed_aggregation", func, cost)

    def sum(self, position_to_sum=0, *, cost=None):
        return self._aggregation(position_to_sum, cost)

    def min(self, position_to_min=0, *, cost=None):
        return self._aggregation(position_to_min, cost)

    def max(self, position_to_max=0, *, cost=None):
        return self._aggregation(position_to_max, cost)

    def min_by(self, position_to_min_by=0, *, cost=None):
        return self._aggregation(position_to_min_by, cost)

    def max_by(self, position_to_max_by=0, *, cost=None):
        return self._aggregation(position_to_max_by, cost)

    def reduce(self, func=None, *, cost=None):
        return self._one_input("Keyed Reduce", "keyed_reduce", func, cost)

    def process(self, func=None, *, cost=None):
        return self._one_input("KeyedProcess", "keyed_process", func, cost)

    def window(self, window_assigner):
        """:return: a :class:`WindowedStream` over ``window_assigner``'s windows."""
        return WindowedStream(self, window_assigner)

    def count_window(self, size, slide=None):
        """Windows of ``size`` records per key, every ``slide`` records if given."""
        for value, what in ((size, "size"), (slide, "slide")):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 1):
                raise IllegalArgumentException(f"The count window {what} must be at least 1.")
        return WindowedStream(self, GlobalWindows(size, slide))


def _function_name(function, interface):
    name = getattr(function, "__name__", None) or type(function).__name__
    if function is None or name in ("<lambda>", "function", "NoneType"):
        return interface
    return name


class WindowedStream:
    """A keyed stream cut into windows; each method adds the window operator."""

    def __init__(self, keyed_stream, window_assigner):
        self._keyed_stream = keyed_stream
        self._assigner = window_assigner

    def _window(self, functions, function, cost):
        assigner = self._assigner
        evictor = ["CountEvictor"] if isinstance(assigner, GlobalWindows) and assigner.slide else []
        parts = [str(assigner), assigner.trigger] + evictor + functions
        description = f"Window({', '.join(parts)})"
        return self._keyed_stream._one_input(
            assigner.operator_name, "window", function, cost,
            description=description, window=assigner.spec(),
        )

    def reduce(self, reduce_function=None, window_function=None, *, cost=None):
        names = [_function_name(reduce_function, "ReduceFunction"),
                 _function_name(window_function, "WindowFunction")
                 if window_function is not None else "PassThroughWindowFunction"]
        return self._window(names, reduce_function, cost)

    def aggregate(self, aggregate_function=None, window_function=None, *, cost=None):
        names = [_function_name(aggregate_function, "AggregateFunction"),
                 _function_name(window_function, "WindowFunction")
                 if window_function is not None else "PassThroughWindowFunction"]
        return self._window(names, aggregate_function, cost)

    def apply(self, window_function=None, *, cost=None):
        return self._window([_function_name(window_function, "WindowFunction")],
                            window_function, cost)

    def process(self, process_window_function=None, *, cost=None):
        return self._window([_function_name(process_window_function, "ProcessWindowFunction")],
                            process_window_function, cost)

    def sum(self, position_to_sum=0, *, cost=None):
        return self._window(["SumAggregator", "PassThroughWindowFunction"], position_to_sum, cost)

    def min(self, position_to_min=0, *, cost=None):
        return self._window(["ComparableAggregator", "PassThroughWindowFunction"],
                            position_to_min, cost)

    def max(self, position_to_max=0, *, cost=None):
        return self._window(["ComparableAggregator", "PassThroughWindowFunction"],
                            position_to_max, cost)


class ConnectedStreams:
    """Two streams feeding one two-input operator (input 1 and input 2)."""

    def __init__(self, first, second):
        if first._environment is not second._environment:
            raise IllegalArgumentException(
                "Cannot connect streams of different execution environments."
            )
        self._first = first
        self._second = second

    def _two_input(self, name, operator_kind, function, cost):
        environment = self._first._environment
        transformation = environment._new_transformation(
            _K.TWO_INPUT,
            name,
            inputs=(self._first._transformation, self._second._transformation),
            operator_kind=operator_kind,
            function=function,
            simulation=_check_cost(cost),
        )
        environment._register(transformation)
        return SingleOutputStreamOperator(environment, transformation)

    def map(self, func=None, *, cost=None):
        return self._two_input("Co-Map", "co_map", func, cost)

    def flat_map(self, func=None, *, cost=None):
        return self._two_input("Co-Flat Map", "co_flat_map", func, cost)

    def process(self, func=None, *, cost=None):
        return self._two_input("Co-Process", "co_process", func, cost)


class DataStreamSink(_Configurable):
    """The end of a stream; its settings can still be changed."""
