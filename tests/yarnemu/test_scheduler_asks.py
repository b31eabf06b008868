"""
Tests for :mod:`yarnemu.scheduler.asks`: asks are absolute totals per (priority,
allocationRequestId, resourceName), and allocation consumes them by locality.
"""

import pytest

from yarnemu.config import YarnConfiguration
from yarnemu.records.am_protocol import ANY, ResourceRequest
from yarnemu.records.resource import Resource
from yarnemu.records.states import NodeType
from yarnemu.scheduler import CapacityScheduler, FifoScheduler
from yarnemu.scheduler.asks import AskTable
from yarnemu.testing.scheduler_strategies import application_id, attempt_id, node_id

GB = Resource(1024, 1)


def _request(name, count, priority=1, relax=True, request_id=0, capability=GB):
    return ResourceRequest(priority, name, capability, count, relax, allocation_request_id=request_id)


def _table(*requests):
    table = AskTable()
    for request in requests:
        table.update(request)
    return table


def _counts(table, key=(1, 0)):
    return {name: entry.count for k, name, entry in table.items() if k == key}


# AskTable


def test_an_update_replaces_the_stored_total():
    """A second ask for the same key and resource name replaces the first, it does not add to it."""
    table = _table(_request(ANY, 3))
    assert table.update(_request(ANY, 5)) == 2
    assert table.any_count((1, 0)) == 5
    assert table.pending == 5
    assert table.update(_request(ANY, 2)) == -3
    assert table.pending == 2


def test_zero_containers_cancels_the_key():
    """num_containers 0 for ANY leaves nothing pending for the key."""
    table = _table(_request(ANY, 4), _request("host1", 4), _request("/rack0", 4))
    assert table.update(_request(ANY, 0)) == -4
    assert table.pending == 0
    assert table.any_count((1, 0)) == 0


def test_pending_tracks_only_any_totals():
    """Node and rack asks do not change pending; only the ANY totals count."""
    table = AskTable()
    assert table.update(_request("host1", 7)) == 0
    assert table.update(_request("/rack0", 7)) == 0
    assert table.pending == 0
    assert table.update(_request(ANY, 2)) == 2
    assert table.pending == 2


def test_keys_are_priority_and_allocation_request_id():
    """Asks with different priorities or allocation request ids are separate totals, all pending."""
    table = _table(
        _request(ANY, 1, priority=1),
        _request(ANY, 2, priority=2),
        _request(ANY, 3, priority=1, request_id=9),
    )
    assert table.pending == 6
    assert table.any_count((1, 0)) == 1
    assert table.any_count((2, 0)) == 2
    assert table.any_count((1, 9)) == 3
    assert table.any_count((5, 0)) == 0


def test_keys_are_in_priority_order():
    """keys() lists the lowest priority number first, whatever the order asks came in."""
    table = _table(_request(ANY, 1, priority=5), _request(ANY, 1, priority=1),
                   _request(ANY, 1, priority=3, request_id=2), _request(ANY, 1, priority=3))
    assert table.keys() == [(1, 0), (3, 0), (3, 2), (5, 0)]


def test_update_keeps_the_latest_capability_and_relax_flag():
    """The stored entry takes the capability and relaxLocality of the latest ask."""
    table = _table(_request(ANY, 1), _request(ANY, 1, relax=False, capability=Resource(2048, 1)))
    entry = table.entry((1, 0), ANY)
    assert (entry.capability, entry.count, entry.relax_locality) == (Resource(2048, 1), 1, False)


def test_entry_for_unknown_key_or_name_is_none():
    """entry() answers None for a key or resource name never asked for."""
    table = _table(_request(ANY, 1))
    assert table.entry((2, 0), ANY) is None
    assert table.entry((1, 0), "host9") is None


@pytest.mark.parametrize(
    "locality, expected",
    [
        (NodeType.NODE_LOCAL, {"host1": 1, "/rack0": 2, ANY: 3}),
        (NodeType.RACK_LOCAL, {"host1": 2, "/rack0": 2, ANY: 3}),
        (NodeType.OFF_SWITCH, {"host1": 2, "/rack0": 3, ANY: 3}),
    ],
)
def test_consume_decrements_by_locality(locality, expected):
    """Node-local consumes node, rack and ANY; rack-local consumes rack and ANY; off-switch only ANY."""
    table = _table(_request("host1", 2), _request("/rack0", 3), _request(ANY, 4))
    table.consume((1, 0), "host1", "/rack0", locality)
    assert _counts(table) == expected
    assert table.pending == 3


