"""
Tests of a TaskExecutor's slots: allocation by the ResourceManager, registration at the job's
JobMaster and slot offers, rejected offers and freed slots (each reported to the
ResourceManager), the slot timeout, and the loss of a JobMaster.
"""

import pytest

from flinkyarn.events import SlotsOffered
from flinkyarn.graph.simulation import UnboundedSource
from flinkyarn.runtime.errors import (
    FlinkException,
    SlotAllocationException,
    TimeoutException,
)
from flinkyarn.runtime.messages import SlotID, SlotOffer, SlotStatus

from .taskexecutor_doubles import TaskExecutorCluster


@pytest.fixture
def flink(tmp_path):
    return TaskExecutorCluster(tmp_path)


@pytest.fixture
def registered(flink):
    """A registered TaskManager: ``(container, registration)``."""
    return flink.start_registered_task_manager("node-1")


def request(flink, registration, job_master, slot_number):
    """Ask for a slot and run until the call is answered; :return: the result or failure."""
    results = []
    _, d = flink.job_manager.resource_manager.request_slot(registration, slot_number, job_master)
    d.addBoth(results.append)
    flink.run_until(lambda: results)
    return results[0]


def test_an_allocated_slot_is_offered_to_the_jobs_job_master(flink, registered):
    """request_slot makes the TaskExecutor register at the JobMaster and offer it the slot."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master, slot_number=1)
    [(registered_at, arguments)] = job_master.of("register_task_manager")
    assert arguments == (registration.address, registration.resource_id, "node-1",
                         registration.data_port, job_master.job_id)
    [(offered_at, (resource_id, offers))] = job_master.of("offer_slots")
    assert offered_at == registered_at
    assert resource_id == registration.resource_id
    assert offers == (SlotOffer(allocation_id, 1, registration.default_slot_profile),)
    [event] = [e for e in flink.events if isinstance(e, SlotsOffered)]
    assert (event.application_id, event.job_id, event.resource_id, event.offered,
            event.accepted) == (flink.application_id, job_master.job_id,
                                str(registration.resource_id), 1, 1)
    lines = flink.log_lines(container)
    assert f"Allocated slot for {allocation_id}." in lines
    assert f"Offer reserved slots to the leader of job {job_master.job_id}." in lines


def test_slot_reports_show_the_allocation(flink, registered):
    """Heartbeat answers to the RM list every slot; those to a JobMaster only its job's slots."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master)
    flink.run(10)
    [(_, (_, report))] = job_master.of("heartbeat_answer")
    slot = SlotStatus(SlotID(registration.resource_id, 0), registration.default_slot_profile,
                      allocation_id, job_master.job_id)
    assert report.statuses == (slot,)
    (_, (_, report)) = flink.job_manager.resource_manager.of("heartbeat_answer")[-1]
    assert report.statuses == (
        slot, SlotStatus(SlotID(registration.resource_id, 1), registration.default_slot_profile))
    assert job_master.lost == []


def test_a_second_slot_for_a_connected_job_is_offered_at_once(flink, registered):
    """Once connected to a job's JobMaster, each new slot is offered without registering again."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    flink.allocate_slot(registration, job_master, 0)
    second = flink.allocate_slot(registration, job_master, 1)
    assert len(job_master.of("register_task_manager")) == 1
    [_, (_, (_, offers))] = job_master.of("offer_slots")
    assert [offer.allocation_id for offer in offers] == [second]


def test_a_rejected_offer_frees_the_slot_and_tells_the_resource_manager(flink, registered):
    """A slot the JobMaster does not accept is freed and reported available to the RM."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    job_master.accept = lambda offer: False
    allocation_id = flink.allocate_slot(registration, job_master)
    flink.run(0.01)
    rm = flink.job_manager.resource_manager
    [(_, arguments)] = rm.of("notify_slot_available")
    assert arguments == (registration.resource_id, f"{1:032x}",
                         SlotID(registration.resource_id, 0), allocation_id)
    [event] = [e for e in flink.events if isinstance(e, SlotsOffered)]
    assert (event.offered, event.accepted) == (1, 0)
    assert any(line.startswith(f"Free slot TaskSlot(index:0, state:ALLOCATED, resource profile: "
                               f"ResourceProfile{{cpuCores=1.0000000000000000, ")
               and line.endswith(f"allocationId: {allocation_id}, jobId: {job_master.job_id}).")
               for line in flink.log_lines(container))
    # Without slots for the job, the TaskExecutor leaves its JobMaster.
    [(_, (resource_id, cause))] = job_master.of("disconnect_task_manager")
    assert cause == FlinkException(f"TaskExecutor {registration.address} has no more allocated "
                                   f"slots for job {job_master.job_id}.")


def test_a_slot_of_another_job_cannot_be_allocated(flink, registered):
    """Requesting an allocated slot for another allocation fails with SlotAllocationException."""
    container, registration = registered
    flink.allocate_slot(registration, flink.job_manager.add_job_master(), 0)
    failure = request(flink, registration, flink.job_manager.add_job_master(), 0)
    assert failure.value == SlotAllocationException(
        f"The slot {SlotID(registration.resource_id, 0)} has already been allocated for a "
        f"different job.")
    failure = request(flink, registration, flink.job_manager.add_job_master(), 2)
    assert failure.check(SlotAllocationException)


