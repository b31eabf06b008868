"""
Tests for :mod:`yarnemu.scheduler.fifo` (and the mechanics it shares with every scheduler in
:mod:`yarnemu.scheduler.base`): ordering, locality, blacklists, releases, completions, headroom,
node and attempt removal.
"""

import pytest

from yarnemu.config import YarnConfiguration
from yarnemu.errors import InvalidContainerReleaseException, InvalidResourceBlacklistRequestException
from yarnemu.records.am_protocol import ANY, ResourceRequest
from yarnemu.records.ids import ContainerId
from yarnemu.records.resource import Resource
from yarnemu.records.states import NodeType
from yarnemu.scheduler import Allocation, FifoScheduler
from yarnemu.testing.scheduler_strategies import application_id, attempt_id, node_id

GB = Resource(1024, 1)


def _scheduler(nodes=((1, "/rack0"),), memory=8192, vcores=8):
    """A FifoScheduler with the given (host index, rack) nodes."""
    scheduler = FifoScheduler(YarnConfiguration())
    for index, rack in nodes:
        scheduler.add_node(node_id(index), Resource(memory, vcores), rack, f"host{index}:8042")
    return scheduler


def _submit(scheduler, number, am=None, user="alice", priority=0, queue="default"):
    assert scheduler.add_application(application_id(number), queue, user, priority) is None
    return scheduler.add_attempt(attempt_id(number), am)


def _any(count, priority=1, capability=GB, relax=True, request_id=0):
    return ResourceRequest(priority, ANY, capability, count, relax, allocation_request_id=request_id)


def _node_ask(host, rack, count, relax_rack=True, relax_any=True, priority=1, capability=GB):
    return [
        ResourceRequest(priority, host, capability, count),
        ResourceRequest(priority, rack, capability, count, relax_rack),
        ResourceRequest(priority, ANY, capability, count, relax_any),
    ]


def _owners(allocations):
    return [allocation.attempt_id.application_id.id for allocation in allocations]


# The AM container and containers


def test_am_container_is_allocated_first_with_container_number_one():
    """An attempt with an AM resource gets its AM container (priority 0, container 1, is_am) on a heartbeat."""
    scheduler = _scheduler()
    _submit(scheduler, 1, am=Resource(1024, 1))
    [allocation] = scheduler.node_update(node_id(1))
    assert isinstance(allocation, Allocation)
    assert allocation.is_am
    assert allocation.queue == "default"
    container = allocation.container
    assert container.id == ContainerId(attempt_id(1), 1)
    assert (container.priority, container.resource, container.user) == (0, GB, "alice")
    assert (container.node_id, container.node_http_address) == (node_id(1), "host1:8042")
    assert scheduler.attempts[attempt_id(1)].am_pending is False


def test_containers_carry_their_request_key():
    """Allocated containers carry the priority and allocationRequestId they were asked with, numbered in order."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(1, priority=2, request_id=7), _any(1, priority=3)])
    allocations = scheduler.node_update(node_id(1))
    assert [(a.container.priority, a.container.allocation_request_id) for a in allocations] == [(2, 7), (3, 0)]
    assert [a.container.id.container_id for a in allocations] == [1, 2]
    assert not any(a.is_am for a in allocations)


def test_node_update_without_pending_asks_returns_nothing():
    """A heartbeat while nothing is pending, or from an unknown node, allocates nothing."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    assert scheduler.node_update(node_id(1)) == []
    scheduler.update_asks(attempt_id(1), [_any(1)])
    assert scheduler.node_update(node_id(99)) == []
    assert scheduler.pending == 1


# Ordering


def test_applications_are_served_in_submission_order():
    """The earlier-submitted application gets the node first; later ones get what is left."""
    scheduler = _scheduler(memory=4096)
    for number in (1, 2):
        _submit(scheduler, number)
    scheduler.update_asks(attempt_id(2), [_any(3)])
    scheduler.update_asks(attempt_id(1), [_any(3)])
    assert _owners(scheduler.node_update(node_id(1))) == [1, 1, 1, 2]


