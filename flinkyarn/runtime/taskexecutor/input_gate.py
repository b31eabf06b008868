"""
The consuming side of the simulated shuffle: :class:`InputGate` asks the producer of each
partition a task reads (at the producer's TaskManager data port) to say when it ends, and tells
its task when all have ended — or the first way one of them broke, worded as Flink's network
stack words it:

- the producer's process died while the consumer waited: ``RemoteTransportException:
  Connection unexpectedly closed by remote task manager '<host>:<port>'. This might indicate
  that the remote task manager was lost.``;
- nothing listens at the producer's data port any more: ``RemoteTransportException: Connecting
  to remote task manager '<host>:<port>' has failed. This might indicate that the remote task
  manager has been lost.``;
- the producer failed or was cancelled: its ``ProducerFailedException``;
- the partition is not at the producer (not deployed yet): asked again after
  ``taskmanager.network.request-backoff.initial`` (100 ms), doubling up to
  ``taskmanager.network.request-backoff.max`` (10 s), then ``PartitionNotFoundException``.
"""

from flinkyarn.runtime.errors import PartitionNotFoundException, RemoteTransportException
from flinkyarn.runtime.messages import SerializedThrowable
from yarnemu.network import ConnectionClosedError, ConnectionRefusedError
from yarnemu.timers import call_later_ms

__all__ = ["InputGate"]


class InputGate:
    """
    :param network: the cluster's :class:`~yarnemu.network.InProcessNetwork`.
    :param clock: the consuming process's clock.
    :param partitions: the :class:`~flinkyarn.runtime.messages.InputPartition` values to read.
    :param configuration: the ``TaskManagerConfiguration`` (request back-off).
    :param on_end: called once all partitions have ended.
    :param on_failure: called with a ``SerializedThrowable`` when one broke.
    """

    def __init__(self, network, clock, partitions, configuration, on_end, on_failure):
        self._network = network
        self._clock = clock
        self._partitions = tuple(partitions)
        self._initial_backoff_ms = configuration.request_backoff_initial_ms
        self._max_backoff_ms = configuration.request_backoff_max_ms
        self._on_end = on_end
        self._on_failure = on_failure
        self._ended = [False] * len(self._partitions)
        self._backoff_ms = [0] * len(self._partitions)
        self._timers = {}
        self.closed = False

    def open(self):
        """Ask every producer; with no inputs at all, the input has ended at once."""
        if not self._partitions:
            self._end()
            return
        for index in range(len(self._partitions)):
            self._request(index)

    def close(self):
        """Stop listening: later answers are ignored."""
        self.closed = True
        timers, self._timers = self._timers, {}
        for timer in timers.values():
            if timer.active():
                timer.cancel()

    def _request(self, index):
        self._timers.pop(index, None)
        if self.closed:
            return
        partition = self._partitions[index]
        d = self._network.call(partition.producer_host, partition.producer_data_port,
                               "await_partition", (partition.partition_id,), caller=self._clock)
        d.addCallbacks(self._partition_ended, self._request_failed, callbackArgs=(index,),
                       errbackArgs=(index,))

    def _partition_ended(self, _, index):
        if self.closed or self._ended[index]:
            return
        self._ended[index] = True
        if all(self._ended):
            self._end()

    def _end(self):
        self.closed = True
        self._on_end()

    def _request_failed(self, failure, index):
        if self.closed:
            return None
        partition = self._partitions[index]
        where = f"{partition.producer_host}:{partition.producer_data_port}"
        if failure.check(PartitionNotFoundException):
            backoff = self._next_backoff(index)
            if backoff is not None:
                self._timers[index] = call_later_ms(self._clock, backoff, self._request, index)
                return None
            error = failure.value
        elif failure.check(ConnectionClosedError):
            error = RemoteTransportException(
                f"Connection unexpectedly closed by remote task manager '{where}'. This might "
                f"indicate that the remote task manager was lost.")
        elif failure.check(ConnectionRefusedError):
            error = RemoteTransportException(
                f"Connecting to remote task manager '{where}' has failed. This might indicate "
                f"that the remote task manager has been lost.")
        else:
            # ProducerFailedException, or whatever else the producer's side raised.
            error = failure.value
        self.close()
        self._on_failure(SerializedThrowable.of(error))
        return None

    def _next_backoff(self, index):
        """Flink's ``InputChannel.increaseBackoff``: initial, doubled, capped, then give up."""
        current = self._backoff_ms[index]
        if current == 0:
            following = self._initial_backoff_ms
        elif current < self._max_backoff_ms:
            following = min(current * 2, self._max_backoff_ms)
        else:
            return None
        self._backoff_ms[index] = following
        return following
