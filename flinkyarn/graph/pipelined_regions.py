"""
Pipelined regions of an ExecutionGraph, as Flink's ``SchedulingPipelinedRegionComputeUtil``
computes them: subtasks connected by a pipelined exchange are in one region (they must run at
the same time); then regions that depend on each other in a cycle through blocking exchanges
are merged (scheduling them one after the other would deadlock).  Region failover restarts the
regions of a failed subtask.

In a STREAMING job every exchange is pipelined, so the regions are the connected components of
the subtask graph: one region for a job with an all-to-all exchange, one per subtask pipeline
for forward-only pipelines, one per disjoint pipeline.
"""

from attrs import frozen

__all__ = ["PipelinedRegion", "compute_pipelined_regions"]


@frozen
class PipelinedRegion:
    """
    :ivar tuple vertex_ids: its subtasks' :class:`~flinkyarn.ids.ExecutionVertexID`\\ s, in the
        graph's order (vertices topologically, then subtask index).
    """

    vertex_ids: tuple

    def __contains__(self, execution_vertex_id):
        return execution_vertex_id in self.vertex_ids

    def __len__(self):
        return len(self.vertex_ids)


def compute_pipelined_regions(execution_graph):
    """:return: the :class:`PipelinedRegion`\\ s, ordered by their first subtask."""
    tasks = execution_graph.execution_vertices()
    position = {task.id: index for index, task in enumerate(tasks)}
    parent = list(range(len(tasks)))

    def find(item):
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(first, second):
        first, second = find(first), find(second)
        if first != second:
            parent[max(first, second)] = min(first, second)

    blocking = []
    for task in tasks:
        consumer = position[task.id]
        for group in task.consumed_partition_groups:
            for partition_id in group:
                partition = execution_graph.partition(partition_id)
                producer = position[partition.producer.id]
                if partition.result.result_partition_type.is_pipelined:
                    union(producer, consumer)
                else:
                    blocking.append((producer, consumer))

    # Merge regions that form cycles through blocking exchanges (strongly connected components
    # of the region graph).
    successors = {}
    for producer, consumer in blocking:
        source, target = find(producer), find(consumer)
        if source != target:
            successors.setdefault(source, set()).add(target)
    roots = sorted({find(index) for index in range(len(tasks))})
    for component in _strongly_connected(roots, successors):
        first = min(component)
        for other in component:
            union(first, other)

    members = {}
    for index in range(len(tasks)):
        members.setdefault(find(index), []).append(tasks[index].id)
    return tuple(PipelinedRegion(tuple(members[root])) for root in sorted(members))


def _strongly_connected(nodes, successors):
    """Tarjan's algorithm without recursion; yields components with more than one node."""
    index_of = {}
    low = {}
    on_stack = set()
    stack = []
    counter = 0
    for start in nodes:
        if start in index_of:
            continue
        work = [(start, iter(sorted(successors.get(start, ()))))]
        index_of[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index_of:
                    index_of[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(successors.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index_of[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    yield component