def test_a_freed_slot_is_reported_to_the_resource_manager(flink, registered):
    """free_slot frees an idle slot at once and tells the ResourceManager."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master)
    job_master.gateway(registration.resource_id).free_slot(allocation_id, "idle")
    flink.run(0.001)
    [(_, arguments)] = flink.job_manager.resource_manager.of("notify_slot_available")
    assert arguments[2:] == (SlotID(registration.resource_id, 0), allocation_id)


def test_freeing_a_slot_with_a_task_fails_the_task_first(flink, registered):
    """A freed slot's task fails; the slot is reported free once the task is gone."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master)
    tdd = flink.tdd(job_master, allocation_id, simulations=(UnboundedSource(10.0),))
    flink.submit(job_master, registration, tdd)
    flink.run(1)
    freed_at = flink.now_ms()
    job_master.gateway(registration.resource_id).free_slot(allocation_id, "released")
    flink.run(1)
    final = job_master.final_state(tdd.execution_attempt_id)
    assert str(final.state) == "FAILED"
    assert str(final.error) == "org.apache.flink.util.FlinkException: released"
    [(notified, _)] = flink.job_manager.resource_manager.of("notify_slot_available")
    assert notified == freed_at + 10 == job_master.states[-1][0]


def test_a_slot_no_job_master_accepts_times_out(flink, registered):
    """An allocated slot whose JobMaster cannot be reached is freed after pekko.ask.timeout."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    flink.job_manager.rpc.stop_server(job_master.address)
    requested = flink.now_ms()
    allocation_id, _ = flink.job_manager.resource_manager.request_slot(registration, 0,
                                                                      job_master)
    flink.run(30)
    [(notified, arguments)] = flink.job_manager.resource_manager.of("notify_slot_available")
    assert notified - requested == 10000
    lines = flink.log_lines(container)
    assert f"Remove job {job_master.job_id} from job leader monitoring." in lines
    attempts = [line for line in lines if line.startswith("Registration at JobManager")]
    assert len(attempts) == 6


def test_a_declining_job_master_gets_no_slots(flink, registered):
    """A JobMaster that declines the TaskExecutor's registration has its slots freed."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    job_master.decline = "unknown TaskManager"
    allocation_id, _ = flink.job_manager.resource_manager.request_slot(registration, 0,
                                                                      job_master)
    flink.run(0.01)
    [(_, arguments)] = flink.job_manager.resource_manager.of("notify_slot_available")
    assert arguments[3] == allocation_id
    assert job_master.of("offer_slots") == []
    assert (f"The JobManager under {job_master.address} rejected the registration for job "
            f"{job_master.job_id}: unknown TaskManager. Releasing all job related resources."
            in flink.log_lines(container))


def test_a_job_master_heartbeat_timeout_fails_the_jobs_tasks_and_frees_its_slots(flink,
                                                                                 registered):
    """Without the JobMaster's heartbeats for 50 s, its tasks fail and its slots are freed."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master)
    tdd = flink.tdd(job_master, allocation_id, simulations=(UnboundedSource(10.0),))
    flink.submit(job_master, registration, tdd)
    flink.run(15)
    last_heartbeat = job_master.of("heartbeat_answer")[-1][0]
    job_master.heartbeats.stop()
    flink.run(60)
    message = f"The heartbeat of JobManager with id {job_master.resource_id} timed out."
    [timed_out] = flink.logged_at(container, message)
    assert timed_out == last_heartbeat + 50000
    [(disconnected, (_, cause))] = job_master.of("disconnect_task_manager")
    assert disconnected == timed_out and cause == TimeoutException(message)
    final = job_master.final_state(tdd.execution_attempt_id)
    assert str(final.state) == "FAILED"
    assert str(final.error) == (f"org.apache.flink.util.FlinkException: Disconnect from "
                                f"JobManager responsible for {job_master.job_id}.")
    [(notified, arguments)] = flink.job_manager.resource_manager.of("notify_slot_available")
    assert notified == timed_out + 10 and arguments[3] == allocation_id


def test_a_disconnecting_job_master_loses_its_slots(flink, registered):
    """disconnect_job_manager fails the job's tasks and frees its slots here."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master)
    gateway = job_master.gateway(registration.resource_id)
    gateway.disconnect_job_manager(job_master.job_id, FlinkException("job done"))
    flink.run(0.01)
    [(_, arguments)] = flink.job_manager.resource_manager.of("notify_slot_available")
    assert arguments[3] == allocation_id
    assert f"Close JobManager connection for job {job_master.job_id}." in flink.log_lines(
        container)


def test_a_new_slot_for_a_disconnected_job_registers_at_its_job_master_again(flink,
                                                                            registered):
    """A slot allocated to a job whose JobMaster connection was lost makes the TaskExecutor
    register at that JobMaster again and offer it."""
    container, registration = registered
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master, 0)
    tdd = flink.tdd(job_master, allocation_id, simulations=(UnboundedSource(10.0),))
    flink.submit(job_master, registration, tdd)
    flink.run(1)
    job_master.gateway(registration.resource_id).disconnect_job_manager(
        job_master.job_id, FlinkException("leadership lost"))
    flink.run(0.001)
    second = flink.allocate_slot(registration, job_master, 1)
    assert len(job_master.of("register_task_manager")) == 2
    (_, (_, offers)) = job_master.of("offer_slots")[-1]
    assert [offer.allocation_id for offer in offers] == [second]
