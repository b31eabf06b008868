"""Tests for :mod:`yarnemu.dfs.status`."""

import attrs
import pytest

from yarnemu.dfs.status import DIRECTORY, FILE, ContentSummary, FileStatus, format_permission

_WEBHDFS_KEYS = {
    "accessTime",
    "blockSize",
    "childrenNum",
    "fileId",
    "group",
    "length",
    "modificationTime",
    "owner",
    "pathSuffix",
    "permission",
    "replication",
    "storagePolicy",
    "type",
}


def _file_status(**changes):
    status = FileStatus(
        path_suffix="flink-dist.jar",
        type=FILE,
        length=208986386,
        owner="root",
        group="supergroup",
        permission="644",
        access_time=1767225600000,
        modification_time=1767225601000,
        block_size=134217728,
        replication=3,
        children_num=0,
        file_id=16390,
    )
    return attrs.evolve(status, **changes)


def test_webhdfs_json_has_every_field_the_java_client_needs():
    """The JSON has exactly WebHDFS's thirteen FileStatus keys, spelled as WebHDFS spells them."""
    assert set(_file_status().to_webhdfs_json()) == _WEBHDFS_KEYS


def test_webhdfs_json_values():
    """Each JSON key carries the matching field."""
    assert _file_status().to_webhdfs_json() == {
        "accessTime": 1767225600000,
        "blockSize": 134217728,
        "childrenNum": 0,
        "fileId": 16390,
        "group": "supergroup",
        "length": 208986386,
        "modificationTime": 1767225601000,
        "owner": "root",
        "pathSuffix": "flink-dist.jar",
        "permission": "644",
        "replication": 3,
        "storagePolicy": 0,
        "type": "FILE",
    }


def test_status_is_frozen():
    """A FileStatus is an immutable value compared by value."""
    status = _file_status()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        status.length = 0
    assert status == _file_status()
    assert not status.is_directory
    assert _file_status(type=DIRECTORY).is_directory


@pytest.mark.parametrize(
    "mode, text", [(0o755, "755"), (0o644, "644"), (0o1777, "1777"), (0o055, "55"), (0, "0")]
)
def test_format_permission(mode, text):
    """Permissions are written in octal without leading zeros, as WebHDFS writes them."""
    assert format_permission(mode) == text


def test_content_summary_json():
    """A ContentSummary's JSON uses WebHDFS's keys, with no quotas."""
    summary = ContentSummary(length=10, file_count=2, directory_count=3, space_consumed=30)
    assert summary.to_webhdfs_json() == {
        "directoryCount": 3,
        "fileCount": 2,
        "length": 10,
        "quota": -1,
        "spaceConsumed": 30,
        "spaceQuota": -1,
        "typeQuota": {},
    }
