"""
HDFS path names, and their confinement to the directory on disk that stands for ``/``.

An HDFS path here is an absolute slash path such as ``/user/alice/x``.  :func:`normalize` collapses
``//`` and ``.``, resolves ``..`` lexically (as ``org.apache.hadoop.fs.Path`` does on the client
side) and refuses whatever is not such a path, including scheme-qualified URIs; those go through
:func:`path_from_uri` first.  :class:`DiskTree` maps a normalized path to its place under the root
directory and refuses to reach it through a symbolic link, so no path can lead out of the root.
"""

import os
import re
import stat
from urllib.parse import unquote

import attrs

from yarnemu.dfs.errors import AccessControlException, InvalidPathException

__all__ = [
    "ROOT",
    "PARTIAL_PREFIX",
    "normalize",
    "path_from_uri",
    "is_namespace_name",
    "components",
    "parent_of",
    "name_of",
    "child_of",
    "ancestors_of",
    "is_within",
    "DiskTree",
]

ROOT = "/"

PARTIAL_PREFIX = ".yarnemu-partial-"
"""
Names starting with this are the fake's own files (uploads not yet complete): reserved, never
listed, never reachable as HDFS paths.
"""

# hdfs://authority/path and webhdfs://authority/path, scheme case-insensitive as in java.net.URI.
_HDFS_URI = re.compile(r"(?i:hdfs|webhdfs)://[^/?#]*(?P<path>[^?#]*)\Z")


def normalize(path):
    """
    Normalize an absolute HDFS path.

    :param str path: an absolute slash path; ``//`` and ``.`` are dropped and ``..`` is resolved
        lexically.
    :return: the path with no empty, ``.`` or ``..`` component and no trailing slash (``/`` for
        the root); normalizing it again gives it back unchanged.
    :raise InvalidPathException: if the path is not a string starting with ``/`` (so a
        scheme-qualified URI is refused), contains NUL, has a component with ``:`` (as HDFS's
        ``DFSUtil.isValidName`` refuses) or one reserved for the fake's partial uploads, or climbs
        above ``/``.
    """
    if not isinstance(path, str) or not path.startswith("/") or "\0" in path:
        raise _invalid(path)
    names = []
    for name in path.split("/"):
        if name in ("", "."):
            continue
        if name == "..":
            if not names:
                raise _invalid(path)
            names.pop()
        elif not is_namespace_name(name):
            raise _invalid(path)
        else:
            names.append(name)
    return ROOT + "/".join(names)


def path_from_uri(uri):
    """
    The HDFS path that a URI names, as Flink and Hadoop clients write staging locations.

    :param str uri: ``hdfs://authority/path``, ``webhdfs://authority/path`` (the authority may be
        empty, as in ``hdfs:///path``) or a plain absolute path.  Percent-escapes in the path are
        decoded, as ``java.net.URI.getPath`` does.
    :return: the normalized path (``/`` when the URI has no path).
    :raise InvalidPathException: for any other scheme, a query or fragment, or a path that
        :func:`normalize` refuses.
    """
    if isinstance(uri, str) and uri.startswith("/"):
        return normalize(uri)
    match = _HDFS_URI.match(uri) if isinstance(uri, str) else None
    if match is None:
        raise _invalid(uri)
    return normalize(unquote(match.group("path")) or ROOT)


def is_namespace_name(name):
    """
    :param str name: one component of a path.
    :return: whether an HDFS path may contain ``name`` as a component.
    """
    return (
        name not in ("", ".", "..")
        and "/" not in name
        and ":" not in name
        and "\0" not in name
        and not name.startswith(PARTIAL_PREFIX)
        and _is_utf8(name)
    )


def components(path):
    """
    :param str path: a normalized path.
    :return: its names from the root down (empty for ``/``).
    """
    return tuple(path.split("/")[1:]) if path != ROOT else ()


def parent_of(path):
    """
    :param str path: a normalized path other than ``/``.
    :return: the normalized path of its parent.
    """
    head = path.rsplit("/", 1)[0]
    return head or ROOT


def name_of(path):
    """
    :param str path: a normalized path.
    :return: its last component (``""`` for ``/``).
    """
    return path.rsplit("/", 1)[1]


def child_of(path, name):
    """
    :param str path: a normalized directory path.
    :param str name: a namespace name.
    :return: the normalized path of ``name`` in ``path``.
    """
    return path + name if path == ROOT else f"{path}/{name}"


def ancestors_of(path):
    """
    :param str path: a normalized path.
    :return: the paths of its proper ancestors, from ``/`` down to its parent.
    """
    names = components(path)
    return [ROOT + "/".join(names[:depth]) for depth in range(len(names))]


def is_within(path, ancestor):
    """
    :return: whether the normalized ``path`` is ``ancestor`` itself or lies under it.
    """
    return path == ancestor or path.startswith(child_of(ancestor, ""))


@attrs.frozen
class DiskTree:
    """
    The directory on disk that stands for ``/``.

    :ivar str root: the absolute, symlink-free path of that directory.
    """

    root: str

    @classmethod
    def at(cls, root_dir):
        """
        :param root_dir: the directory standing for ``/``; created if missing.  Symlinks in its
            own path are resolved once here, so the root itself may live behind one.
        :return: a :class:`DiskTree` over it.
        """
        os.makedirs(root_dir, exist_ok=True)
        return cls(os.path.realpath(root_dir))

    def local_path(self, path):
        """
        Map a normalized HDFS path to disk, refusing to pass through a symbolic link.

        A link planted inside the root could lead anywhere, so the fake follows none: every
        component that exists on disk is checked with ``lstat``.  Writers also open and replace
        the last component without following links.  A directory swapped for a link *between*
        this check and a write is a race the fake does not defend against: the root is the
        emulator's own, not shared with an adversary that acts concurrently.

        :param str path: a normalized path.
        :return: the absolute on-disk path, always inside :attr:`root`.
        :raise AccessControlException: if a component of the path is a symbolic link on disk.
        """
        names = components(path)
        local = os.path.join(self.root, *names)
        # Belt and braces: normalize() already made ".." impossible.
        if os.path.commonpath([self.root, local]) != self.root:
            raise AccessControlException(f"Permission denied: {path} is outside the root")
        # Plain concatenation: each name is a single non-empty component (run once per lookup).
        prefix = self.root.rstrip(os.sep)
        for name in names:
            prefix = prefix + os.sep + name
            try:
                mode = os.lstat(prefix).st_mode
            except (FileNotFoundError, NotADirectoryError):
                break
            if stat.S_ISLNK(mode):
                raise AccessControlException(
                    f"Permission denied: {path} goes through {self.hdfs_path(prefix)}, "
                    "a symbolic link on disk; the fake HDFS does not follow links"
                )
        return local

    def hdfs_path(self, local):
        """
        :param str local: an on-disk path inside :attr:`root`.
        :return: the HDFS path it stands for.
        """
        relative = os.path.relpath(local, self.root)
        return ROOT if relative == os.curdir else ROOT + relative.replace(os.sep, "/")


def _is_utf8(name):
    # Names read from disk that are not UTF-8 come back with lone surrogates; HDFS names are UTF-8.
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _invalid(path):
    return InvalidPathException(f"Invalid file name: {path}")
