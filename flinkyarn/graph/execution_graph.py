"""
The ExecutionGraph a JobMaster builds from a JobGraph (Flink's ``DefaultExecutionGraph``):

- an :class:`ExecutionJobVertex` per JobVertex, in topological order;
- an :class:`ExecutionVertex` per subtask, named ``"<vertex name> (<index + 1>/<parallelism>)"``;
- an :class:`~flinkyarn.graph.execution.Execution` per attempt of a subtask;
- an :class:`IntermediateResult` per data set and an :class:`IntermediateResultPartition` per
  producer subtask;
- subtask connections as Flink's ``EdgeManagerBuildUtil`` makes them: ALL_TO_ALL connects every
  partition to every consumer; POINTWISE with P producers and C consumers connects partition
  ``i`` to consumer ``i`` when P = C, consumer ``j`` to partitions ``[j*P/C, (j+1)*P/C)`` when
  P > C, and partition ``i`` to consumers ``[ceil(i*C/P), ceil((i+1)*C/P))`` when P < C.

Connections are kept as groups (one shared group for an ALL_TO_ALL input, as Flink does), so a
large all-to-all exchange costs O(P + C), not O(P × C); :meth:`ExecutionGraph.edges` lists the
individual :class:`ExecutionEdge`\\ s on demand.

The graph is a data structure with transitions: no clock and no I/O.  Its owner (the JobMaster)
changes job and task states with timestamps; everything the REST API shows (task counts per
state, aggregate vertex state, start and end times) is derived from it.
"""

from attrs import frozen

from flinkyarn.graph.errors import IllegalStateException
from flinkyarn.graph.execution import Execution
from flinkyarn.graph.job_graph import DistributionPattern
from flinkyarn.graph.pipelined_regions import compute_pipelined_regions
from flinkyarn.ids import ExecutionAttemptID, ExecutionVertexID, IntermediateResultPartitionID
from flinkyarn.states import JOB_TRANSITIONS, ExecutionState, JobEvent, JobStatus

__all__ = [
    "ExecutionGraph",
    "ExecutionJobVertex",
    "ExecutionVertex",
    "IntermediateResult",
    "IntermediateResultPartition",
    "ExecutionEdge",
    "VertexTiming",
    "aggregate_vertex_state",
    "DEFAULT_ATTEMPTS_HISTORY_SIZE",
]

#: ``jobmanager.execution.attempts-history-size``'s default.
DEFAULT_ATTEMPTS_HISTORY_SIZE = 16


@frozen
class ExecutionEdge:
    """
    One consumer subtask reading one partition.

    :ivar IntermediateResultPartitionID source:
    :ivar ExecutionVertexID target:
    :ivar int input_number: the consumer's input (the JobEdge's index among its inputs).
    """

    source: IntermediateResultPartitionID
    target: ExecutionVertexID
    input_number: int


@frozen
class VertexTiming:
    """
    A vertex's times as the REST API shows them: -1 where not known.

    :ivar int start_time: the earliest DEPLOYING timestamp of its subtasks.
    :ivar int end_time: the latest state timestamp once every subtask is terminal.
    :ivar int duration: end - start, or now - start while running.
    """

    start_time: int
    end_time: int
    duration: int


def aggregate_vertex_state(counts, parallelism):
    """
    The state a dashboard shows for a vertex (``getAggregateJobVertexState``): the state of all
    subtasks when they are all in one; else FAILED if any subtask failed, else CANCELING,
    CANCELED, INITIALIZING or RUNNING if any subtask is so (in that order), else RUNNING when
    some finished, else CREATED.

    :param counts: :class:`ExecutionState` → number of subtasks.
    """
    for state in ExecutionState:
        if counts.get(state, 0) >= parallelism:
            return state
    for state in (ExecutionState.FAILED, ExecutionState.CANCELING, ExecutionState.CANCELED,
                  ExecutionState.INITIALIZING, ExecutionState.RUNNING):
        if counts.get(state, 0) > 0:
            return state
    if counts.get(ExecutionState.FINISHED, 0) > 0:
        return ExecutionState.RUNNING
    return ExecutionState.CREATED


class IntermediateResultPartition:
    """
    :ivar IntermediateResultPartitionID id:
    :ivar IntermediateResult result:
    :ivar ExecutionVertex producer:
    :ivar list consumer_vertex_groups: tuples of consumer :class:`ExecutionVertexID`\\ s.
    """

    def __init__(self, result, producer):
        self.id = IntermediateResultPartitionID(result.id, producer.subtask_index)
        self.result = result
        self.producer = producer
        self.consumer_vertex_groups = []

    @property
    def partition_number(self):
        return self.id.partition_number

    def consumers(self):
        """:return: every consumer subtask id, in order."""
        return tuple(vertex_id for group in self.consumer_vertex_groups for vertex_id in group)


