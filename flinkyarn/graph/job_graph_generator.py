"""
StreamGraph → JobGraph, as Flink's ``StreamingJobGraphGenerator``: operators are chained
(:mod:`flinkyarn.graph.chaining`), each chain becomes a :class:`JobVertex` whose id is its head
operator's deterministic hash (:mod:`flinkyarn.graph.stream_graph_hasher`), and each edge
leaving a chain becomes an :class:`IntermediateDataSet` of the producer consumed by one
:class:`JobEdge` (POINTWISE for FORWARD and RESCALE, ALL_TO_ALL otherwise; pipelined in a
STREAMING job, blocking in a BATCH one).

Slot sharing: every vertex is in the slot sharing group of its head operator; all vertices of
the ``default`` group share one group, as in a streaming job (Flink gives each pipelined region
of a *batch* job its own default group; here batch jobs share one too, which can only ask for
more slots than Flink would).
"""

from flinkyarn.graph.chaining import compute_chains
from flinkyarn.graph.job_graph import (
    ChainedOperator,
    DistributionPattern,
    IntermediateDataSet,
    JobEdge,
    JobGraph,
    JobVertex,
    ResultPartitionType,
    sort_topologically,
)
from flinkyarn.graph.job_settings import JobType
from flinkyarn.graph.murmur3 import murmur3_x64_128
from flinkyarn.graph.stream_graph_hasher import traverse_and_hash
from flinkyarn.ids import IntermediateDataSetID, JobVertexID, OperatorID

__all__ = ["create_job_graph", "job_vertex_ids"]


def job_vertex_ids(stream_graph):
    """
    :return: a dict from stream node id to the :class:`JobVertexID` its hash gives (the id of
        its JobVertex when it heads a chain).
    """
    return {
        node_id: JobVertexID.from_bytes(digest)
        for node_id, digest in traverse_and_hash(stream_graph).items()
    }


def create_job_graph(stream_graph, job_id):
    """
    :param StreamGraph stream_graph:
    :param JobID job_id:
    :return: the :class:`JobGraph`.
    """
    hashes = traverse_and_hash(stream_graph)
    chains = compute_chains(stream_graph)
    head_of = {}
    for chain in chains:
        for node_id in chain.node_ids:
            head_of[node_id] = chain.head_id
    vertex_id_of = {
        chain.head_id: JobVertexID.from_bytes(hashes[chain.head_id]) for chain in chains
    }
    partition_type = (
        ResultPartitionType.BLOCKING
        if stream_graph.job_type is JobType.BATCH
        else ResultPartitionType.PIPELINED_BOUNDED
    )

    produced = {chain.head_id: [] for chain in chains}
    inputs = {chain.head_id: [] for chain in chains}
    for chain in chains:
        producer_id = vertex_id_of[chain.head_id]
        for edge in chain.out_edges:
            # Flink's data set ids are random, so two jobs never share one; the job id keeps
            # them unique per job here while the same job still gets the same ids.
            data_set_id = IntermediateDataSetID.from_bytes(murmur3_x64_128(
                job_id.to_bytes() + producer_id.to_bytes() + edge.edge_id.encode("utf-8")))
            produced[chain.head_id].append(
                IntermediateDataSet(data_set_id, producer_id, partition_type)
            )
            target_head = head_of[edge.target_id]
            inputs[target_head].append(
                (
                    edge.type_number,
                    JobEdge(
                        data_set_id,
                        vertex_id_of[target_head],
                        DistributionPattern.POINTWISE
                        if edge.partitioner.is_pointwise
                        else DistributionPattern.ALL_TO_ALL,
                        edge.partitioner.value,
                    ),
                )
            )

    vertices = []
    for chain in chains:
        head = stream_graph.node(chain.head_id)
        vertices.append(
            JobVertex(
                id=vertex_id_of[chain.head_id],
                name=chain.name,
                parallelism=head.parallelism,
                max_parallelism=head.max_parallelism,
                slot_sharing_group=head.slot_sharing_group,
                invokable_class_name=head.invokable_class_name,
                operators=tuple(
                    _chained_operator(stream_graph.node(node_id), hashes[node_id])
                    for node_id in chain.node_ids
                ),
                # Inputs by input number (type 0 and 1 first, then 2), stable otherwise.
                inputs=tuple(
                    edge for _, edge in sorted(inputs[chain.head_id], key=lambda item: item[0])
                ),
                produced_data_sets=tuple(produced[chain.head_id]),
                description=chain.description,
            )
        )
    ordered = _sources_first_by_node_id(vertices, chains)
    return JobGraph(
        job_id=job_id,
        name=stream_graph.job_name,
        job_type=stream_graph.job_type,
        vertices=sort_topologically(ordered),
        checkpointing=stream_graph.checkpointing,
        savepoint_restore=stream_graph.savepoint_restore,
        user_jars=stream_graph.user_jars,
        classpaths=stream_graph.classpaths,
        user_artifacts=stream_graph.user_artifacts,
        job_configuration=stream_graph.job_configuration,
    )


def _sources_first_by_node_id(vertices, chains):
    # Flink's JobGraph keeps vertices in creation order; its topological sort then takes the
    # source vertices in that order, which is the sources' node id order.
    keyed = sorted(zip((chain.head_id for chain in chains), vertices), key=lambda item: item[0])
    return [vertex for _, vertex in keyed]


def _chained_operator(node, digest):
    return ChainedOperator(
        operator_id=OperatorID.from_bytes(digest),
        name=node.operator_name,
        kind=node.kind,
        description=node.description,
        uid=node.uid,
        simulation=node.simulation,
        window=node.window,
    )
