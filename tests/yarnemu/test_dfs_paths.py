"""Tests for :mod:`yarnemu.dfs.paths`."""

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yarnemu.dfs.errors import AccessControlException, InvalidPathException
from yarnemu.dfs.paths import (
    DiskTree,
    ancestors_of,
    child_of,
    components,
    is_within,
    name_of,
    normalize,
    parent_of,
    path_from_uri,
)


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("/", "/"),
        ("//", "/"),
        ("/user/alice", "/user/alice"),
        ("/user/alice/", "/user/alice"),
        ("//user///alice//", "/user/alice"),
        ("/user/./alice/.", "/user/alice"),
        ("/user/bob/../alice", "/user/alice"),
        ("/a/b/../../c", "/c"),
        ("/a/..", "/"),
        ("/%2e%2e/x", "/%2e%2e/x"),
        ("/.../x", "/.../x"),
        ("/a/ ../b", "/a/ ../b"),
        ("/a\\..\\..", "/a\\..\\.."),
        ("/dir with spaces/ünïcødé", "/dir with spaces/ünïcødé"),
    ],
)
def test_normalize(raw, normalized):
    """Slash paths lose empty and ``.`` components, resolve ``..`` lexically, keep odd names."""
    assert normalize(raw) == normalized


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "user/alice",
        "./x",
        "../x",
        "/..",
        "/a/../..",
        "/a/../../etc/passwd",
        "hdfs://nn:8020/user",
        "webhdfs://nn/user",
        "file:///etc",
        "/a\0b",
        "/a:b",
        "/.yarnemu-partial-x",
        "/ok/\udcff",
        None,
        b"/bytes",
    ],
)
def test_normalize_refuses(raw):
    """Relative paths, URIs, NUL, ``:``, reserved and non-UTF-8 names and escapes are invalid."""
    with pytest.raises(InvalidPathException):
        normalize(raw)


def test_invalid_path_wording():
    """An invalid path is reported with HDFS's class and wording."""
    with pytest.raises(InvalidPathException) as caught:
        normalize("/a/../..")
    assert caught.value.message == "Invalid path name Invalid file name: /a/../.."
    assert caught.value.java_class == "org.apache.hadoop.fs.InvalidPathException"
    assert caught.value.exception_name() == "InvalidPathException"


@pytest.mark.parametrize(
    "uri, path",
    [
        ("hdfs://nn:8020/user/root/.flink/app_1_0001", "/user/root/.flink/app_1_0001"),
        ("webhdfs://127.0.0.1:9870/user/root", "/user/root"),
        ("HDFS://nn/x", "/x"),
        ("hdfs:///tmp/x", "/tmp/x"),
        ("hdfs://nn", "/"),
        ("hdfs://nn/a%20b", "/a b"),
        ("hdfs://nn//a/./b/../c", "/a/c"),
        ("/plain/path", "/plain/path"),
    ],
)
def test_path_from_uri(uri, path):
    """hdfs:// and webhdfs:// URIs give their decoded, normalized path part."""
    assert path_from_uri(uri) == path


@pytest.mark.parametrize(
    "uri",
    [
        "file:///etc/passwd",
        "http://nn/x",
        "s3a://bucket/x",
        "hdfs://nn/x?op=OPEN",
        "hdfs://nn/x#frag",
        "hdfs://nn/%2e%2e/x",
        "hdfs://nn/a%00b",
        "relative/x",
    ],
)
def test_path_from_uri_refuses(uri):
    """Other schemes, queries, fragments and escapes (even percent-encoded) are invalid."""
    with pytest.raises(InvalidPathException):
        path_from_uri(uri)


def test_path_arithmetic():
    """Components, parents, names, children and ancestors of normalized paths."""
    assert components("/") == ()
    assert components("/a/b") == ("a", "b")
    assert parent_of("/a/b") == "/a"
    assert parent_of("/a") == "/"
    assert name_of("/a/b") == "b"
    assert name_of("/") == ""
    assert child_of("/", "a") == "/a"
    assert child_of("/a", "b") == "/a/b"
    assert ancestors_of("/a/b/c") == ["/", "/a", "/a/b"]
    assert ancestors_of("/") == []


def test_is_within():
    """A path is within itself and its ancestors, not within a sibling sharing a prefix."""
    assert is_within("/a/b", "/a")
    assert is_within("/a", "/a")
    assert is_within("/a", "/")
    assert not is_within("/ab", "/a")
    assert not is_within("/a", "/a/b")


def test_disk_tree_maps_under_root(tmp_path):
    """A normalized path maps to the same names under the (resolved) root directory."""
    tree = DiskTree.at(tmp_path / "root")
    assert tree.root == os.path.realpath(tmp_path / "root")
    assert tree.local_path("/") == tree.root
    assert tree.local_path("/a/b") == os.path.join(tree.root, "a", "b")
    assert tree.hdfs_path(os.path.join(tree.root, "a", "b")) == "/a/b"
    assert tree.hdfs_path(tree.root) == "/"


def test_disk_tree_root_behind_a_link(tmp_path):
    """A root directory reached through a link is resolved once and used normally."""
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "alias")
    tree = DiskTree.at(tmp_path / "alias")
    assert tree.root == os.path.realpath(tmp_path / "real")
    assert tree.local_path("/x") == os.path.join(tree.root, "x")


def test_disk_tree_refuses_links(tmp_path):
    """A path through or onto a symbolic link inside the root is refused."""
    tree = DiskTree.at(tmp_path / "root")
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "root" / "link")
    for path in ["/link", "/link/x", "/link/x/y"]:
        with pytest.raises(AccessControlException) as caught:
            tree.local_path(path)
        assert "/link" in caught.value.message
        assert caught.value.java_class == "org.apache.hadoop.security.AccessControlException"


_NAMES = st.sampled_from(["", ".", "..", "a", "b", "..a", "...", "%2e%2e", " ", "ü", "a b"])


@given(st.lists(_NAMES, max_size=12))
def test_normalized_paths_are_canonical(names):
    """A normalized path starts with "/", has no "", "." or ".." component, and is a fixed point."""
    raw = "/" + "/".join(names)
    try:
        path = normalize(raw)
    except InvalidPathException:
        return
    assert path.startswith("/")
    assert not any(name in ("", ".", "..") for name in components(path))
    assert "//" not in path
    assert normalize(path) == path


@given(st.lists(_NAMES, max_size=12))
def test_normalized_paths_stay_under_the_root(names):
    """Whatever a path climbs, it is refused or maps to a place under the root."""
    tree = DiskTree("/srv/yarnemu-dfs-root-that-does-not-exist")
    raw = "/" + "/".join(names)
    try:
        local = tree.local_path(normalize(raw))
    except InvalidPathException:
        depth = 0
        for name in names:
            depth += {"..": -1, "": 0, ".": 0}.get(name, 1)
            if depth < 0:
                return
        raise
    assert os.path.commonpath([tree.root, local]) == tree.root
    assert tree.hdfs_path(local) == normalize(raw)