class IntermediateResult:
    """
    The runtime form of an :class:`~flinkyarn.graph.job_graph.IntermediateDataSet`.

    :ivar IntermediateDataSetID id:
    :ivar ExecutionJobVertex producer:
    :ivar ResultPartitionType result_partition_type:
    :ivar tuple partitions: one :class:`IntermediateResultPartition` per producer subtask.
    :ivar list consumers: the consuming :class:`ExecutionJobVertex`\\ es.
    """

    def __init__(self, data_set, producer):
        self.id = data_set.id
        self.producer = producer
        self.result_partition_type = data_set.result_partition_type
        self.partitions = ()
        self.consumers = []


class ExecutionVertex:
    """
    One subtask.

    :ivar ExecutionJobVertex job_vertex:
    :ivar int subtask_index:
    :ivar ExecutionVertexID id:
    :ivar str task_name_with_subtask_index: ``"Map (2/4)"``.
    :ivar Execution current_execution:
    :ivar tuple produced_partitions:
    :ivar list consumed_partition_groups: per input number, a tuple of partition ids.
    """

    def __init__(self, job_vertex, subtask_index, timestamp):
        self.job_vertex = job_vertex
        self.subtask_index = subtask_index
        self.id = ExecutionVertexID(job_vertex.id, subtask_index)
        self.task_name_with_subtask_index = (
            f"{job_vertex.name} ({subtask_index + 1}/{job_vertex.parallelism})"
        )
        self.produced_partitions = ()
        self.consumed_partition_groups = []
        self._prior_executions = []
        self.current_execution = Execution(self._attempt_id(0), self, timestamp)

    def __repr__(self):
        return f"<ExecutionVertex {self.task_name_with_subtask_index}>"

    def _attempt_id(self, attempt_number):
        return ExecutionAttemptID(self.job_vertex.graph.execution_graph_id, self.id, attempt_number)

    @property
    def execution_state(self):
        return self.current_execution.state

    @property
    def prior_executions(self):
        """:return: the previous attempts still kept (the newest
        ``jobmanager.execution.attempts-history-size``), oldest first."""
        return tuple(self._prior_executions)

    def execution(self, attempt_number):
        """:return: the attempt with that number, if still kept, else ``None``."""
        for execution in (self.current_execution, *self._prior_executions):
            if execution.attempt_number == attempt_number:
                return execution
        return None

    def reset_for_new_execution(self, timestamp):
        """
        Start a new attempt (failover): the current one must be terminal.

        :return: the new :class:`Execution` (attempt number + 1, CREATED).
        :raise IllegalStateException: if the current attempt is not terminal.
        """
        current = self.current_execution
        if not current.state.is_terminal:
            raise IllegalStateException(
                f"Cannot reset an execution that is in non-terminal state {current.state}"
            )
        self._prior_executions.append(current)
        history = self.job_vertex.graph.history_size
        if len(self._prior_executions) > history:
            del self._prior_executions[: len(self._prior_executions) - history]
        self.current_execution = Execution(
            self._attempt_id(current.attempt_number + 1), self, timestamp
        )
        return self.current_execution


class ExecutionJobVertex:
    """
    The runtime form of a :class:`~flinkyarn.graph.job_graph.JobVertex`.

    :ivar ExecutionGraph graph:
    :ivar JobVertex job_vertex:
    :ivar JobVertexID id:
    :ivar str name:
    :ivar int parallelism:
    :ivar int max_parallelism: the set one, or Flink's default for the parallelism.
    :ivar str slot_sharing_group:
    :ivar tuple task_vertices: the :class:`ExecutionVertex`\\ es, by subtask index.
    :ivar tuple produced_data_sets: its :class:`IntermediateResult`\\ s.
    :ivar tuple inputs: the :class:`IntermediateResult`\\ s it consumes, by input number.
    """

    def __init__(self, graph, job_vertex, timestamp):
        self.graph = graph
        self.job_vertex = job_vertex
        self.id = job_vertex.id
        self.name = job_vertex.name
        self.parallelism = job_vertex.parallelism
        self.max_parallelism = job_vertex.effective_max_parallelism
        self.slot_sharing_group = job_vertex.slot_sharing_group
        self.produced_data_sets = tuple(
            IntermediateResult(data_set, self) for data_set in job_vertex.produced_data_sets
        )
        self.inputs = ()
        self.task_vertices = tuple(
            ExecutionVertex(self, index, timestamp) for index in range(self.parallelism)
        )
        for result in self.produced_data_sets:
            result.partitions = tuple(
                IntermediateResultPartition(result, vertex) for vertex in self.task_vertices
            )
        for vertex in self.task_vertices:
            vertex.produced_partitions = tuple(
                result.partitions[vertex.subtask_index] for result in self.produced_data_sets
            )

    def __repr__(self):
        return f"<ExecutionJobVertex {self.name} ({self.id})>"

    def task_counts(self):
        """:return: every :class:`ExecutionState` → number of subtasks in it, in enum order."""
        counts = dict.fromkeys(ExecutionState, 0)
        for vertex in self.task_vertices:
            counts[vertex.execution_state] += 1
        return counts

    def aggregate_state(self):
        """:return: the vertex's state for dashboards (:func:`aggregate_vertex_state`)."""
        return aggregate_vertex_state(self.task_counts(), self.parallelism)

    def timing(self, now):
        """:return: the :class:`VertexTiming` at ``now``, as Flink's job details compute it."""
        start = None
        end = 0
        all_terminal = True
        for vertex in self.task_vertices:
            execution = vertex.current_execution
            started = execution.state_timestamp(ExecutionState.DEPLOYING)
            if started > 0:
                start = started if start is None else min(start, started)
            all_terminal = all_terminal and execution.state.is_terminal
            end = max(end, execution.state_timestamp(execution.state))
        if start is None:
            return VertexTiming(-1, -1, -1)
        if all_terminal:
            return VertexTiming(start, end, end - start)
        return VertexTiming(start, -1, now - start)


