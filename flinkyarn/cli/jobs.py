"""
``flinkyarn list``, ``flinkyarn cancel JOBID`` and ``flinkyarn stop [-p DIR] JOBID``: Flink's
``CliFrontend`` job actions against a cluster on the service, found as Flink finds it
(``-yid``, ``-t`` with ``-Dyarn.application.id``, or the ``.yarn-properties-<user>`` file; see
:mod:`~flinkyarn.cli.cluster_options`) and reached through the RM web proxy.

Output, as Flink's:

* ``list [-r|-s|-a]``: ``Waiting for response...``, then ``No running jobs.`` or the block
  ``------------------ Running/Restarting Jobs -------------------``, one line
  ``dd.MM.yyyy HH:mm:ss : <jobId> : <name> (<state>)`` per job (by start time), and a closing
  rule; likewise the scheduled jobs (CREATED, INITIALIZING) and, with ``-a``, the terminated
  ones.
* ``cancel``: ``Cancelling job <id>.`` and, once the JobManager accepted, ``Cancelled job <id>.``
* ``stop``: ``Suspending job "<id>" with a CANONICAL savepoint.`` (``Draining job`` with ``-d``)
  and ``Savepoint completed. Path: <path>``.

A malformed job id is a command-line error (``Cannot parse JobID from "..."``); a job the
cluster does not know fails the action with Flink's ``Could not cancel job <id>.`` /
``Could not stop with a savepoint job "<id>".`` and the JobManager's answer as the cause.
"""

import datetime

from twisted.internet.defer import inlineCallbacks

from flinkyarn.cli.cluster_options import (
    GENERAL_OPTIONS,
    HELP,
    NO_CLUSTER_ID,
    DYNAMIC_PROPERTIES,
    YarnOptions,
    cluster_configuration,
)
from flinkyarn.cli.console import YARN_SESSION_CLI
from flinkyarn.cli.help_text import print_action_help
from flinkyarn.cli.options import CliArgsException, Option, parse
from flinkyarn.ids import JobID
from flinkyarn.runtime.errors import FlinkException
from flinkyarn.states import JobStatus

__all__ = [
    "list_action",
    "cancel_action",
    "stop_action",
    "job_list_lines",
    "parse_job_id",
    "retrieve_cluster",
    "YARN",
    "LIST_OPTIONS",
    "CANCEL_OPTIONS",
    "STOP_OPTIONS",
]

YARN = YarnOptions("y", "yarn")

RUNNING = Option("r", "running", "Show only running programs and their JobIDs")
SCHEDULED = Option("s", "scheduled", "Show only scheduled programs and their JobIDs")
ALL = Option("a", "all", "Show all programs and their JobIDs")
SAVEPOINT_PATH = Option(
    "p", "savepointPath",
    'Path to the savepoint (for example hdfs:///flink/savepoint-1537). If no directory is '
    'specified, the configured default will be used ("state.savepoints.dir").',
    "savepointPath", optional_arg=True)
DRAIN = Option(
    "d", "drain",
    "Send MAX_WATERMARK before taking the savepoint and stopping the pipeline.")

_CLUSTER_OPTIONS = GENERAL_OPTIONS + YARN.all
LIST_OPTIONS = (RUNNING, SCHEDULED, ALL) + _CLUSTER_OPTIONS
CANCEL_OPTIONS = _CLUSTER_OPTIONS
STOP_OPTIONS = (SAVEPOINT_PATH, DRAIN) + _CLUSTER_OPTIONS

_RULE = "--------------------------------------------------------------"
_SCHEDULED_STATES = (JobStatus.CREATED, JobStatus.INITIALIZING)


def parse_job_id(text):
    """:return: the :class:`~flinkyarn.ids.JobID`. :raise CliArgsException: in Flink's words."""
    if text is None:
        raise CliArgsException("Missing JobId")
    try:
        return JobID.parse(text)
    except ValueError as error:
        raise CliArgsException(str(error)) from None


@inlineCallbacks
def retrieve_cluster(context, command_line):
    """
    Find the cluster ``command_line`` names and attach to it (``runClusterAction``).

    :return: a Deferred firing with ``(its ClusterClient, the effective configuration)``.
    :raise FlinkException: ``No cluster id was specified. ...`` when none is named.
    """
    context.service_address(command_line)
    home = context.flink_home(command_line, DYNAMIC_PROPERTIES, YARN.dynamic_properties)
    cluster = cluster_configuration(home.configuration(), command_line, YARN,
                                    user_name=context.login_name)
    if cluster.properties_file is not None:
        context.console.info(YARN_SESSION_CLI, "Found Yarn properties file under "
                                               f"{cluster.properties_file.path}.")
    if cluster.application_id is None:
        raise FlinkException(NO_CLUSTER_ID)
    descriptor = context.descriptor(cluster.configuration, home)
    client = yield descriptor.retrieve(cluster.application_id)
    return client, cluster.configuration


def _sorted_jobs(jobs):
    """``sortJobStatusMessages``: grouped by state (names ignoring case), then by start time."""
    by_state = sorted(jobs, key=lambda job: str(job.job_state).lower())
    return sorted(by_state, key=lambda job: job.start_time)


