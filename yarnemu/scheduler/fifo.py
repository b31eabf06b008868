"""
:class:`FifoScheduler`: one queue, applications served in submission order, no capacity sharing
(``org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler``).

On a node heartbeat each application in submission order (application priorities play no part),
and each of its priorities in turn, gets as many containers as the node can hold: node-local ones
first, then rack-local, then off-switch, with no delay scheduling.  As in Hadoop ("do not assign out
of order w.r.t priorities"), once a priority that the node could serve gets nothing there, the
application's lower priorities get nothing on that node either; a priority whose relaxLocality
rules exclude the node is skipped.  Like Hadoop's, it uses the DefaultResourceCalculator.
"""

from bisect import insort

from yarnemu.records.client_protocol import DEFAULT_QUEUE, QueueInfo
from yarnemu.records.am_protocol import ANY
from yarnemu.records.resource import Resource
from yarnemu.records.states import QueueState
from yarnemu.scheduler.base import SKIP, AbstractScheduler
from yarnemu.scheduler.resource_calculator import DefaultResourceCalculator

__all__ = ["FifoScheduler"]

class FifoScheduler(AbstractScheduler):
    """Every application goes to the one queue, ``default``, whatever queue it names."""

    type_name = "fifoScheduler"

    def __init__(self, config):
        super().__init__(config, DefaultResourceCalculator())
        # The attempts in submission order of their applications, kept sorted as they come and go
        # rather than sorted on every node update.
        self._in_order = []

    def _attempt_added(self, attempt):
        insort(self._in_order, attempt, key=_submission_order)
        super()._attempt_added(attempt)

    def _attempt_removed(self, attempt):
        self._in_order.remove(attempt)

    def _admit(self, application_id, queue, user):
        return DEFAULT_QUEUE, None

    def _queue_name(self, queue):
        return DEFAULT_QUEUE

    def _assign_on_node(self, node):
        allocations = []
        for attempt in self._in_order:
            if not attempt.asks.pending or self._blacklisted(attempt, node):
                continue
            for key in attempt.asks.keys():
                placement = self._placement(attempt, key, node)
                if placement is None or placement is SKIP:
                    continue
                if not node.fits(attempt.asks.entry(key, ANY).capability):
                    break
                # The best locality the asks allow, as often as the node has room.
                while placement is not None and placement is not SKIP:
                    allocations.append(self._allocate(attempt, node, key, placement))
                    if not node.fits(attempt.asks.entry(key, ANY).capability):
                        break
                    placement = self._placement(attempt, key, node)
        return allocations

    def headroom(self, attempt_id):
        return self.available_resource.component_max(Resource.NONE)

    def queue_infos(self):
        """:return: the one queue's :class:`QueueInfo`."""
        return [self.queue_info(DEFAULT_QUEUE)]

    def queue_info(self, name):
        """
        :return: the ``default`` queue's info for any name, as the FifoScheduler answers.
        """
        cluster = self.cluster_resource
        used = self.calculator.ratio(cluster, self.used_resource, cluster)
        return QueueInfo(
            queue_name=DEFAULT_QUEUE,
            queue_path=DEFAULT_QUEUE,
            capacity=1.0,
            maximum_capacity=1.0,
            current_capacity=used,
            queue_state=QueueState.RUNNING,
            applications=tuple(sorted(self.applications)),
        )


def _submission_order(attempt):
    return attempt.application.order
