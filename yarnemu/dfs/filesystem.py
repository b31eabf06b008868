"""
:class:`FakeHDFS`: a directory tree on local disk standing for HDFS, with the NameNode's semantics
and wording for the operations WebHDFS clients, Flink's staging upload and the NodeManager's
localizer use.

What lives where:

- Names, contents, lengths and modification times live on disk.  The on-disk mtime *is* the
  modification time (set from the virtual clock with ``os.utime``), so a new :class:`FakeHDFS` over
  the same root reads the same times.
- Owner, group, permission, replication, block size, access time and inode id live in memory, keyed
  by path, moved by :meth:`FakeHDFS.rename` and dropped by :meth:`FakeHDFS.delete`.  A path found on
  disk without them is owned by the superuser and gets the next inode id on first sight.

Uploads are written to a hidden partial file in the target's directory and moved into place with
``os.replace``, so a failed upload changes nothing.  Permissions are recorded, not enforced.
"""

import os
import shutil
import stat
import tempfile
from contextlib import contextmanager

import attrs
from twisted.internet.interfaces import IReactorTime

from yarnemu.dfs.errors import (
    AccessControlException,
    FileAlreadyExistsException,
    FileNotFoundException,
    HDFSIOException,
    ParentNotDirectoryException,
    PathIsNotEmptyDirectoryException,
)
from yarnemu.dfs.paths import (
    PARTIAL_PREFIX,
    ROOT,
    DiskTree,
    ancestors_of,
    child_of,
    is_namespace_name,
    is_within,
    name_of,
    normalize,
    parent_of,
)
from yarnemu.dfs.sparse import SparseWriter
from yarnemu.dfs.status import DIRECTORY, FILE, ContentSummary, FileStatus, format_permission
from yarnemu.errors import IllegalArgumentException

__all__ = [
    "FakeHDFS",
    "CHUNK_SIZE",
    "ROOT_INODE_ID",
    "FIRST_INODE_ID",
    "SUPERGROUP",
    "DEFAULT_CLIENT_MACHINE",
]

CHUNK_SIZE = 64 * 1024
"""Bytes read from an upload stream at a time: uploads are streamed, never held in memory."""

ROOT_INODE_ID = 16385
"""HDFS's ``INodeId.ROOT_INODE_ID``."""

FIRST_INODE_ID = 16386
"""The first inode id HDFS hands out after the root's."""

SUPERGROUP = "supergroup"
"""The group of ``/``; new paths take their parent directory's group, as in HDFS."""

DEFAULT_CLIENT_MACHINE = "127.0.0.1"

# BlockManager's defaults for dfs.replication.max and dfs.namenode.replication.min.
_MAX_REPLICATION = 512
_MIN_REPLICATION = 1

# Owner rights that stay on disk whatever permission is recorded, so the emulator can always
# read, write and remove its own tree.
_DISK_OWNER_BITS = {True: 0o700, False: 0o600}

_NS_PER_MS = 1_000_000


@attrs.frozen
class _Inode:
    """The in-memory metadata of one path; for a directory, replication, block size and access
    time are 0, as HDFS reports them."""

    directory: bool
    owner: str
    group: str
    permission: int
    replication: int
    block_size: int
    access_time: int
    file_id: int