def test_application_priority_does_not_reorder_the_fifo_queue():
    """The FifoScheduler serves applications in submission order whatever priority they were submitted with."""
    scheduler = _scheduler(memory=2048)
    _submit(scheduler, 1, priority=0)
    _submit(scheduler, 2, priority=10)
    for number in (1, 2):
        scheduler.update_asks(attempt_id(number), [_any(2)])
    assert _owners(scheduler.node_update(node_id(1))) == [1, 1]


def test_lower_priority_number_first():
    """Within an application, requests with a lower priority number are served first."""
    scheduler = _scheduler(memory=3072)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(2, priority=5), _any(2, priority=2)])
    allocations = scheduler.node_update(node_id(1))
    assert [a.container.priority for a in allocations] == [2, 2, 5]


def test_a_priority_that_does_not_fit_blocks_lower_priorities_on_the_node():
    """As in Hadoop ("do not assign out of order w.r.t priorities"), if the first priority gets nothing on a node, lower ones get nothing there either."""
    scheduler = _scheduler(memory=4096)
    _submit(scheduler, 1)
    _submit(scheduler, 2)
    scheduler.update_asks(attempt_id(1), [_any(1, priority=1, capability=Resource(6144, 1)),
                                          _any(2, priority=2)])
    scheduler.update_asks(attempt_id(2), [_any(1)])
    assert _owners(scheduler.node_update(node_id(1))) == [2]


def test_as_many_containers_per_heartbeat_as_fit():
    """One heartbeat allocates every container that fits on the node; the rest go to the next node."""
    scheduler = _scheduler(nodes=((1, "/rack0"), (2, "/rack0")))
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(10)])
    assert len(scheduler.node_update(node_id(1))) == 8
    assert len(scheduler.node_update(node_id(2))) == 2
    assert scheduler.pending == 0


def test_vcores_limit_what_fits():
    """A node is never over-committed in vcores, even though the DefaultResourceCalculator only compares memory."""
    scheduler = _scheduler(memory=8192, vcores=3)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(8)])
    assert len(scheduler.node_update(node_id(1))) == 3
    assert scheduler.nodes[node_id(1)].used == Resource(3072, 3)


# Locality


TWO_RACKS = ((1, "/rack0"), (2, "/rack0"), (3, "/rack1"))


def test_node_local_placement_on_the_requested_node():
    """A node request is served NODE_LOCAL on that node's heartbeat."""
    scheduler = _scheduler(TWO_RACKS)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host2", "/rack0", 1))
    [allocation] = scheduler.node_update(node_id(2))
    assert allocation.locality is NodeType.NODE_LOCAL


def test_rack_local_placement_without_delay():
    """The FifoScheduler places a node request RACK_LOCAL on another node of the rack at once."""
    scheduler = _scheduler(TWO_RACKS)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host2", "/rack0", 1))
    [allocation] = scheduler.node_update(node_id(1))
    assert allocation.locality is NodeType.RACK_LOCAL
    assert allocation.container.node_id == node_id(1)


def test_off_switch_placement_without_delay():
    """A relaxed node request is placed OFF_SWITCH on a node of another rack at once."""
    scheduler = _scheduler(TWO_RACKS)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host2", "/rack0", 1))
    [allocation] = scheduler.node_update(node_id(3))
    assert allocation.locality is NodeType.OFF_SWITCH


def test_locality_order_node_then_rack_then_any():
    """On one heartbeat, node-local containers come first, then rack-local, then off-switch."""
    scheduler = _scheduler(TWO_RACKS)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [
        ResourceRequest(1, "host1", GB, 1),
        ResourceRequest(1, "/rack0", GB, 2),
        ResourceRequest(1, ANY, GB, 3),
    ])
    localities = [a.locality for a in scheduler.node_update(node_id(1))]
    assert localities == [NodeType.NODE_LOCAL, NodeType.RACK_LOCAL, NodeType.OFF_SWITCH]


