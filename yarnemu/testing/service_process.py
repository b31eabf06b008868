"""
``twistd -n yarnemu`` as a real process, for tests and benchmarks: started on port 0 with an
endpoints file, waited for until the file appears, stopped with SIGTERM.

    service = ServiceProcess.start(tmp_path, "--nodes", "2")
    requests.get(service.rm + "/ws/v1/cluster/info")
    assert service.stop() == 0
"""

import json
import os
import signal
import subprocess
import sys
import time

__all__ = ["ServiceProcess", "twistd_command"]


def twistd_command(*options, pidfile=""):
    """:return: the argv of ``twistd -n yarnemu OPTIONS`` from this interpreter's environment."""
    twistd = os.path.join(os.path.dirname(sys.executable), "twistd")
    return [twistd, "-n", f"--pidfile={pidfile}", "yarnemu", *options]


class ServiceProcess:
    """
    :ivar process: the ``subprocess.Popen``.
    :ivar str rm: the RM web address URL (``http://127.0.0.1:PORT``).
    :ivar str webhdfs: the WebHDFS URL.
    :ivar str endpoints_file: where the service wrote them.
    :ivar str log_file: the service's twistd log.
    """

    def __init__(self, process, urls, endpoints_file, log_file):
        self.process = process
        self.rm = urls["rm"]
        self.webhdfs = urls["webhdfs"]
        self.endpoints_file = endpoints_file
        self.log_file = log_file

    @classmethod
    def start(cls, directory, *options, timeout=60):
        """
        Start the service with its data, log and endpoints file in ``directory``, listening on
        port 0 on loopback, and wait until it has written its endpoints.

        :raise RuntimeError: with the log, if it exits or does not come up in ``timeout`` s.
        """
        directory = str(directory)
        os.makedirs(directory, exist_ok=True)
        endpoints_file = os.path.join(directory, "endpoints.json")
        log_file = os.path.join(directory, "twistd.log")
        argv = twistd_command(
            "--rm-listen", "tcp:0:interface=127.0.0.1",
            "--webhdfs-listen", "tcp:0:interface=127.0.0.1",
            "--data-dir", os.path.join(directory, "data"),
            "--endpoints-file", endpoints_file,
            *options,
        )
        argv.insert(2, f"--logfile={log_file}")
        process = subprocess.Popen(argv, cwd=directory, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not os.path.exists(endpoints_file):
            if process.poll() is not None or time.monotonic() > deadline:
                if process.poll() is None:
                    process.kill()
                output = process.communicate()[0].decode("utf-8", "replace")
                raise RuntimeError(f"twistd yarnemu did not come up (exit {process.returncode}):"
                                   f"\n{output}\n{_read(log_file)}")
            time.sleep(0.05)
        with open(endpoints_file) as stream:
            urls = json.load(stream)
        return cls(process, urls, endpoints_file, log_file)

    def log(self):
        """:return: the service's log so far."""
        return _read(self.log_file)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Send ``sig`` and wait; :return: the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return stream.read()
    except FileNotFoundError:
        return ""
