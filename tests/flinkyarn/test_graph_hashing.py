"""
Tests for :mod:`flinkyarn.graph.murmur3` and :mod:`flinkyarn.graph.stream_graph_hasher`:
Flink's deterministic JobVertexIDs.
"""

import pytest

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.graph.errors import IllegalArgumentException
from flinkyarn.graph.murmur3 import murmur3_x64_128
from flinkyarn.ids import IdGenerator


def test_murmur3_matches_guavas_test_vectors():
    """MurmurHash3 x64 128 gives Guava's published values (h1, h2 little-endian)."""
    assert murmur3_x64_128(b"").hex() == "0" * 32
    assert murmur3_x64_128(b"hell").hex() == "67f8103e694299624753ebba820bdb92"
    assert (murmur3_x64_128(b"The quick brown fox jumps over the lazy dog").hex()
            == "6c1b07bc7bbc4be347939ac4a93c437a")


def _wordcount_ids(seed=0, parallelism=1):
    env = StreamExecutionEnvironment({"parallelism.default": parallelism},
                                     id_generator=IdGenerator(seed))
    env.from_collection(["to be or not to be"]).flat_map().key_by().sum(1).print()
    return [str(vertex.id) for vertex in env.get_job_graph().vertices]


def test_wordcount_gets_the_vertex_ids_flink_gives_it():
    """The classic WordCount shape gets the JobVertexIDs Flink's own WordCount shows."""
    assert _wordcount_ids() == ["cbc357ccb763df2852fee8c4fc7d55f2",
                                "90bea66de1c231edf33913ecd54406c1"]


def test_vertex_ids_are_deterministic_and_independent_of_the_random_source():
    """The same program gives the same vertex ids whatever the id generator's seed."""
    assert _wordcount_ids(seed=1) == _wordcount_ids(seed=2) == _wordcount_ids(seed=1)


def _sequence_ids(parallelism):
    env = StreamExecutionEnvironment({"parallelism.default": parallelism})
    env.from_sequence(1, 10).flat_map().key_by().sum(1).print()
    return [vertex.id for vertex in env.get_job_graph().vertices]


def test_vertex_ids_do_not_depend_on_parallelism_but_on_topology():
    """Parallelism alone does not change vertex ids; a changed upstream operator does."""
    assert _sequence_ids(1) == _sequence_ids(4)
    env = StreamExecutionEnvironment()
    env.from_collection([1]).map().flat_map().key_by().sum(1).print()
    assert [str(v.id) for v in env.get_job_graph().vertices] != _wordcount_ids()


def test_a_uid_pins_the_vertex_id():
    """An operator with a uid keeps its id when the rest of the program changes."""
    def source_id(extra_map):
        env = StreamExecutionEnvironment()
        stream = env.from_sequence(1, 10).uid("numbers")
        if extra_map:
            stream = stream.map().disable_chaining()
        stream.key_by().sum().uid("counter").print()
        graph = env.get_job_graph()
        return {v.operators[0].uid: v.id for v in graph.vertices if v.operators[0].uid}

    assert source_id(False) == source_id(True)


def test_duplicate_uids_are_refused_with_flinks_message():
    """Two operators with one uid raise Flink's hash collision error."""
    env = StreamExecutionEnvironment()
    env.from_sequence(1, 10).uid("same").map().uid("same").print()
    with pytest.raises(IllegalArgumentException,
                       match='Hash collision on user-specified ID "same"'):
        env.get_job_graph()


def test_chained_operators_get_their_own_operator_ids():
    """Every chained operator has an OperatorID; the head's equals the vertex id."""
    env = StreamExecutionEnvironment()
    env.from_sequence(1, 10).map().print()
    (vertex,) = env.get_job_graph().vertices
    ids = [operator.operator_id for operator in vertex.operators]
    assert len(set(ids)) == 3
    assert ids[0].hex == vertex.id.hex
