"""
Process trees from /proc: a process's descendants (in their own process groups too), their
resident memory, and which are still alive.
"""

import os
import signal
import subprocess
import sys
import time

from yarnemu.interop.processes import descendants, living, process_info, resident_kib


def test_descendants_memory_and_liveness_of_a_tree():
    """A shell with a sleep in a new process group: both found, measured, then gone when killed."""
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys; "
         "child = subprocess.Popen(['sleep', '60'], start_new_session=True); "
         "print(child.pid, flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        child_pid = int(parent.stdout.readline())
        tree = descendants(parent.pid)
        assert [info.pid for info in tree] == [child_pid]
        (child,) = tree
        assert (child.ppid, child.pgid, child.command) == (parent.pid, child_pid, "sleep 60")
        assert child.pgid != process_info(parent.pid).pgid
        assert resident_kib([parent.pid, child_pid]) > resident_kib([child_pid]) > 0
        assert living(tree) == [process_info(child_pid)]
        os.killpg(child_pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while living(tree) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert living(tree) == []
    finally:
        parent.kill()
        parent.wait()
        parent.stdout.close()
        parent.stdin.close()
    assert process_info(parent.pid) is None
    assert resident_kib([parent.pid]) == 0
