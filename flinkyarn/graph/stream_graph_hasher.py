"""
Deterministic operator hashes, from which JobVertexIDs and OperatorIDs are made, computed as
Flink's ``StreamGraphHasherV2`` computes them:

- an operator with a ``uid`` hashes that string alone (MurmurHash3 128 of its UTF-8 bytes), so
  its id survives any change elsewhere in the program;
- any other operator hashes its position in a breadth-first traversal from the sources (in id
  order), once more for each chainable output, and then mixes in the hash of each input
  (``hash[j] = hash[j] * 37 ^ input[j]``), so that it changes when anything upstream changes.

Node ids (creation order) are not hashed, so building the same program twice gives the same
hashes, and no random source is involved.  The algorithm is Flink's; the values have not been
compared byte for byte with a running Flink.
"""

from collections import deque

from flinkyarn.graph.chaining import is_chainable
from flinkyarn.graph.errors import IllegalArgumentException
from flinkyarn.graph.murmur3 import murmur3_x64_128

__all__ = ["traverse_and_hash", "user_specified_hash"]


def user_specified_hash(uid):
    """:return: the 16-byte hash of a ``uid`` (``generateUserSpecifiedHash``)."""
    return murmur3_x64_128(uid.encode("utf-8"))


def traverse_and_hash(stream_graph):
    """
    :return: a dict from node id to its 16-byte hash, for every node.
    :raise IllegalArgumentException: if two operators have the same ``uid``.
    """
    hashes = {}
    visited = set()
    remaining = deque()
    for source_id in stream_graph.source_ids():
        remaining.append(source_id)
        visited.add(source_id)
    while remaining:
        node_id = remaining.popleft()
        if _hash_node(stream_graph, node_id, hashes):
            for edge in stream_graph.out_edges(node_id):
                if edge.target_id not in visited:
                    remaining.append(edge.target_id)
                    visited.add(edge.target_id)
        else:
            # An input is not hashed yet: come back when another path reaches this node.
            visited.discard(node_id)
    return hashes


def _hash_node(stream_graph, node_id, hashes):
    node = stream_graph.node(node_id)
    if node.uid is not None:
        digest = user_specified_hash(node.uid)
        if digest in hashes.values():
            raise IllegalArgumentException(
                f'Hash collision on user-specified ID "{node.uid}". Most likely cause is a '
                "non-unique ID. Please check that all IDs specified via `uid(String)` are unique."
            )
        hashes[node_id] = digest
        return True
    in_edges = stream_graph.in_edges(node_id)
    if any(edge.source_id not in hashes for edge in in_edges):
        return False
    position = len(hashes).to_bytes(4, "little", signed=True)
    data = position
    for edge in stream_graph.out_edges(node_id):
        if is_chainable(edge, stream_graph):
            data += position
    digest = bytearray(murmur3_x64_128(data))
    for edge in in_edges:
        other = hashes[edge.source_id]
        for j in range(len(digest)):
            digest[j] = ((digest[j] * 37) ^ other[j]) & 0xFF
    hashes[node_id] = bytes(digest)
    return True
