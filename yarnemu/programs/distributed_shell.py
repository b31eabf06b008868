"""
A DistributedShell-style application master: it runs one command in N containers and succeeds
when all of them exit 0, as Hadoop's ``distributedshell.ApplicationMaster`` does.

Arguments (Hadoop's names): ``--num_containers N`` (1), ``--container_memory MB`` (10),
``--container_vcores N`` (1), ``--priority P`` (0), ``--shell_command CMD``,
``--shell_args ARGS``.  It heartbeats every second; a container that YARN aborts (lost node,
expiry) is asked for again, any other failure counts; containers beyond those it asked for are
released (and not asked for again).  Once every container completed it unregisters SUCCEEDED if
none failed, FAILED otherwise (with DistributedShell's diagnostics), and exits 0 or 2.  Invalid
arguments (or no containers to run) make it exit 1.
"""

import argparse
import shlex

from yarnemu.client.amrm_client import AMRMClient, ContainerRequest
from yarnemu.client.amrm_client_async import AMRMCallbackHandler, AMRMClientAsync
from yarnemu.client.nm_client import NMClient
from yarnemu.errors import RemoteError
from yarnemu.records.client_protocol import ApplicationSubmissionContext
from yarnemu.records.containers import ContainerLaunchContext
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.ids import ContainerId
from yarnemu.records.resource import Resource
from yarnemu.records.states import FinalApplicationStatus
from yarnemu.nodemanager.programs import ContainerProgram

__all__ = [
    "DistributedShellApplicationMaster",
    "DISTRIBUTED_SHELL_AM",
    "distributed_shell_command",
    "submit_distributed_shell",
]

DISTRIBUTED_SHELL_AM = "org.apache.hadoop.yarn.applications.distributedshell.ApplicationMaster"
HEARTBEAT_INTERVAL_MS = 1000
UNREGISTER_POLL_SECONDS = 0.1


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message):
        # Not argparse's usual print-and-exit: a program here must not write to the host's stderr.
        raise ValueError(message)


_SHELL_OPTIONS = ("--shell_command", "--shell_args")


def _arguments(args):
    # The word after --shell_command or --shell_args is its value even if it starts with "-"
    # (``--shell_command ls --shell_args -la``), which argparse would take for an option.
    args = list(args)
    words = []
    while args:
        word = args.pop(0)
        if word in _SHELL_OPTIONS and args:
            word = f"{word}={args.pop(0)}"
        words.append(word)
    parser = _ArgumentParser(prog="ApplicationMaster", add_help=False, allow_abbrev=False)
    parser.add_argument("--num_containers", type=int, default=1)
    parser.add_argument("--container_memory", type=int, default=10)
    parser.add_argument("--container_vcores", type=int, default=1)
    parser.add_argument("--priority", type=int, default=0)
    parser.add_argument("--shell_command", default="true")
    parser.add_argument("--shell_args", default="")
    options = parser.parse_args(words)
    if options.num_containers < 1:
        raise ValueError("Cannot run distributed shell with no containers")
    return options