def test_consume_never_goes_below_zero_and_tolerates_missing_entries():
    """Consuming where a node or rack entry is missing or already zero leaves it so."""
    table = _table(_request("/rack0", 0), _request(ANY, 2))
    table.consume((1, 0), "host1", "/rack0", NodeType.NODE_LOCAL)
    assert _counts(table) == {"/rack0": 0, ANY: 1}


def test_distinct_locations_counts_resource_names():
    """distinct_locations is the number of resource names asked for under the key."""
    table = _table(_request("host1", 1), _request("host2", 1), _request("/rack0", 2), _request(ANY, 2))
    assert table.distinct_locations((1, 0)) == 4
    assert table.distinct_locations((2, 0)) == 0


# Through the scheduler


def _fifo_with_attempt():
    scheduler = FifoScheduler(YarnConfiguration())
    scheduler.add_node(node_id(1), Resource(8192, 8), "/rack0")
    scheduler.add_application(application_id(1), "default", "alice")
    scheduler.add_attempt(attempt_id(1))
    return scheduler


def test_scheduler_pending_follows_absolute_updates():
    """The scheduler's pending count moves by the difference between the old and new ANY totals."""
    scheduler = _fifo_with_attempt()
    scheduler.update_asks(attempt_id(1), [_request(ANY, 3)])
    assert scheduler.pending == 3
    scheduler.update_asks(attempt_id(1), [_request(ANY, 5)])
    assert scheduler.pending == 5
    scheduler.update_asks(attempt_id(1), [_request(ANY, 0)])
    assert scheduler.pending == 0
    assert scheduler.node_update(node_id(1)) == []


def test_resending_a_stale_total_over_allocates():
    """Re-sending the original total after some containers were allocated asks for that many again (YARN-1902)."""
    scheduler = _fifo_with_attempt()
    scheduler.update_asks(attempt_id(1), [_request(ANY, 2)])
    assert len(scheduler.node_update(node_id(1))) == 2
    assert scheduler.pending == 0
    scheduler.update_asks(attempt_id(1), [_request(ANY, 2)])
    assert scheduler.pending == 2
    assert len(scheduler.node_update(node_id(1))) == 2
    assert len(scheduler.attempts[attempt_id(1)].live) == 4


def test_allocation_consumes_node_rack_and_any():
    """A node-local allocation decrements the node, rack and ANY totals of its key."""
    scheduler = _fifo_with_attempt()
    scheduler.update_asks(attempt_id(1), [_request("host1", 1), _request("/rack0", 1), _request(ANY, 1)])
    [allocation] = scheduler.node_update(node_id(1))
    assert allocation.locality is NodeType.NODE_LOCAL
    assert _counts(scheduler.attempts[attempt_id(1)].asks) == {"host1": 0, "/rack0": 0, ANY: 0}


def test_pending_counts_only_active_attempts():
    """Asks of an attempt that the CapacityScheduler has not activated do not count in pending until it is."""
    config = YarnConfiguration({"yarn.scheduler.capacity.maximum-am-resource-percent": 0.1})
    scheduler = CapacityScheduler(config)
    scheduler.add_node(node_id(1), Resource(10240, 8), "/rack0")
    for number in (1, 2):
        scheduler.add_application(application_id(number), "default", "alice")
        scheduler.add_attempt(attempt_id(number), Resource(1024, 1))
    first, second = scheduler.attempts[attempt_id(1)], scheduler.attempts[attempt_id(2)]
    assert (first.active, second.active) == (True, False)
    assert scheduler.pending == 1
    scheduler.update_asks(attempt_id(2), [_request(ANY, 4)])
    assert scheduler.pending == 1
    scheduler.remove_attempt(attempt_id(1))
    assert second.active
    assert scheduler.pending == 5
