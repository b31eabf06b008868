"""
:class:`FlinkOnYarn`: a yarnemu cluster whose NodeManagers run Flink, with a Flink distribution to
deploy from — the whole of Flink on YARN in one process, on one clock.

It is how tests, scenarios and the demo set Flink up: deploy sessions, per-job and application
clusters with :meth:`FlinkOnYarn.descriptor` (Flink's ``YarnClusterDescriptor``), and drive virtual
time with :meth:`FlinkOnYarn.run` (until a Deferred fires) or :meth:`FlinkOnYarn.run_until`.

It also reaches into what runs: the Flink processes in containers (:meth:`FlinkOnYarn.job_manager`,
:meth:`FlinkOnYarn.task_managers`), and the faults a real cluster suffers — a container's process
killed (:meth:`FlinkOnYarn.kill_container`), a task failing (:meth:`FlinkOnYarn.fail_task`).
"""

import os

from twisted.python.failure import Failure

from flinkyarn.client import ClusterSpecification, FlinkHome, YarnClusterDescriptor
from flinkyarn.config import options
from flinkyarn.entrypoint.cluster_entrypoint import YarnClusterEntrypoint
from flinkyarn.programs import flink_on_yarn_programs
from flinkyarn.runtime.taskexecutor.runner import YarnTaskExecutorRunner
from flinkyarn.states import ExecutionState
from yarnemu.client.filesystem import InProcessFileSystemClient
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.config import YarnConfiguration

__all__ = ["FlinkOnYarn", "FLINK_HOME_SHOWN_AS"]

FLINK_HOME_SHOWN_AS = "/opt/flink"
"""Where the stand-in distribution says it lives (``FLINK_HOME`` of Flink's Docker images)."""