class ExecutionGraph:
    """
    :param JobGraph job_graph:
    :param IdGenerator id_generator: makes the :class:`~flinkyarn.ids.ExecutionGraphID`.
    :param int timestamp: the creation time (ms): the job is CREATED then.
    :param int history_size: prior attempts kept per subtask.
    :param initialization_timestamp: when the job entered INITIALIZING (at the Dispatcher),
        recorded among the state timestamps if given.

    :ivar JobGraph job_graph:
    :ivar ExecutionGraphID execution_graph_id:
    :ivar JobStatus state:
    :ivar tuple vertices: the :class:`ExecutionJobVertex`\\ es, in topological order.
    :ivar tuple intermediate_results: the :class:`IntermediateResult`\\ s, by producer order.
    """

    def __init__(self, job_graph, id_generator, timestamp, *,
                 history_size=DEFAULT_ATTEMPTS_HISTORY_SIZE, initialization_timestamp=None):
        self.job_graph = job_graph
        self.execution_graph_id = id_generator.execution_graph_id()
        self.history_size = history_size
        self.state = JobStatus.CREATED
        self._timestamps = {}
        if initialization_timestamp is not None:
            self._timestamps[JobStatus.INITIALIZING] = initialization_timestamp
        self._timestamps[JobStatus.CREATED] = timestamp
        self.vertices = tuple(
            ExecutionJobVertex(self, job_vertex, timestamp) for job_vertex in job_graph.vertices
        )
        self._vertex_index = {vertex.id: vertex for vertex in self.vertices}
        self.intermediate_results = tuple(
            result for vertex in self.vertices for result in vertex.produced_data_sets
        )
        self._result_index = {result.id: result for result in self.intermediate_results}
        for vertex in self.vertices:
            self._connect(vertex)
        self._regions = None

    def __repr__(self):
        return f"<ExecutionGraph {self.job_name} ({self.job_id}) {self.state}>"

    @property
    def job_id(self):
        return self.job_graph.job_id

    @property
    def job_name(self):
        return self.job_graph.name

    @property
    def job_type(self):
        return self.job_graph.job_type

    # -- construction -----------------------------------------------------------------------

    def _connect(self, vertex):
        inputs = []
        for input_number, edge in enumerate(vertex.job_vertex.inputs):
            result = self._result_index[edge.source]
            result.consumers.append(vertex)
            inputs.append(result)
            if edge.distribution_pattern is DistributionPattern.ALL_TO_ALL:
                _connect_all_to_all(vertex.task_vertices, result)
            else:
                _connect_pointwise(vertex.task_vertices, result)
        vertex.inputs = tuple(inputs)

    # -- job status -------------------------------------------------------------------------

    def transition(self, event, timestamp):
        """
        Apply ``event`` through the JobStatus table.

        :return: the status afterwards (unchanged when the table ignores ``event``).
        :raise InvalidStateTransitionException: when the table does not allow ``event``.
        """
        target = JOB_TRANSITIONS.next_state(self.state, JobEvent(event))
        if target is not None:
            self.state = target
            self._timestamps[target] = timestamp
        return self.state

    def state_timestamp(self, status):
        """:return: when the job entered ``status``, or 0 if it never did."""
        return self._timestamps.get(status, 0)

    def state_timestamps(self):
        """:return: every :class:`JobStatus` → timestamp (0 if not reached), in enum order."""
        return {status: self._timestamps.get(status, 0) for status in JobStatus}

    # -- lookups ----------------------------------------------------------------------------

    def vertex(self, job_vertex_id):
        """:raise KeyError: for an unknown vertex."""
        return self._vertex_index[job_vertex_id]

    def intermediate_result(self, data_set_id):
        """:raise KeyError: for an unknown data set."""
        return self._result_index[data_set_id]

    def execution_vertices(self):
        """:return: every :class:`ExecutionVertex`, by vertex in topological order, then by
        subtask index."""
        return tuple(task for vertex in self.vertices for task in vertex.task_vertices)

    def execution_vertex(self, execution_vertex_id):
        """:raise KeyError: for an unknown subtask."""
        vertex = self._vertex_index[execution_vertex_id.job_vertex_id]
        index = execution_vertex_id.subtask_index
        if not 0 <= index < vertex.parallelism:
            raise KeyError(execution_vertex_id)
        return vertex.task_vertices[index]

    def partition(self, partition_id):
        """:raise KeyError: for an unknown partition."""
        result = self._result_index[partition_id.data_set_id]
        if not 0 <= partition_id.partition_number < len(result.partitions):
            raise KeyError(partition_id)
        return result.partitions[partition_id.partition_number]

    def current_executions(self):
        """:return: the current :class:`Execution` of every subtask, in subtask order."""
        return tuple(task.current_execution for task in self.execution_vertices())

    def execution(self, attempt_id):
        """
        :return: the :class:`Execution` with that id (current or still kept in history), or
            ``None`` (an unknown or forgotten attempt, or one of another ExecutionGraph).
        """
        if attempt_id.execution_graph_id != self.execution_graph_id:
            return None
        try:
            task = self.execution_vertex(attempt_id.execution_vertex_id)
        except KeyError:
            return None
        return task.execution(attempt_id.attempt_number)

    def edges(self):
        """:return: every :class:`ExecutionEdge`, by consumer subtask, input and partition."""
        return tuple(
            ExecutionEdge(partition_id, task.id, input_number)
            for task in self.execution_vertices()
            for input_number, group in enumerate(task.consumed_partition_groups)
            for partition_id in group
        )

    # -- derived views ----------------------------------------------------------------------

    def task_counts(self):
        """:return: every :class:`ExecutionState` → number of subtasks of the whole job."""
        counts = dict.fromkeys(ExecutionState, 0)
        for task in self.execution_vertices():
            counts[task.execution_state] += 1
        return counts

    def all_tasks_terminal(self):
        """``True`` when every subtask's current attempt is terminal."""
        return all(task.execution_state.is_terminal for task in self.execution_vertices())

    def all_tasks_finished(self):
        """``True`` when every subtask's current attempt is FINISHED."""
        return all(task.execution_state is ExecutionState.FINISHED
                   for task in self.execution_vertices())

    def required_slots(self):
        """:return: the slots needed to run every subtask at once (see
        :meth:`~flinkyarn.graph.job_graph.JobGraph.required_slots`)."""
        return self.job_graph.required_slots()

    def pipelined_regions(self):
        """
        :return: the pipelined regions (what region failover restarts together), as
            :class:`~flinkyarn.graph.pipelined_regions.PipelinedRegion`\\ s in topological
            order.  In a streaming job every exchange is pipelined, so a region is a connected
            set of subtasks.
        """
        if self._regions is None:
            self._regions = compute_pipelined_regions(self)
        return self._regions

    def region_of(self, execution_vertex_id):
        """:return: the pipelined region containing a subtask."""
        for region in self.pipelined_regions():
            if execution_vertex_id in region:
                return region
        raise KeyError(execution_vertex_id)