def test_strict_node_request_is_only_placed_on_that_node():
    """With relaxLocality false on the rack and ANY, a node request is placed only on its node."""
    scheduler = _scheduler(TWO_RACKS)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host2", "/rack0", 2, relax_rack=False, relax_any=False))
    assert scheduler.node_update(node_id(1)) == []
    assert scheduler.node_update(node_id(3)) == []
    allocations = scheduler.node_update(node_id(2))
    assert [a.locality for a in allocations] == [NodeType.NODE_LOCAL] * 2


def test_strict_rack_request_stays_in_the_rack():
    """A rack request with relaxLocality false on ANY is placed on the rack's nodes only."""
    scheduler = _scheduler(TWO_RACKS)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [ResourceRequest(1, "/rack0", GB, 1),
                                          ResourceRequest(1, ANY, GB, 1, relax_locality=False)])
    assert scheduler.node_update(node_id(3)) == []
    [allocation] = scheduler.node_update(node_id(2))
    assert allocation.locality is NodeType.RACK_LOCAL


def test_a_strict_request_elsewhere_does_not_block_lower_priorities():
    """A strict request for another node skips its priority; the application's lower priorities are still served."""
    scheduler = _scheduler(TWO_RACKS)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host2", "/rack0", 1, False, False, priority=1)
                          + [_any(1, priority=2)])
    [allocation] = scheduler.node_update(node_id(3))
    assert allocation.container.priority == 2


# Blacklist


def test_blacklisted_host_gets_nothing():
    """An attempt gets no containers on a blacklisted host until it is removed from the blacklist."""
    scheduler = _scheduler(TWO_RACKS)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(1)])
    scheduler.update_blacklist(attempt_id(1), additions=["host1"])
    assert scheduler.node_update(node_id(1)) == []
    scheduler.update_blacklist(attempt_id(1), removals=["host1"])
    assert len(scheduler.node_update(node_id(1))) == 1


def test_blacklisted_rack_gets_nothing():
    """Blacklisting a rack keeps the attempt off every node of that rack."""
    scheduler = _scheduler(TWO_RACKS)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(1)])
    scheduler.update_blacklist(attempt_id(1), additions=["/rack0"])
    assert scheduler.node_update(node_id(1)) == []
    assert scheduler.node_update(node_id(2)) == []
    assert scheduler.node_update(node_id(3))[0].container.node_id == node_id(3)


def test_blacklist_is_per_attempt():
    """One attempt's blacklist does not stop another application on that node."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    _submit(scheduler, 2)
    scheduler.update_blacklist(attempt_id(1), additions=["host1"])
    for number in (1, 2):
        scheduler.update_asks(attempt_id(number), [_any(1)])
    assert _owners(scheduler.node_update(node_id(1))) == [2]


def test_any_cannot_be_blacklisted():
    """Blacklisting * raises InvalidResourceBlacklistRequestException with Hadoop's message."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    with pytest.raises(InvalidResourceBlacklistRequestException) as raised:
        scheduler.update_blacklist(attempt_id(1), additions=["host1", ANY])
    assert raised.value.message == "Cannot add * to the blacklist!"
    assert scheduler.attempts[attempt_id(1)].blacklist == set()


# Release and completion


def _one_container(scheduler, number=1):
    scheduler.update_asks(attempt_id(number), [_any(1)])
    [allocation] = scheduler.node_update(node_id(1))
    return allocation.container.id


def test_release_frees_the_container():
    """Releasing a container returns it and frees its resources on the node and in the cluster."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    container_id = _one_container(scheduler)
    [released] = scheduler.release(attempt_id(1), [container_id])
    assert released.container_id == container_id
    assert scheduler.used_resource == Resource.NONE
    assert scheduler.nodes[node_id(1)].used == Resource.NONE
    assert scheduler.attempts[attempt_id(1)].used == Resource.NONE
    assert container_id not in scheduler.containers


def test_releasing_an_unknown_container_is_ignored():
    """Ids of containers that are no longer live are ignored, as Hadoop ignores them."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    container_id = _one_container(scheduler)
    scheduler.release(attempt_id(1), [container_id])
    assert scheduler.release(attempt_id(1), [container_id]) == []