def _job_line(job, tz):
    moment = datetime.datetime.fromtimestamp(job.start_time / 1000.0, tz)
    return (f"{moment.strftime('%d.%m.%Y %H:%M:%S')} : {job.job_id} : {job.job_name} "
            f"({job.job_state})")


def job_list_lines(jobs, show_running=True, show_scheduled=True, show_all=False, tz=None):
    """
    :param jobs: :class:`~flinkyarn.client.cluster_client.JobStatusMessage`\\ s.
    :param tz: the ``tzinfo`` of the start times shown (``None``: the local time zone, as
        Java's ``SimpleDateFormat``).
    :return: the lines ``listJobs`` prints after ``Waiting for response...``.
    """
    running, scheduled, terminated = [], [], []
    for job in jobs:
        if job.job_state in _SCHEDULED_STATES:
            scheduled.append(job)
        elif not job.job_state.is_globally_terminal:
            running.append(job)
        else:
            terminated.append(job)
    lines = []
    if show_running or show_all:
        if not running:
            lines.append("No running jobs.")
        else:
            lines.append("------------------ Running/Restarting Jobs -------------------")
            lines.extend(_job_line(job, tz) for job in _sorted_jobs(running))
            lines.append(_RULE)
    if show_scheduled or show_all:
        if not scheduled:
            lines.append("No scheduled jobs.")
        else:
            lines.append("----------------------- Scheduled Jobs -----------------------")
            lines.extend(_job_line(job, tz) for job in _sorted_jobs(scheduled))
            lines.append(_RULE)
    if show_all and terminated:
        lines.append("---------------------- Terminated Jobs -----------------------")
        lines.extend(_job_line(job, tz) for job in _sorted_jobs(terminated))
        lines.append(_RULE)
    return lines


def list_help(console, shared=True):
    return print_action_help(console, "list", "list [OPTIONS]",
                             "lists running and scheduled programs.",
                             (RUNNING, SCHEDULED, ALL, HELP), shared=shared)


def cancel_help(console, shared=True):
    return print_action_help(console, "cancel", "cancel [OPTIONS] <Job ID>",
                             "cancels a running program.", (HELP,), shared=shared)


def stop_help(console, shared=True):
    return print_action_help(console, "stop", "stop [OPTIONS] <Job ID>",
                             "stops a running program with a savepoint (streaming jobs only).",
                             (SAVEPOINT_PATH, DRAIN, HELP), shared=shared)


@inlineCallbacks
def list_action(context, arguments):
    """``flinkyarn list``; :return: a Deferred firing with the exit status."""
    command_line = parse(LIST_OPTIONS, arguments)
    if command_line.has(HELP):
        return list_help(context.console)
    show_running = command_line.has(RUNNING)
    show_scheduled = command_line.has(SCHEDULED)
    show_all = command_line.has(ALL)
    if not (show_running or show_scheduled or show_all):
        show_running = show_scheduled = True
    client, _ = yield retrieve_cluster(context, command_line)
    listing = client.list_jobs()
    context.console.print("Waiting for response...")
    try:
        jobs = yield listing
    except Exception as error:
        raise FlinkException("Failed to retrieve job list.") from error
    for line in job_list_lines(jobs, show_running, show_scheduled, show_all):
        context.console.print(line)
    return 0


@inlineCallbacks
def cancel_action(context, arguments):
    """``flinkyarn cancel JOBID``; :return: a Deferred firing with the exit status."""
    command_line = parse(CANCEL_OPTIONS, arguments)
    if command_line.has(HELP):
        return cancel_help(context.console)
    if not command_line.args:
        raise CliArgsException("Missing JobID. Specify a JobID to cancel a job.")
    job_id = parse_job_id(command_line.args[0])
    context.console.print(f"Cancelling job {job_id}.")
    client, _ = yield retrieve_cluster(context, command_line)
    try:
        yield client.cancel(job_id)
    except Exception as error:
        raise FlinkException(f"Could not cancel job {job_id}.") from error
    context.console.print(f"Cancelled job {job_id}.")
    return 0


@inlineCallbacks
def stop_action(context, arguments):
    """``flinkyarn stop [-p DIR] [-d] JOBID``; :return: a Deferred firing with the exit
    status."""
    command_line = parse(STOP_OPTIONS, arguments)
    if command_line.has(HELP):
        return stop_help(context.console)
    args = command_line.args
    has_path = command_line.has(SAVEPOINT_PATH)
    target_directory = command_line.value(SAVEPOINT_PATH) if has_path and args else None
    job_id = parse_job_id(args[0] if args else command_line.value(SAVEPOINT_PATH))
    drain = command_line.has(DRAIN)
    verb = "Draining job " if drain else "Suspending job "
    context.console.print(f'{verb}"{job_id}" with a CANONICAL savepoint.')
    client, _ = yield retrieve_cluster(context, command_line)
    try:
        path = yield client.stop_with_savepoint(job_id, target_directory, drain)
    except Exception as error:
        raise FlinkException(f'Could not stop with a savepoint job "{job_id}".') from error
    context.console.print(f"Savepoint completed. Path: {path}")
    return 0
