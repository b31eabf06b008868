"""
Tests for the pieces of stop-with-savepoint on their own:
:class:`~flinkyarn.runtime.jobmaster.savepoint_storage.SavepointStorage` (where savepoints go on
the fake HDFS) and :class:`~flinkyarn.runtime.dispatcher.operation_cache.CompletedOperationCache`
(savepoint operations and their results, and the wait before a cluster shuts down).
"""

import json
import random

import pytest
from twisted.internet.defer import Deferred, fail, succeed
from twisted.internet.task import Clock

from flinkyarn.graph.errors import IllegalStateException
from flinkyarn.runtime.dispatcher.operation_cache import (
    FAILURE,
    IN_PROGRESS,
    SUCCESS,
    CompletedOperationCache,
)
from flinkyarn.runtime.errors import FlinkIOException, UnsupportedFileSystemSchemeException
from flinkyarn.runtime.jobmaster.savepoint_storage import SavepointStorage
from flinkyarn.runtime.messages import CheckpointStats
from yarnemu.dfs import FakeHDFS

JOB = "e3e70682c2094cac629f6fbed82c07cd"


@pytest.fixture
def fs(tmp_path):
    return FakeHDFS(str(tmp_path / "hdfs"), Clock())


@pytest.fixture
def storage(fs):
    return SavepointStorage(fs, "alice", random.Random(7))


@pytest.mark.parametrize("target, directory, pointer", [
    ("hdfs:///sp", "/sp", "hdfs:///sp"),
    ("hdfs://namenode:8020/sp/", "/sp", "hdfs://namenode:8020/sp"),
    ("/a/../sp", "/sp", "hdfs:///sp"),
    ("sp", "/user/alice/sp", "hdfs:///user/alice/sp"),
])
def test_a_savepoint_directory_is_made_under_the_target_on_hdfs(fs, storage, target, directory,
                                                                  pointer):
    location = storage.initialize_location(target, JOB)
    assert location.path.startswith(f"{directory}/savepoint-e3e706-")
    assert len(location.path.rsplit("-", 1)[1]) == 12
    assert location.pointer == pointer + location.path[len(directory):]
    assert fs.get_file_status(location.path).type == "DIRECTORY"


def test_two_savepoints_get_two_directories(storage):
    assert storage.initialize_location("/sp", JOB) != storage.initialize_location("/sp", JOB)


@pytest.mark.parametrize("target", ["file:///tmp/sp", "s3://bucket/sp", "FILE:/x"])
def test_other_file_systems_are_unsupported(storage, target):
    with pytest.raises(UnsupportedFileSystemSchemeException) as raised:
        storage.initialize_location(target, JOB)
    assert raised.value.message.startswith("Could not find a file system implementation for "
                                           f"scheme '{target.split(':')[0]}'.")


@pytest.mark.parametrize("target", ["", "/x/a:b", "hdfs:///../x"])
def test_a_bad_path_is_an_io_exception(storage, target):
    with pytest.raises(FlinkIOException) as raised:
        storage.initialize_location(target, JOB)
    assert raised.value.message == f"Failed to create savepoint directory at {target}"


def test_the_metadata_records_the_offsets(fs, storage):
    location = storage.initialize_location("/sp", JOB)
    stats = CheckpointStats(4, 1000, 1100, {("v2", 1): 7, ("v1", 0): 5},
                            savepoint="Suspend Savepoint", external_path=location.pointer)
    storage.write_metadata(location, JOB, stats)
    saved = json.loads(fs.read_bytes(location.metadata_path))
    assert (saved["jobId"], saved["checkpointId"], saved["savepointType"]) == (
        JOB, 4, "Suspend Savepoint")
    assert saved["sourceOffsets"] == [
        {"vertexId": "v1", "subtaskIndex": 0, "offset": 5},
        {"vertexId": "v2", "subtaskIndex": 1, "offset": 7}]


# -- CompletedOperationCache ------------------------------------------------------------------------

def test_an_operation_is_in_progress_until_its_result_then_keeps_it():
    clock, result = Clock(), Deferred()
    cache = CompletedOperationCache(clock, 10_000)
    cache.register("key", lambda: result)
    assert cache.contains("key") and cache.get("key").status == IN_PROGRESS
    result.callback("hdfs:///sp/savepoint-1")
    assert (cache.get("key").status, cache.get("key").value) == (SUCCESS, "hdfs:///sp/savepoint-1")
    clock.advance(10)
    assert cache.get("key") is None and not cache.contains("key")


def test_a_failed_operation_keeps_its_error():
    cache = CompletedOperationCache(Clock())
    error = FlinkIOException("no")
    cache.register("key", lambda: fail(error))
    assert (cache.get("key").status, cache.get("key").error) == (FAILURE, error)


def test_closing_waits_until_every_result_was_read():
    clock, result = Clock(), Deferred()
    cache = CompletedOperationCache(clock, 10_000)
    cache.register("read", lambda: succeed(1))
    cache.register("pending", lambda: result)
    closed = []
    cache.close().addCallback(closed.append)
    cache.get("read")
    result.callback(2)
    assert closed == []
    cache.get("pending")
    assert closed == [None]
    assert cache.close().called
    with pytest.raises(IllegalStateException):
        cache.register("late", lambda: succeed(3))


def test_closing_gives_up_after_the_store_duration():
    clock, logged = Clock(), []
    cache = CompletedOperationCache(clock, 10_000, logged.append)
    cache.register("never done", Deferred)
    closed = []
    cache.close().addCallback(closed.append)
    clock.advance(9.9)
    assert closed == []
    clock.advance(0.1)
    assert closed == [None]
    assert logged == ["Waiting for results to be accessed timed out after 10 seconds."]


def test_an_evicted_result_no_longer_holds_the_close_up():
    clock, logged = Clock(), []
    cache = CompletedOperationCache(clock, 10_000, logged.append)
    cache.register(("0" * 32, JOB), lambda: succeed(1))
    closed = []
    clock.advance(5)
    cache.close().addCallback(closed.append)
    clock.advance(5)
    assert closed == [None]
    assert logged == [f"Evicted result with trigger id {'0' * 32} because its TTL of 10s has "
                      "expired."]


def test_closing_an_empty_cache_is_done_at_once():
    clock = Clock()
    assert CompletedOperationCache(clock).close().called
    assert clock.getDelayedCalls() == []


def test_an_operation_that_raises_is_a_failed_operation():
    cache = CompletedOperationCache(Clock())

    def raising():
        raise IllegalStateException("not a streaming job")

    cache.register(("t", "j"), raising)
    result = cache.get(("t", "j"))
    assert result.status == FAILURE and str(result.error) == "not a streaming job"


def test_a_closed_cache_leaves_no_timers_behind():
    clock = Clock()
    cache = CompletedOperationCache(clock, 10_000)
    cache.register(("t", "j"), lambda: succeed("hdfs:///sp"))
    assert len(clock.getDelayedCalls()) == 1  # its eviction
    cache.get(("t", "j"))
    assert cache.close().called
    assert clock.getDelayedCalls() == []
