"""
The producing side of the simulated shuffle: the partitions a TaskManager's tasks produce and
the data server consumers on any TaskManager ask about them.

No records travel: what a consumer needs to know is when each partition it reads *ends* (its
producer finished) or *breaks*.  A consumer asks the producer's TaskManager, at the data port
the TaskDeploymentDescriptor names, with ``await_partition(partition_id)``, answered when the
partition ends.  The answer fails with :class:`ProducerFailedException` if the producer fails or
is cancelled, with :class:`PartitionNotFoundException` for a partition that is not there (its
producer is not deployed yet, or failed), and — through the network — with a closed connection
if the producer's process dies first.

An ended partition stays known for the life of the process, so consumers that ask late (a
blocking exchange read after its producer finished) get their answer at once.  Each partition
belongs to the producer (attempt) that registered it last: what an older attempt of the same
partition does afterwards changes nothing.
"""

from twisted.internet.defer import Deferred, succeed

from flinkyarn.runtime.errors import PartitionNotFoundException, ProducerFailedException

__all__ = ["ResultPartitionManager", "PartitionRequestServer"]

_PRODUCING = "producing"
_FINISHED = "finished"


_REPLACED = "org.apache.flink.runtime.execution.CancelTaskException"


class _Partition:
    __slots__ = ("producer", "state", "waiters")

    def __init__(self, producer):
        self.producer = producer
        self.state = _PRODUCING
        self.waiters = []


class ResultPartitionManager:
    """The partitions this process's tasks produce (Flink's ``ResultPartitionManager``)."""

    def __init__(self):
        self._partitions = {}

    def register(self, partition_id, producer):
        """
        ``producer`` (an execution attempt id) starts producing ``partition_id``; it replaces an
        earlier producer of it, whose waiting consumers fail.
        """
        current = self._partitions.get(partition_id)
        self._partitions[partition_id] = _Partition(producer)
        if current is not None:
            _fail_waiters(current, _REPLACED)

    def finish(self, partition_id, producer):
        """The producer finished: the partition ended; whoever waits hears so."""
        partition = self._partitions.get(partition_id)
        if partition is None or partition.producer != producer or partition.state is _FINISHED:
            return
        partition.state = _FINISHED
        waiters, partition.waiters = partition.waiters, []
        for waiter in waiters:
            waiter.callback(None)

    def fail(self, partition_id, producer, cause):
        """
        The producer failed or was cancelled (``cause``, a ``SerializedThrowable``): the
        partition is gone; whoever waits fails with :class:`ProducerFailedException`.
        """
        partition = self._partitions.get(partition_id)
        if partition is None or partition.producer != producer or partition.state is _FINISHED:
            return
        del self._partitions[partition_id]
        _fail_waiters(partition, cause)

    def await_end(self, partition_id):
        """
        :return: a Deferred firing with ``None`` when the partition has ended.
        :raise PartitionNotFoundException: for a partition that is not here.
        """
        partition = self._partitions.get(partition_id)
        if partition is None:
            raise PartitionNotFoundException(f"Partition {partition_id} not found.")
        if partition.state is _FINISHED:
            return succeed(None)
        waiter = Deferred()
        partition.waiters.append(waiter)
        return waiter


def _fail_waiters(partition, cause):
    waiters, partition.waiters = partition.waiters, []
    for waiter in waiters:
        waiter.errback(ProducerFailedException(str(cause)))


class PartitionRequestServer:
    """
    What a TaskManager serves on its data port (Flink's Netty shuffle server): only
    :meth:`await_partition`.

    :param manager: the process's :class:`ResultPartitionManager`.
    """

    def __init__(self, manager):
        self._manager = manager

    def await_partition(self, partition_id):
        """:return: a Deferred firing when ``partition_id`` has ended (see the module doc)."""
        return self._manager.await_end(partition_id)