class FlinkOnYarn:
    """
    :param data_dir: a directory for the cluster's data and the Flink distribution.
    :param node_groups: the cluster's :class:`~yarnemu.cluster.NodeGroup` values.
    :param yarn_config: yarn-site settings (a mapping or a ``YarnConfiguration``).
    :param flink_config: settings over the distribution's ``flink-conf.yaml``.
    :param str dist_size: ``realistic`` or ``tiny`` (the stand-in distribution's file sizes).
    :param int seed: the cluster's random seed.
    :param clock: a clock (default: a :class:`VirtualClock` at :data:`DEFAULT_EPOCH`).

    :ivar yarn: the :class:`~yarnemu.cluster.YarnCluster`.
    :ivar flink_home: the :class:`~flinkyarn.client.FlinkHome`.
    :ivar config: the Flink configuration clients start from.
    """

    def __init__(self, data_dir, node_groups=(NodeGroup(3),), yarn_config=None, flink_config=None,
                 dist_size="realistic", seed=0, clock=None, events=None):
        self.clock = clock if clock is not None else VirtualClock(DEFAULT_EPOCH)
        if not isinstance(yarn_config, YarnConfiguration):
            yarn_config = YarnConfiguration(yarn_config or {})
        self.yarn = YarnCluster(self.clock, os.path.join(str(data_dir), "cluster"), node_groups,
                                config=yarn_config, programs=flink_on_yarn_programs(), seed=seed,
                                events=events)
        self.flink_home = FlinkHome.create(os.path.join(str(data_dir), "flink"), dist_size,
                                           shown_as=FLINK_HOME_SHOWN_AS)
        self.config = self.flink_home.configuration().with_values(
            {options.SIM_DIST_SIZE.key: dist_size, **dict(flink_config or {})})

    @property
    def events(self):
        return self.yarn.events

    @property
    def rm(self):
        return self.yarn.rm

    def start(self):
        """Start the NodeManagers and let them register."""
        self.yarn.start()
        self.clock.advance(1.0)
        return self

    def descriptor(self, user="flink", config=None):
        """
        :return: a ``YarnClusterDescriptor`` deploying as ``user`` with ``config``, through the
            in-process clients of the cluster: its YARN client and its fake HDFS (uploads to which
            take simulated time, ``flinkyarn.simulation.upload.bandwidth-mb``).
        """
        return YarnClusterDescriptor(
            config if config is not None else self.config, self.yarn.yarn_client(user),
            InProcessFileSystemClient(self.yarn.filesystem, user), self.clock, self.yarn.events,
            user, self.flink_home, self.yarn.network, yarn_config=self.yarn.config)

    def specification(self, config=None):
        return ClusterSpecification.from_configuration(config if config is not None else self.config)

    def run(self, deferred, seconds=3600):
        """
        Drive virtual time until ``deferred`` fires (at most ``seconds`` more).

        :return: its result.
        :raise: its failure's exception, or ``TimeoutError`` if it did not fire.
        """
        outcome = []
        deferred.addBoth(outcome.append)
        self.clock.run_until_true(lambda: outcome, limit=self.clock.seconds() + seconds)
        if not outcome:
            raise TimeoutError(f"nothing happened within {seconds} s of virtual time")
        if isinstance(outcome[0], Failure):
            outcome[0].raiseException()
        return outcome[0]

    def run_until(self, predicate, seconds=3600):
        """Drive virtual time until ``predicate()`` holds.  :return: whether it does."""
        return self.clock.run_until_true(predicate, limit=self.clock.seconds() + seconds)

    def advance(self, seconds):
        self.clock.advance(seconds)

    # What runs

    def application_report(self, application_id):
        """:return: the RM's ``ApplicationReport`` of ``application_id``."""
        return self.yarn.rm.client_service.get_application_report(application_id)

    def processes(self, application_id=None):
        """
        :return: ``(container_id, program)`` of every running container program (of
            ``application_id``'s containers only, if given), ordered by container id.
        """
        found = []
        for host in sorted(self.yarn.node_managers):
            for container_id, container in self.yarn.node_managers[host].containers.items():
                running = container.running
                if running is None or not running.alive or running.program is None:
                    continue
                program = running.program
                if application_id is None or container_id.application_id == application_id:
                    found.append((container_id, program))
        found.sort(key=lambda pair: (pair[0].application_attempt_id, pair[0].container_id))
        return found

    def job_manager(self, application_id):
        """
        :return: the running JobManager (cluster entrypoint) of ``application_id``.
        :raise LookupError: if none runs.
        """
        for _, program in self.processes(application_id):
            if isinstance(program, YarnClusterEntrypoint):
                return program
        raise LookupError(f"No JobManager of {application_id} is running")

    def task_managers(self, application_id):
        """:return: the running TaskManager processes of ``application_id``, by container id."""
        return [program for _, program in self.processes(application_id)
                if isinstance(program, YarnTaskExecutorRunner)]

    # Faults

    def kill_container(self, container_id):
        """
        Kill a container's process at once (``kill -9``, the OOM killer): it exits with 137.

        :raise YarnException: if it is not running.
        """
        node_id = self.yarn.rm.containers[container_id].node_id
        self.yarn.node_managers[node_id.host].kill_container_process(container_id)

    def task_manager_running(self, application_id, job_id, task_name, subtask=0):
        """
        :return: ``(execution, task_manager)``: the RUNNING attempt of subtask ``subtask`` of the
            job vertex named ``task_name`` of job ``job_id``, and the TaskManager process it
            runs in.
        :raise LookupError: if that subtask is not running.
        """
        master = self.job_manager(application_id).dispatcher.request_job(job_id)
        for vertex in master.graph.execution_vertices():
            execution = vertex.current_execution
            if (vertex.job_vertex.name == task_name and vertex.subtask_index == subtask
                    and execution.state is ExecutionState.RUNNING):
                for task_manager in self.task_managers(application_id):
                    if str(task_manager.container_id) == str(execution.assigned_resource):
                        return execution, task_manager
        raise LookupError(f"Subtask {subtask} of {task_name!r} of job {job_id} is not running")

    def fail_task(self, application_id, job_id, task_name, subtask=0,
                  message="Simulated task failure"):
        """
        Make a running task throw: subtask ``subtask`` of the job vertex named ``task_name`` of
        job ``job_id`` fails on its TaskManager with ``message``, and the JobMaster reacts as to
        any task failure (restart strategy, failover).

        :raise LookupError: if that subtask is not running.
        """
        execution, task_manager = self.task_manager_running(application_id, job_id, task_name,
                                                            subtask)
        task_manager.task_executor.fail_task(execution.attempt_id, message)