class DistributedShellApplicationMaster(ContainerProgram, AMRMCallbackHandler):
    """The AM program; see the module docstring."""

    def start(self):
        context = self.context
        try:
            self.options = _arguments(context.args)
        except ValueError as error:
            context.write_stderr(f"Invalid arguments: {' '.join(context.args)}: {error}\n")
            context.exit(1, f"Invalid arguments: {error}")
            return
        attempt_id = ContainerId.parse(context.environment["CONTAINER_ID"]).application_attempt_id
        endpoints = context.endpoints
        self.amrm = AMRMClient(endpoints.am_protocol, attempt_id)
        self.nm = NMClient(endpoints.container_managers)
        self.heartbeats = AMRMClientAsync(self.amrm, context.clock, HEARTBEAT_INTERVAL_MS, self)
        self.total = self.options.num_containers
        self.allocated = self.completed = self.failed = 0
        self.released = set()
        self.finishing = False
        self.capability = Resource(self.options.container_memory, self.options.container_vcores)
        self.amrm.register_application_master(context.environment.get("NM_HOST", ""), -1, "")
        for _ in range(self.total):
            self._request()
        self.heartbeats.start()

    def _request(self):
        self.amrm.add_container_request(ContainerRequest(self.capability,
                                                         priority=self.options.priority))

    def on_containers_allocated(self, containers):
        command = " ".join(part for part in (self.options.shell_command,
                                             self.options.shell_args) if part)
        launch = ContainerLaunchContext(
            commands=[command, "1><LOG_DIR>/stdout", "2><LOG_DIR>/stderr"],
        )
        for container in containers:
            matching = self.amrm.get_matching_requests(container.priority, "*", container.resource)
            if self.finishing or not matching or self.allocated >= self.total:
                # More than asked for (asks are totals; see YARN-1902): give it back.
                self.released.add(container.id)
                self.amrm.release_assigned_container(container.id)
                continue
            self.amrm.remove_container_request(matching[0][0])
            self.allocated += 1
            try:
                self.nm.start_container(container, launch)
            except RemoteError as error:
                self.context.write_stderr(f"Failed to start container {container.id}: {error}\n")
                self.released.add(container.id)
                self.amrm.release_assigned_container(container.id)
                self.completed += 1
                self.failed += 1
        if self.completed >= self.total:
            self._finish()

    def on_containers_completed(self, statuses):
        if self.finishing:
            return
        for status in statuses:
            if status.container_id in self.released:
                self.released.discard(status.container_id)
                continue
            if status.exit_status == ContainerExitStatus.ABORTED:
                # Killed by the framework (released, lost node, expired): ask again.
                self.allocated -= 1
                self._request()
                continue
            self.completed += 1
            if status.exit_status != ContainerExitStatus.SUCCESS:
                self.failed += 1
        if self.completed >= self.total:
            self._finish()

    def on_shutdown_request(self):
        self.context.exit(1, "Shutdown requested by the ResourceManager")

    def on_error(self, error):
        self.context.write_stderr(f"Error from the ResourceManager: {error}\n")
        self.context.exit(1, str(error))

    def get_progress(self):
        return self.completed / self.total if self.total else 1.0

    def _finish(self):
        if self.finishing:
            # One heartbeat can complete the last container and bring an excess one.
            return
        self.finishing = True
        self.heartbeats.stop()
        succeeded = self.completed - self.failed >= self.total
        status = FinalApplicationStatus.SUCCEEDED if succeeded else FinalApplicationStatus.FAILED
        message = (f"Diagnostics., total={self.total}, completed={self.completed}, "
                   f"allocated={self.allocated}, failed={self.failed}")
        self._unregister(status, "" if succeeded else message, 0 if succeeded else 2)

    def _unregister(self, status, message, exit_code):
        if self.amrm.unregister_application_master(status, message):
            self.context.exit(exit_code)
        else:
            self.context.clock.callLater(UNREGISTER_POLL_SECONDS, self._unregister, status,
                                         message, exit_code)


def submit_distributed_shell(yarn_client, num_containers, container_memory, shell_command,
                             shell_args="", master_memory=512, name="DistributedShell",
                             queue="default"):
    """
    Submit a DistributedShell application, as Hadoop's DistributedShell ``Client`` does.

    :param yarn_client: an ``IYarnClient``.
    :return: a Deferred firing with the application id.
    """
    def submit(new_application):
        context = ApplicationSubmissionContext(
            application_id=new_application.application_id,
            application_name=name,
            queue=queue,
            resource=Resource(master_memory, 1),
            am_container_spec=ContainerLaunchContext(commands=[distributed_shell_command(
                num_containers, container_memory, shell_command, shell_args,
                master_memory=master_memory,
            )]),
        )
        return yarn_client.submit_application(context)

    return yarn_client.create_application().addCallback(submit)


def distributed_shell_command(num_containers, container_memory, shell_command, shell_args="",
                              container_vcores=1, priority=0, master_memory=100):
    """
    :return: the AM launch command line a DistributedShell client builds.
    """
    args = [
        "{{JAVA_HOME}}/bin/java", f"-Xmx{master_memory}m", DISTRIBUTED_SHELL_AM,
        "--container_memory", str(container_memory), "--container_vcores", str(container_vcores),
        "--num_containers", str(num_containers), "--priority", str(priority),
        "--shell_command", shell_command,
    ]
    if shell_args:
        args += ["--shell_args", shell_args]
    return " ".join(shlex.quote(a) if a != "{{JAVA_HOME}}/bin/java" else a for a in args) + (
        " 1><LOG_DIR>/AppMaster.stdout 2><LOG_DIR>/AppMaster.stderr"
    )
