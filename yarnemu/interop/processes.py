"""
The process tree of a running service, read from Linux's ``/proc``: which processes descend from
it (its containers' launch scripts and the JVMs they start, each in its own process group), how
much memory they hold resident, and which of a set of processes are still alive — for measuring a
service with real containers and for checking that none outlives it.
"""

import os

from attrs import frozen

__all__ = ["ProcessInfo", "process_info", "descendants", "resident_kib", "living"]


@frozen
class ProcessInfo:
    """
    :ivar int pid: the process id.
    :ivar int ppid: its parent's.
    :ivar int pgid: its process group's.
    :ivar str state: ``R``, ``S``, … (``Z``: a zombie, which holds no memory and runs nothing).
    :ivar int rss_kib: its resident memory in KiB.
    :ivar str command: its command line, space-joined.
    """

    pid: int
    ppid: int
    pgid: int
    state: str
    rss_kib: int
    command: str


def process_info(pid):
    """:return: the :class:`ProcessInfo` of ``pid``, or ``None`` if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as stream:
            stat = stream.read()
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as stream:
            status = stream.read()
        with open(f"/proc/{pid}/cmdline", "rb") as stream:
            command = stream.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name, in parentheses, may hold spaces and parentheses itself.
    fields = stat[stat.rindex(")") + 2:].split()
    rss_kib = 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            rss_kib = int(line.split()[1])
    return ProcessInfo(pid=pid, ppid=int(fields[1]), pgid=int(fields[2]), state=fields[0],
                       rss_kib=rss_kib, command=command)


def _all_processes():
    for name in os.listdir("/proc"):
        if name.isdigit():
            info = process_info(int(name))
            if info is not None:
                yield info


def descendants(pid):
    """:return: the :class:`ProcessInfo` of every process below ``pid``, by pid."""
    children = {}
    for info in _all_processes():
        children.setdefault(info.ppid, []).append(info)
    found, waiting = [], [pid]
    while waiting:
        for child in children.get(waiting.pop(), ()):
            found.append(child)
            waiting.append(child.pid)
    return sorted(found, key=lambda info: info.pid)


def resident_kib(pids):
    """:return: the resident memory, in KiB, of those of ``pids`` that still exist."""
    infos = (process_info(pid) for pid in pids)
    return sum(info.rss_kib for info in infos if info is not None)


def living(processes):
    """
    :param processes: :class:`ProcessInfo` values seen earlier.
    :return: the current :class:`ProcessInfo` of those that still run (not zombies) — the same pid
        with the same command line, so that a reused pid does not count.
    """
    found = []
    for earlier in processes:
        now = process_info(earlier.pid)
        if now is not None and now.state != "Z" and now.command == earlier.command:
            found.append(now)
    return found