def test_releasing_another_attempts_container_is_refused():
    """Releasing a container of another attempt raises Hadoop's InvalidContainerReleaseException and releases nothing."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    _submit(scheduler, 2)
    mine = _one_container(scheduler, 1)
    theirs = _one_container(scheduler, 2)
    with pytest.raises(InvalidContainerReleaseException) as raised:
        scheduler.release(attempt_id(1), [mine, theirs])
    assert raised.value.message == (
        f"Cannot release container : {theirs} not belonging to this application attempt : "
        f"{attempt_id(1)}"
    )
    assert set(scheduler.containers) == {mine, theirs}


def test_complete_frees_the_container():
    """A completed container stops holding resources; completing it again returns None."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    container_id = _one_container(scheduler)
    assert scheduler.complete(container_id).container_id == container_id
    assert scheduler.used_resource == Resource.NONE
    assert scheduler.complete(container_id) is None


def test_freed_resources_are_allocated_again():
    """After a container completes, the node's next heartbeat can give the room to a waiting ask."""
    scheduler = _scheduler(memory=1024)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(2)])
    [first] = scheduler.node_update(node_id(1))
    assert scheduler.node_update(node_id(1)) == []
    scheduler.complete(first.container.id)
    assert len(scheduler.node_update(node_id(1))) == 1


# Headroom


def test_headroom_is_what_the_cluster_has_available():
    """The FifoScheduler's headroom is the cluster's unallocated resource."""
    scheduler = _scheduler(nodes=((1, "/rack0"), (2, "/rack0")))
    _submit(scheduler, 1)
    assert scheduler.headroom(attempt_id(1)) == Resource(16384, 16)
    scheduler.update_asks(attempt_id(1), [_any(3)])
    scheduler.node_update(node_id(1))
    assert scheduler.headroom(attempt_id(1)) == Resource(16384 - 3072, 13)


# Nodes


def test_cluster_resource_follows_nodes():
    """Adding and removing nodes changes the cluster resource; a node id may not be added twice."""
    scheduler = _scheduler(nodes=((1, "/rack0"), (2, "/rack1")))
    assert scheduler.cluster_resource == Resource(16384, 16)
    assert scheduler.num_nodes == 2
    with pytest.raises(ValueError):
        scheduler.add_node(node_id(1), GB)
    scheduler.remove_node(node_id(2))
    assert scheduler.cluster_resource == Resource(8192, 8)
    assert scheduler.remove_node(node_id(2)) == []


def test_remove_node_returns_its_containers_and_frees_them():
    """Removing a node returns the containers that were on it and they stop holding resources."""
    scheduler = _scheduler(nodes=((1, "/rack0"), (2, "/rack0")), memory=2048)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(4)])
    on_first = scheduler.node_update(node_id(1))
    on_second = scheduler.node_update(node_id(2))
    removed = scheduler.remove_node(node_id(1))
    assert sorted(live.container_id for live in removed) == sorted(a.container.id for a in on_first)
    assert set(scheduler.containers) == {a.container.id for a in on_second}
    assert scheduler.used_resource == Resource(2048, 2)
    assert scheduler.attempts[attempt_id(1)].used == Resource(2048, 2)
    assert scheduler.available_resource == Resource(0, 6)


# Attempts and applications


