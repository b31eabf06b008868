"""
Tests for :mod:`flinkyarn.ids`: Flink's id formats, parsing and seeded generation.
"""

import pytest

from flinkyarn.ids import (
    ZERO_JOB_ID,
    AllocationID,
    ExecutionAttemptID,
    ExecutionGraphID,
    ExecutionVertexID,
    IdGenerator,
    IntermediateDataSetID,
    IntermediateResultPartitionID,
    JobID,
    JobVertexID,
    ResourceID,
)

HEX = "fd72014d4c864993a2e5a9287b4a9c5d"


def test_abstract_ids_print_as_32_lowercase_hex_digits():
    """An AbstractID-based id prints as its 32 lowercase hexadecimal digits."""
    assert str(JobID(HEX)) == HEX
    assert str(AllocationID.from_bytes(bytes(range(16)))) == "000102030405060708090a0b0c0d0e0f"


def test_parse_accepts_upper_case_and_normalizes():
    """Parsing accepts upper-case digits, as Flink does, and gives the lower-case form."""
    assert JobID.parse(HEX.upper()) == JobID(HEX)


@pytest.mark.parametrize("text", ["", "xyz", HEX[:-1], HEX + "0", "g" * 32, None, 42])
def test_parse_refuses_malformed_text_with_flinks_message(text):
    """A malformed JobID raises a ValueError quoting it and the expected format."""
    with pytest.raises(ValueError) as error:
        JobID.parse(text)
    assert str(error.value).startswith(f'Cannot parse JobID from "{text}".')
    assert "[0-9a-fA-F]{32}" in str(error.value)


def test_constructing_with_malformed_hex_is_refused():
    """An id cannot be constructed from anything but 32 lowercase hex digits."""
    with pytest.raises(ValueError):
        JobVertexID(HEX.upper())
    with pytest.raises(ValueError):
        IntermediateDataSetID.from_bytes(b"short")


def test_ids_of_different_kinds_are_never_equal():
    """A JobID and a JobVertexID with the same digits are different values."""
    assert JobID(HEX) != JobVertexID(HEX)
    assert ZERO_JOB_ID == JobID("0" * 32)


def test_execution_attempt_id_has_the_flink_1_16_form_and_parses_back():
    """An attempt id is <graph>_<vertex>_<subtask>_<attempt> and parses back to itself."""
    vertex = ExecutionVertexID(JobVertexID(HEX), 3)
    attempt = ExecutionAttemptID(ExecutionGraphID("1" * 32), vertex, 2)
    assert str(vertex) == f"{HEX}_3"
    assert str(attempt) == f"{'1' * 32}_{HEX}_3_2"
    assert ExecutionAttemptID.parse(str(attempt)) == attempt
    assert ExecutionVertexID.parse(str(vertex)) == vertex
    assert (attempt.job_vertex_id, attempt.subtask_index) == (JobVertexID(HEX), 3)
    with pytest.raises(ValueError, match="Cannot parse ExecutionAttemptID"):
        ExecutionAttemptID.parse(f"{HEX}_3")


def test_partition_id_is_data_set_hash_number():
    """A result partition id prints as <dataSetId>#<partitionNumber> and parses back."""
    partition = IntermediateResultPartitionID(IntermediateDataSetID(HEX), 4)
    assert str(partition) == f"{HEX}#4"
    assert IntermediateResultPartitionID.parse(str(partition)) == partition
    with pytest.raises(ValueError):
        IntermediateResultPartitionID.parse(f"{HEX}-4")


def test_resource_id_is_any_string_without_whitespace():
    """A ResourceID holds any non-empty string without whitespace, such as a container id."""
    container = "container_1767225600000_0001_01_000002"
    assert str(ResourceID.parse(container)) == container
    for bad in ("", "a b", None):
        with pytest.raises(ValueError):
            ResourceID.parse(bad)


def test_the_generator_is_deterministic_for_a_seed():
    """Two generators with one seed make the same ids in the same order; another seed differs."""
    first, second = IdGenerator(42), IdGenerator(42)
    made = [(first.job_id(), first.allocation_id(), first.resource_id()) for _ in range(3)]
    again = [(second.job_id(), second.allocation_id(), second.resource_id()) for _ in range(3)]
    assert made == again
    assert IdGenerator(43).job_id() != made[0][0]
    assert len({ids[0] for ids in made}) == 3


def test_ids_sort_by_their_string_form():
    """Ids of one kind order by their digits, so sorted output is stable."""
    ids = [JobID("f" * 32), JobID("0" * 32), JobID(HEX)]
    assert [str(i) for i in sorted(ids)] == sorted(str(i) for i in ids)