def _connect_all_to_all(consumers, result):
    partition_ids = tuple(partition.id for partition in result.partitions)
    consumer_ids = tuple(task.id for task in consumers)
    for task in consumers:
        task.consumed_partition_groups.append(partition_ids)
    for partition in result.partitions:
        partition.consumer_vertex_groups.append(consumer_ids)


def _connect_pointwise(consumers, result):
    producers = len(result.partitions)
    targets = len(consumers)
    groups = {task.subtask_index: [] for task in consumers}
    if producers == targets:
        for index in range(producers):
            groups[index].append(result.partitions[index])
            result.partitions[index].consumer_vertex_groups.append((consumers[index].id,))
    elif producers > targets:
        for index in range(targets):
            start = index * producers // targets
            end = (index + 1) * producers // targets
            for number in range(start, end):
                groups[index].append(result.partitions[number])
                result.partitions[number].consumer_vertex_groups.append((consumers[index].id,))
    else:
        for number in range(producers):
            start = (number * targets + producers - 1) // producers
            end = ((number + 1) * targets + producers - 1) // producers
            for index in range(start, end):
                groups[index].append(result.partitions[number])
            result.partitions[number].consumer_vertex_groups.append(
                tuple(consumers[index].id for index in range(start, end))
            )
    for task in consumers:
        task.consumed_partition_groups.append(
            tuple(partition.id for partition in groups[task.subtask_index])
        )