def test_removing_an_attempt_releases_its_containers():
    """Removing an attempt releases all its containers, the AM container included."""
    scheduler = _scheduler()
    _submit(scheduler, 1, am=GB)
    scheduler.update_asks(attempt_id(1), [_any(2)])
    allocations = scheduler.node_update(node_id(1))
    released = scheduler.remove_attempt(attempt_id(1))
    assert sorted(live.container_id for live in released) == sorted(a.container.id for a in allocations)
    assert scheduler.containers == {}
    assert scheduler.used_resource == Resource.NONE
    assert scheduler.pending == 0
    assert scheduler.remove_attempt(attempt_id(1)) == []


def test_removing_an_attempt_drops_its_pending_asks():
    """A removed attempt's outstanding asks no longer count as pending."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(5)])
    scheduler.remove_attempt(attempt_id(1))
    assert scheduler.pending == 0
    assert scheduler.node_update(node_id(1)) == []


def test_kept_containers_pass_to_the_next_attempt():
    """With keep_containers, the non-AM containers survive the attempt and the next attempt takes them over."""
    scheduler = _scheduler()
    _submit(scheduler, 1, am=GB)
    scheduler.update_asks(attempt_id(1), [_any(2)])
    allocations = scheduler.node_update(node_id(1))
    am = next(a.container.id for a in allocations if a.is_am)
    workers = sorted(a.container.id for a in allocations if not a.is_am)
    released = scheduler.remove_attempt(attempt_id(1), keep_containers=True)
    assert [live.container_id for live in released] == [am]
    assert sorted(scheduler.containers) == workers
    second = attempt_id(1, 2)
    kept = scheduler.add_attempt(second, GB)
    assert sorted(live.container_id for live in kept) == workers
    attempt = scheduler.attempts[second]
    assert attempt.used == Resource(2048, 2)
    assert scheduler.release(second, [workers[0]])[0].container_id == workers[0]
    [new_am] = scheduler.node_update(node_id(1))
    assert new_am.is_am
    assert new_am.container.id == ContainerId(second, 1)


def test_kept_containers_are_freed_when_the_application_leaves():
    """Containers kept for a next attempt that never comes are freed when the application is removed."""
    scheduler = _scheduler()
    _submit(scheduler, 1, am=GB)
    scheduler.update_asks(attempt_id(1), [_any(2)])
    scheduler.node_update(node_id(1))
    scheduler.remove_attempt(attempt_id(1), keep_containers=True)
    assert scheduler.used_resource == Resource(2048, 2)
    scheduler.remove_application(application_id(1))
    assert scheduler.containers == {}
    assert scheduler.used_resource == Resource.NONE
    assert scheduler.nodes[node_id(1)].used == Resource.NONE


def test_kept_container_on_a_removed_node_is_not_handed_over():
    """A kept container whose node is removed before the next attempt is not passed to that attempt."""
    scheduler = _scheduler(nodes=((1, "/rack0"), (2, "/rack0")), memory=2048)
    _submit(scheduler, 1, am=GB)
    scheduler.update_asks(attempt_id(1), [_any(3)])
    scheduler.node_update(node_id(1))
    on_second = [a.container.id for a in scheduler.node_update(node_id(2))]
    scheduler.remove_attempt(attempt_id(1), keep_containers=True)
    scheduler.remove_node(node_id(2))
    kept = scheduler.add_attempt(attempt_id(1, 2), GB)
    assert not {live.container_id for live in kept} & set(on_second)
    assert len(kept) == 1


def test_every_application_goes_to_the_default_queue():
    """Whatever queue an application names, the FifoScheduler admits it to default."""
    scheduler = _scheduler()
    assert scheduler.add_application(application_id(1), "root.anything", "alice") is None
    assert scheduler.queue_of(application_id(1)) == "default"
    [info] = scheduler.queue_infos()
    assert (info.queue_name, info.applications) == ("default", (application_id(1),))
    assert scheduler.queue_info("other").queue_name == "default"


def test_queue_info_reports_used_capacity():
    """The default queue's current capacity is the used fraction of the cluster's memory."""
    scheduler = _scheduler(memory=4096)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(1)])
    scheduler.node_update(node_id(1))
    assert scheduler.queue_info("default").current_capacity == 0.25