@attrs.define(eq=False)
class FakeHDFS:
    """
    A fake HDFS over a directory on disk.

    :param root_dir: the directory standing for ``/`` (created if missing).
    :param IReactorTime clock: the source of modification and access times.
    :param str superuser: the owner of ``/`` and of paths found on disk without metadata.
    :param int default_replication: the replication of files created without one.
    :param int block_size: the block size of files created without one.

    Every operation takes absolute paths (see :func:`yarnemu.dfs.paths.normalize`) and raises
    :class:`~yarnemu.dfs.errors.InvalidPathException` for any other, and
    :class:`~yarnemu.dfs.errors.AccessControlException` for one that goes through a symbolic link
    on disk: nothing outside the root is ever read or written.
    """

    root_dir: str = attrs.field(converter=os.fspath)
    clock: IReactorTime
    superuser: str = "yarnemu"
    default_replication: int = 3
    block_size: int = 134217728
    _tree: DiskTree = attrs.field(init=False, repr=False)
    _inodes: dict = attrs.field(init=False, repr=False, factory=dict)
    _next_inode_id: int = attrs.field(init=False, repr=False, default=FIRST_INODE_ID)

    def __attrs_post_init__(self):
        self._tree = DiskTree.at(self.root_dir)

    # Reading

    def get_file_status(self, path):
        """
        :param str path: an absolute path.
        :return: its :class:`FileStatus`, with an empty ``path_suffix``.
        :raise FileNotFoundException: ``File does not exist: <path>`` if it does not exist.
        """
        path, local, st = self._look_up(path)
        if _kind(st) is None:
            raise FileNotFoundException(f"File does not exist: {path}")
        return self._status(path, local, st, "")

    def exists(self, path):
        """
        :param str path: an absolute path.
        :return: whether it names a file or directory.
        """
        return _kind(self._look_up(path)[2]) is not None

    def list_status(self, path):
        """
        :param str path: an absolute path.
        :return: for a directory, the statuses of its entries sorted by name, each with its name
            as ``path_suffix``; for a file, a one-element list with the file's own status and an
            empty ``path_suffix``, as HDFS answers.
        :raise FileNotFoundException: ``File <path> does not exist.`` if it does not exist.
        """
        path, local, st = self._look_up(path)
        kind = _kind(st)
        if kind is None:
            raise FileNotFoundException(f"File {path} does not exist.")
        if kind == FILE:
            return [self._status(path, local, st, "")]
        return [
            self._status(child_of(path, name), os.path.join(local, name), child, name)
            for name, child in self._entries(local)
        ]

    def open(self, path):
        """
        Open a file for reading.  Access times are not updated (as with HDFS's default one-hour
        access-time precision, within which reads do not count).

        :param str path: an absolute path.
        :return: a binary file object positioned at the start; the caller closes it.
        :raise FileNotFoundException: ``File does not exist: <path>`` if it does not exist, or
            ``Path is not a file: <path>`` for a directory.
        """
        path, local, st = self._look_up(path)
        self._require_file(path, st)
        try:
            fd = os.open(local, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            raise FileNotFoundException(f"File does not exist: {path}") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise FileNotFoundException(f"Path is not a file: {path}")
        return os.fdopen(fd, "rb")

    def read_bytes(self, path, offset=0, length=None):
        """
        :param str path: an absolute path.
        :param int offset: the first byte to read.
        :param length: how many bytes to read at most, or ``None`` for the rest of the file.
        :return: the bytes read.
        :raise FileNotFoundException: as :meth:`open` does.
        :raise HDFSIOException: ``Offset=<n> out of the range [0, <len>); OPEN, path=<path>`` (as
            WebHDFS words it) if ``offset`` is negative or at or past the end of a non-empty file.
        :raise IllegalArgumentException: if ``length`` is negative.
        """
        if length is not None and length < 0:
            raise IllegalArgumentException(f"length must not be negative, not {length}")
        with self.open(path) as stream:
            size = os.fstat(stream.fileno()).st_size
            if offset < 0 or (offset >= size > 0):
                raise HDFSIOException(
                    f"Offset={offset} out of the range [0, {size}); OPEN, path={normalize(path)}"
                )
            stream.seek(offset)
            return stream.read(-1 if length is None else length)

    def content_summary(self, path):
        """
        :param str path: an absolute path.
        :return: the :class:`ContentSummary` of the subtree at ``path``.
        :raise FileNotFoundException: ``File does not exist: <path>`` if it does not exist.
        """
        path, local, st = self._look_up(path)
        if _kind(st) is None:
            raise FileNotFoundException(f"File does not exist: {path}")
        length = files = directories = consumed = 0
        for each, each_st in self._subtree(path, local, st):
            if stat.S_ISDIR(each_st.st_mode):
                directories += 1
            else:
                files += 1
                length += each_st.st_size
                consumed += each_st.st_size * self._inode(each, each_st).replication
        return ContentSummary(length, files, directories, consumed)

    def du(self, path):
        """
        :param str path: an absolute path.
        :return: the bytes in the files of the subtree at ``path``.
        :raise FileNotFoundException: as :meth:`content_summary` does.
        """
        return self.content_summary(path).length

    def home_directory(self, user):
        """
        :param str user: a user name.
        :return: the user's home directory, ``/user/<user>``, as ``GETHOMEDIRECTORY`` answers.
        """
        return f"/user/{user}"

    # Writing

    def mkdirs(self, path, user, permission=0o755):
        """
        Create a directory and its missing ancestors, owned by ``user``.

        Missing ancestors get ``permission`` plus owner write and execute, as in HDFS.  An
        existing directory is left as it is.

        :param str path: an absolute path.
        :param str user: the owner of the directories created.
        :param int permission: the new directory's permission bits.
        :return: ``True``.
        :raise FileAlreadyExistsException: ``Path is not a directory: <path>`` if it is a file.
        :raise ParentNotDirectoryException: ``<ancestor> (is not a directory)`` if an ancestor is
            a file.
        """
        _check_permission(permission)
        path, local, st = self._look_up(path)
        if st is not None:
            if stat.S_ISDIR(st.st_mode):
                return True
            raise FileAlreadyExistsException(f"Path is not a directory: {path}")
        self._deepest_existing_ancestor(path)
        with _disk_errors("create directory", path):
            self._make_directories(path, user, permission, permission | 0o300)
        return True

    def create(
        self,
        path,
        data_or_stream,
        user,
        overwrite=False,
        permission=0o644,
        replication=None,
        block_size=None,
        *,
        client_machine=DEFAULT_CLIENT_MACHINE,
    ):
        """
        Create (or with ``overwrite``, replace) a file from bytes or a stream.

        A stream is read :data:`CHUNK_SIZE` bytes at a time into a hidden partial file next to the
        target, which then replaces the target in one step; if reading or writing fails, the
        partial file is removed, the target and its directory's time are as they were, and the
        error propagates (a stream's own error unchanged).  Missing ancestors are created first, as
        HDFS ``create`` does, with the nearest existing ancestor's permission plus owner write and
        execute; they stay if the upload fails, as they would in HDFS.  Replacing a file makes a
        new inode: new id, owner ``user``.

        :param str path: an absolute path.
        :param data_or_stream: ``bytes`` (or another bytes-like object), or a binary file-like
            object with ``read(size)``.
        :param str user: the new file's owner.
        :param bool overwrite: whether an existing file may be replaced.
        :param int permission: the new file's permission bits.
        :param replication: the new file's replication, or ``None`` for the default.
        :param block_size: the new file's block size, or ``None`` for the default.
        :param str client_machine: the client's address, as HDFS names it in errors.
        :return: the new file's :class:`FileStatus`.
        :raise FileAlreadyExistsException: ``<path> already exists as a directory``, or
            ``<path> for client <client_machine> already exists`` without ``overwrite``.
        :raise ParentNotDirectoryException: ``<ancestor> (is not a directory)``.
        :raise HDFSIOException: for a replication out of [1, 512], or a failed disk write.
        """
        _check_permission(permission)
        path = normalize(path)
        replication = self.default_replication if replication is None else replication
        _check_replication(path, replication)
        path, local, st = self._look_up(path)
        nearest, nearest_st = self._deepest_existing_ancestor(path)
        kind = _kind(st)
        if kind == DIRECTORY:
            raise FileAlreadyExistsException(f"{path} already exists as a directory")
        if kind == FILE and not overwrite:
            raise FileAlreadyExistsException(
                f"{path} for client {client_machine} already exists"
            )
        parent = parent_of(path)
        with _disk_errors("create directory", parent):
            implied = self._inode(nearest, nearest_st).permission | 0o300
            self._make_directories(parent, user, implied, implied)
        now = self._now_ms()
        self._write_replacing(path, local, data_or_stream, now, _disk_mode(permission, False))
        self._inodes[path] = _Inode(
            directory=False,
            owner=user,
            group=self._group_of(parent),
            permission=permission,
            replication=replication,
            block_size=self.block_size if block_size is None else block_size,
            access_time=now,
            file_id=self._allocate_inode_id(),
        )
        return self.get_file_status(path)

    def append(self, path, data_or_stream, user, *, client_machine=DEFAULT_CLIENT_MACHINE):
        """
        Append bytes or a stream (read :data:`CHUNK_SIZE` bytes at a time) to an existing file.

        If reading or writing fails, the file is cut back to its old length and time and the
        error propagates.

        :param str path: an absolute path.
        :param data_or_stream: as for :meth:`create`.
        :param str user: the appending user (permissions are not enforced).
        :param str client_machine: the client's address, as HDFS names it in errors.
        :return: the file's new :class:`FileStatus`.
        :raise FileNotFoundException: ``Failed to append to non-existent file <path> for client
            <client_machine>``.
        :raise FileAlreadyExistsException: ``Cannot append to directory <path>; already exists as
            a directory.``
        :raise AccessControlException: if the file has other hard links on disk (appending would
            change a file outside the tree).
        """
        path, local, st = self._look_up(path)
        kind = _kind(st)
        if kind == DIRECTORY:
            raise FileAlreadyExistsException(
                f"Cannot append to directory {path}; already exists as a directory."
            )
        if kind is None:
            raise FileNotFoundException(
                f"Failed to append to non-existent file {path} for client {client_machine}"
            )
        with _disk_errors("append to", path):
            fd = os.open(local, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            self._append_to(path, fd, data_or_stream)
        finally:
            os.close(fd)
        return self.get_file_status(path)

    def delete(self, path, recursive=True):
        """
        Delete a file or a directory.

        :param str path: an absolute path.
        :param bool recursive: whether a directory with entries may be deleted with them.
        :return: ``True`` if something was deleted; ``False`` if nothing exists at ``path``, or
            for ``/``, which HDFS never deletes.
        :raise PathIsNotEmptyDirectoryException: ``\\`<path> is non empty': Directory is not
            empty`` for a directory with entries when not ``recursive``.
        """
        path, local, st = self._look_up(path)
        kind = _kind(st)
        if kind is None:
            return False
        if kind == DIRECTORY and not recursive and self._entries(local):
            raise PathIsNotEmptyDirectoryException(f"{path} is non empty")
        if path == ROOT:
            return False
        with _disk_errors("delete", path):
            if kind == DIRECTORY:
                # rmtree removes links it meets inside the tree without following them.
                shutil.rmtree(local)
            else:
                os.unlink(local)
            self._stamp(parent_of(path), self._now_ms())
        self._forget(path)
        return True

    def rename(self, src, dst):
        """
        Rename with the NameNode's old rename semantics (``FSDirRenameOp``, used by WebHDFS
        ``RENAME``): if ``dst`` is a directory, ``src`` moves into it under its own name.

        Both parents' modification times become now; the moved path keeps its own, and its
        metadata (and that of everything under it) moves with it.

        :param str src: an absolute path.
        :param str dst: an absolute path.
        :return: ``True`` if renamed, or if the target is ``src`` itself; ``False`` (not an error)
            if ``src`` does not exist or is ``/``, if the target is under ``src``, if the target
            exists, or if the target's parent is missing or not a directory.
        """
        src, src_local, src_st = self._look_up(src)
        dst, dst_local, dst_st = self._look_up(dst)
        if _kind(src_st) is None or src == ROOT:
            return False
        if _kind(dst_st) == DIRECTORY:
            dst, dst_local, dst_st = self._look_up(child_of(dst, name_of(src)))
        if dst == src:
            return True
        # dst_st, not its kind: never replace anything on disk, even what the namespace hides.
        if is_within(dst, src) or dst_st is not None:
            return False
        if _kind(self._look_up(parent_of(dst))[2]) != DIRECTORY:
            return False
        with _disk_errors("rename", src):
            os.rename(src_local, dst_local)
            # A directory moved to another parent may get a new mtime on disk; HDFS keeps it.
            os.utime(dst_local, ns=(src_st.st_atime_ns, src_st.st_mtime_ns))
            now = self._now_ms()
            self._stamp(parent_of(src), now)
            self._stamp(parent_of(dst), now)
        self._move_inodes(src, dst)
        return True

    def set_replication(self, path, replication):
        """
        :param str path: an absolute path.
        :param int replication: the new replication.
        :return: ``True`` for a file; ``False`` for a directory or a missing path, as in HDFS.
        :raise HDFSIOException: ``Requested replication factor of <r> is less than the required
            minimum of 1 for <path>`` (or ``exceeds maximum of 512``).
        """
        path = normalize(path)
        _check_replication(path, replication)
        path, _, st = self._look_up(path)
        if _kind(st) != FILE:
            return False
        self._inodes[path] = attrs.evolve(self._inode(path, st), replication=replication)
        return True

    def set_permission(self, path, permission):
        """
        Record a permission, and apply it on disk with the owner's rights kept.

        :param str path: an absolute path.
        :param int permission: permission bits, up to ``0o1777``.
        :raise FileNotFoundException: ``File does not exist: <path>``.
        :raise IllegalArgumentException: for bits outside ``0o1777``.
        """
        _check_permission(permission)
        path, local, st = self._look_up(path)
        inode = self._existing_inode(path, st)
        with _disk_errors("change the permission of", path):
            os.chmod(local, _disk_mode(permission, inode.directory))
        self._inodes[path] = attrs.evolve(inode, permission=permission)

    def set_owner(self, path, owner=None, group=None):
        """
        Record a new owner, group, or both (only superusers may do this in HDFS; not enforced).

        :param str path: an absolute path.
        :param owner: the new owner, or ``None`` to keep it.
        :param group: the new group, or ``None`` to keep it.
        :raise IllegalArgumentException: ``Both owner and group are empty.`` (WebHDFS's wording).
        :raise FileNotFoundException: ``File does not exist: <path>``.
        """
        if owner is None and group is None:
            raise IllegalArgumentException("Both owner and group are empty.")
        path, _, st = self._look_up(path)
        inode = self._existing_inode(path, st)
        self._inodes[path] = attrs.evolve(
            inode,
            owner=inode.owner if owner is None else owner,
            group=inode.group if group is None else group,
        )

    # Internals: looking up

    def _look_up(self, path):
        """
        :return: the normalized path, its on-disk path, and its ``lstat`` (``None`` if nothing is
            on disk there).
        """
        path = normalize(path)
        local = self._tree.local_path(path)
        return path, local, _lstat(local)

    def _deepest_existing_ancestor(self, path):
        """
        :return: the path and ``lstat`` of the deepest ancestor of ``path`` that exists.
        :raise ParentNotDirectoryException: if an existing ancestor is not a directory.
        """
        found = ROOT, os.lstat(self._tree.root)
        for ancestor in ancestors_of(path)[1:]:
            st = _lstat(self._tree.local_path(ancestor))
            if st is None:
                break
            if not stat.S_ISDIR(st.st_mode):
                raise ParentNotDirectoryException(f"{ancestor} (is not a directory)")
            found = ancestor, st
        return found

    def _entries(self, local):
        """
        :return: ``(name, lstat)`` of the files and directories in the directory ``local``, sorted
            by name; links, partial uploads, special files and names HDFS could not hold are left
            out.
        """
        entries = []
        with os.scandir(local) as scan:
            for entry in scan:
                if is_namespace_name(entry.name):
                    st = _lstat(entry.path)
                    if _kind(st) is not None:
                        entries.append((entry.name, st))
        entries.sort(key=lambda entry: entry[0])
        return entries

    def _subtree(self, path, local, st):
        """
        :return: an iterator of ``(path, lstat)`` over ``path`` and everything under it, depth
            first, in name order.
        """
        yield path, st
        if stat.S_ISDIR(st.st_mode):
            for name, child in self._entries(local):
                yield from self._subtree(child_of(path, name), os.path.join(local, name), child)

    def _status(self, path, local, st, suffix):
        inode = self._inode(path, st)
        return FileStatus(
            path_suffix=suffix,
            type=DIRECTORY if inode.directory else FILE,
            length=0 if inode.directory else st.st_size,
            owner=inode.owner,
            group=inode.group,
            permission=format_permission(inode.permission),
            access_time=inode.access_time,
            modification_time=st.st_mtime_ns // _NS_PER_MS,
            block_size=inode.block_size,
            replication=inode.replication,
            children_num=len(self._entries(local)) if inode.directory else 0,
            file_id=inode.file_id,
        )

    def _require_file(self, path, st):
        kind = _kind(st)
        if kind is None:
            raise FileNotFoundException(f"File does not exist: {path}")
        if kind == DIRECTORY:
            raise FileNotFoundException(f"Path is not a file: {path}")

    # Internals: metadata

    def _inode(self, path, st):
        """
        :return: the metadata of the existing ``path``, made up (and kept) if there is none or it
            is of another kind (the path was changed on disk behind the fake's back).
        """
        directory = stat.S_ISDIR(st.st_mode)
        inode = self._inodes.get(path)
        if inode is None or inode.directory != directory:
            inode = self._discovered(path, st, directory)
            self._inodes[path] = inode
        return inode

    def _existing_inode(self, path, st):
        if _kind(st) is None:
            raise FileNotFoundException(f"File does not exist: {path}")
        return self._inode(path, st)

    def _discovered(self, path, st, directory):
        root = path == ROOT
        return _Inode(
            directory=directory,
            owner=self.superuser,
            group=SUPERGROUP if root else self._group_of(parent_of(path)),
            # The root directory on disk is the operator's (often 0o700); HDFS's "/" is 755.
            permission=0o755 if root else st.st_mode & 0o1777,
            replication=0 if directory else self.default_replication,
            block_size=0 if directory else self.block_size,
            access_time=0 if directory else st.st_mtime_ns // _NS_PER_MS,
            file_id=ROOT_INODE_ID if root else self._allocate_inode_id(),
        )

    def _group_of(self, directory):
        return self._inode(directory, os.lstat(self._tree.local_path(directory))).group

    def _allocate_inode_id(self):
        inode_id = self._next_inode_id
        self._next_inode_id += 1
        return inode_id

    def _forget(self, path):
        for each in [each for each in self._inodes if is_within(each, path)]:
            del self._inodes[each]

    def _move_inodes(self, src, dst):
        moved = {each: inode for each, inode in self._inodes.items() if is_within(each, src)}
        self._forget(src)
        self._forget(dst)
        for each, inode in moved.items():
            self._inodes[dst + each[len(src) :]] = inode

    # Internals: disk

    def _now_ms(self):
        return int(round(self.clock.seconds() * 1000))

    def _stamp(self, path, now):
        """Set the modification time of the existing ``path`` on disk."""
        ns = now * _NS_PER_MS
        os.utime(self._tree.local_path(path), ns=(ns, ns), follow_symlinks=False)

    def _make_directories(self, path, user, permission, ancestor_permission):
        """
        Create ``path`` and its missing ancestors (whose ancestors are known to be directories),
        stamping each new directory and the existing parent of the first with the current time.
        """
        missing = [each for each in ancestors_of(path) + [path] if not self._is_on_disk(each)]
        if not missing:
            return
        now = self._now_ms()
        for each in missing:
            mode = permission if each == path else ancestor_permission
            local = self._tree.local_path(each)
            os.mkdir(local, 0o700)
            os.chmod(local, _disk_mode(mode, True))
            self._inodes[each] = _Inode(
                directory=True,
                owner=user,
                group=self._group_of(parent_of(each)),
                permission=mode,
                replication=0,
                block_size=0,
                access_time=0,
                file_id=self._allocate_inode_id(),
            )
        for each in [parent_of(missing[0])] + missing:
            self._stamp(each, now)

    def _is_on_disk(self, path):
        return _lstat(self._tree.local_path(path)) is not None

    def _write_replacing(self, path, local, source, now, mode):
        """
        Write ``source`` to a partial file next to ``local``, then move it over ``local``; on any
        failure remove the partial file and put the directory's time back.
        """
        directory = os.path.dirname(local)
        directory_st = os.lstat(directory)
        with _disk_errors("create", path):
            fd, partial = tempfile.mkstemp(prefix=PARTIAL_PREFIX, dir=directory)
        try:
            try:
                _write_source(path, fd, source)
                with _disk_errors("create", path):
                    os.fchmod(fd, mode)
                    os.utime(fd, ns=(now * _NS_PER_MS, now * _NS_PER_MS))
            finally:
                os.close(fd)
            with _disk_errors("create", path):
                os.replace(partial, local)
                self._stamp(parent_of(path), now)
        except BaseException:
            _remove_quietly(partial)
            os.utime(directory, ns=(directory_st.st_atime_ns, directory_st.st_mtime_ns))
            raise

    def _append_to(self, path, fd, source):
        """
        Append ``source`` through ``fd``; on any failure cut the file back to what it was.
        """
        before = os.fstat(fd)
        if before.st_nlink != 1:
            raise AccessControlException(
                f"Permission denied: {path} has other hard links on disk; "
                "the fake HDFS does not append through them"
            )
        try:
            _write_source(path, fd, source)
            now = self._now_ms() * _NS_PER_MS
            with _disk_errors("append to", path):
                os.utime(fd, ns=(now, now))
        except BaseException:
            os.ftruncate(fd, before.st_size)
            os.utime(fd, ns=(before.st_atime_ns, before.st_mtime_ns))
            raise


def _kind(st):
    """
    :return: :data:`FILE`, :data:`DIRECTORY`, or ``None`` for nothing or anything else (links,
        special files), which the namespace does not hold.
    """
    if st is None:
        return None
    if stat.S_ISDIR(st.st_mode):
        return DIRECTORY
    if stat.S_ISREG(st.st_mode):
        return FILE
    return None


def _lstat(local):
    try:
        return os.lstat(local)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _disk_mode(permission, directory):
    return (permission & 0o777) | _DISK_OWNER_BITS[directory]


def _check_permission(permission):
    if not 0 <= permission <= 0o1777:
        raise IllegalArgumentException(f"Invalid permission {permission:o}: not within 0..1777")


def _check_replication(path, replication):
    if replication > _MAX_REPLICATION:
        problem = f"exceeds maximum of {_MAX_REPLICATION}"
    elif replication < _MIN_REPLICATION:
        problem = f"is less than the required minimum of {_MIN_REPLICATION}"
    else:
        return
    raise HDFSIOException(f"Requested replication factor of {replication} {problem} for {path}")


def _chunks(source):
    """
    :return: an iterator over ``source`` in pieces of at most about :data:`CHUNK_SIZE` bytes.
    :raise TypeError: if ``source`` is neither bytes-like nor has ``read``.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield source
        return
    if not callable(getattr(source, "read", None)):
        raise TypeError(f"expected bytes or a binary stream, not {type(source).__name__}")
    while True:
        chunk = source.read(CHUNK_SIZE)
        if chunk is None:
            # A non-blocking stream with nothing to give: taking it for the end would truncate.
            raise HDFSIOException("Upload stream returned no data without reaching its end")
        if not chunk:
            return
        yield chunk


def _write_source(path, fd, source):
    """
    Write all of ``source`` to ``fd``, zero chunks as holes (see :mod:`yarnemu.dfs.sparse`); the
    stream's own errors propagate unchanged, the disk's as ``HDFSIOException``.
    """
    writer = SparseWriter(fd)
    for chunk in _chunks(source):
        with _disk_errors("write", path):
            writer.write(chunk)
    with _disk_errors("write", path):
        writer.close()


@contextmanager
def _disk_errors(action, path):
    """Report a failure of the disk under the fake as HDFS reports one: an ``IOException``."""
    try:
        yield
    except OSError as error:
        raise HDFSIOException(f"Cannot {action} {path}: {error.strerror or error}") from error


def _remove_quietly(local):
    try:
        os.unlink(local)
    except OSError:
        pass
