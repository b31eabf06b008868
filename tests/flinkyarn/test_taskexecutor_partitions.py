"""
Tests of :mod:`flinkyarn.runtime.taskexecutor.partitions`: the partitions a TaskManager's tasks
produce, and the answers its data server gives consumers asking when they end.
"""

import pytest

from flinkyarn.runtime.errors import PartitionNotFoundException, ProducerFailedException
from flinkyarn.runtime.taskexecutor.partitions import PartitionRequestServer, ResultPartitionManager


@pytest.fixture
def manager():
    return ResultPartitionManager()


@pytest.fixture
def server(manager):
    return PartitionRequestServer(manager)


def outcome(deferred):
    results = []
    deferred.addBoth(results.append)
    return results[0] if results else "pending"


def test_an_unknown_partition_is_not_found(server):
    """Asking for a partition nobody produces raises PartitionNotFoundException."""
    with pytest.raises(PartitionNotFoundException) as error:
        server.await_partition("p#0")
    assert error.value.message == "Partition p#0 not found."


def test_waiters_hear_when_the_partition_ends(manager, server):
    """Consumers asking while the partition is produced are answered when it ends, late ones
    at once."""
    manager.register("p#0", "attempt-1")
    early = server.await_partition("p#0")
    assert outcome(early) == "pending"
    manager.finish("p#0", "attempt-1")
    assert outcome(early) is None
    assert outcome(server.await_partition("p#0")) is None


def test_waiters_fail_when_the_producer_fails(manager, server):
    """A failed producer fails waiting consumers; the partition is gone afterwards."""
    manager.register("p#0", "attempt-1")
    waiting = server.await_partition("p#0")
    manager.fail("p#0", "attempt-1", "java.lang.Exception: boom")
    assert outcome(waiting).value == ProducerFailedException("java.lang.Exception: boom")
    with pytest.raises(PartitionNotFoundException):
        server.await_partition("p#0")


def test_a_new_attempt_owns_the_partition(manager, server):
    """Once a new attempt registered a partition, the old attempt's end or failure is ignored."""
    manager.register("p#0", "attempt-1")
    old_waiter = server.await_partition("p#0")
    manager.register("p#0", "attempt-2")
    assert outcome(old_waiter).check(ProducerFailedException)
    waiting = server.await_partition("p#0")
    manager.fail("p#0", "attempt-1", "late")
    manager.finish("p#0", "attempt-1")
    assert outcome(waiting) == "pending"
    manager.finish("p#0", "attempt-2")
    assert outcome(waiting) is None
