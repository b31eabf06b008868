"""
Operator chaining: which StreamGraph edges Flink fuses into one task, and the chains (future
JobVertices) that result, with Flink's chained names and descriptions.

An edge is chainable (``StreamingJobGraphGenerator#isChainable``) when all of these hold:

1. its target has exactly one input edge;
2. chaining is enabled for the job (``pipeline.operator-chaining``);
3. both ends are in the same slot sharing group;
4. the chaining strategies allow it: the upstream one is not NEVER; the downstream one is ALWAYS,
   or HEAD_WITH_SOURCES with a FLIP-27 source upstream (HEAD and NEVER refuse);
5. the partitioner is FORWARD (Flink also refuses an edge whose exchange mode was set to BATCH
   by hand; this API never sets one, so runtime mode does not change chaining, as in Flink);
6. both ends have the same parallelism;
7. no other input edge of the target has the same type number (no union into a chain).

Not modelled: Flink's rule that yielding operators do not chain to legacy sources, and the
``pipeline.operator-chaining.chain-operators-with-different-max-parallelism`` switch (its
default, true, lets max parallelism differ within a chain).
"""

from attrs import frozen

from flinkyarn.graph.stream_graph import ChainingStrategy, Partitioner

__all__ = [
    "is_chainable",
    "is_chainable_input",
    "are_operators_chainable",
    "OperatorChain",
    "compute_chains",
]


def are_operators_chainable(upstream, downstream):
    """
    Rules 4 and 6 (``areOperatorsChainable``).

    :param StreamNode upstream:
    :param StreamNode downstream:
    """
    if upstream.chaining_strategy is ChainingStrategy.NEVER:
        return False
    strategy = downstream.chaining_strategy
    if strategy in (ChainingStrategy.NEVER, ChainingStrategy.HEAD):
        return False
    if strategy is ChainingStrategy.HEAD_WITH_SOURCES and not upstream.is_source_operator:
        return False
    return upstream.parallelism == downstream.parallelism


def is_chainable_input(edge, stream_graph):
    """Rules 2 to 7 (``isChainableInput``)."""
    upstream = stream_graph.node(edge.source_id)
    downstream = stream_graph.node(edge.target_id)
    if not (
        stream_graph.chaining_enabled
        and upstream.slot_sharing_group == downstream.slot_sharing_group
        and are_operators_chainable(upstream, downstream)
        and edge.partitioner is Partitioner.FORWARD
    ):
        return False
    return not any(
        other != edge and other.type_number == edge.type_number
        for other in stream_graph.in_edges(edge.target_id)
    )


def is_chainable(edge, stream_graph):
    """
    :param StreamEdge edge:
    :param StreamGraph stream_graph:
    :return: ``True`` if Flink would chain ``edge``'s target to its source (rules 1 to 7).
    """
    return len(stream_graph.in_edges(edge.target_id)) == 1 and is_chainable_input(
        edge, stream_graph
    )


@frozen
class OperatorChain:
    """
    Operators fused into one task.

    :ivar int head_id: the first operator's node id.
    :ivar tuple node_ids: every operator, head first, then depth first along chained edges.
    :ivar str name: Flink's chained name (``Source: Words -> Map -> Filter``; several chained
        outputs as ``A -> (B, C)``).
    :ivar str description: Flink's TREE description (one operator per line, ``+-``/``:-``).
    :ivar tuple out_edges: the edges leaving the chain (``transitiveOutEdges``), in Flink's order.
    """

    head_id: int
    node_ids: tuple
    name: str
    description: str
    out_edges: tuple


def compute_chains(stream_graph):
    """
    Split a StreamGraph into operator chains as ``StreamingJobGraphGenerator#createChain`` does:
    starting from the sources in id order, follow chainable edges within a chain and start a new
    chain at the target of every other edge.

    :return: the chains in Flink's creation order (a chain is complete after the chains it
        feeds).
    """
    chains = {}
    for source_id in stream_graph.source_ids():
        _create_chain(stream_graph, source_id, chains)
    return tuple(chains.values())


def _create_chain(stream_graph, head_id, chains):
    if head_id in chains:
        return
    names = {}
    chained_children = {}
    members = []

    # Flink recurses; an explicit stack keeps long pipelines clear of the recursion limit.
    # Entries are (node_id, expanded); a node's name is known once its chained children's are.
    stack = [(head_id, False)]
    while stack:
        node_id, expanded = stack.pop()
        if expanded:
            children = chained_children[node_id]
            name = stream_graph.node(node_id).operator_name
            if len(children) > 1:
                name = f"{name} -> ({', '.join(names[child] for child in children)})"
            elif children:
                name = f"{name} -> {names[children[0]]}"
            names[node_id] = name
            continue
        members.append(node_id)
        chainable = []
        for edge in stream_graph.out_edges(node_id):
            if is_chainable(edge, stream_graph):
                chainable.append(edge.target_id)
        chained_children[node_id] = chainable
        stack.append((node_id, True))
        for child in reversed(chainable):
            stack.append((child, False))

    # Flink collects a chain's out edges depth first (``transitiveOutEdges``): those of each
    # chained successor in turn, then the node's own non-chainable ones; that is each node's own
    # non-chainable edges in post order.  The downstream chains are created in that order too.
    out_edges = [
        edge
        for node_id in _post_order(head_id, chained_children)
        for edge in stream_graph.out_edges(node_id)
        if edge.target_id not in chained_children[node_id]
    ]
    for edge in out_edges:
        _create_chain(stream_graph, edge.target_id, chains)

    chains[head_id] = OperatorChain(
        head_id=head_id,
        node_ids=tuple(members),
        name=names[head_id],
        description=_tree_description(stream_graph, head_id, chained_children),
        out_edges=tuple(out_edges),
    )


def _post_order(head_id, chained_children):
    order = []
    stack = [(head_id, False)]
    while stack:
        node_id, expanded = stack.pop()
        if expanded:
            order.append(node_id)
            continue
        stack.append((node_id, True))
        for child in reversed(chained_children[node_id]):
            stack.append((child, False))
    return order


def _tree_description(stream_graph, head_id, chained_children):
    lines = []
    stack = [(head_id, "", "")]
    while stack:
        node_id, own_prefix, child_prefix = stack.pop()
        lines.append(own_prefix + stream_graph.node(node_id).operator_description + "\n")
        children = chained_children[node_id]
        for index in range(len(children) - 1, -1, -1):
            last = index == len(children) - 1
            stack.append(
                (
                    children[index],
                    child_prefix + ("+- " if last else ":- "),
                    child_prefix + ("   " if last else ":  "),
                )
            )
    return "".join(lines)
