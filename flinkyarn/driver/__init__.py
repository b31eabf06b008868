"""
FLIP-40 driver mode: the user's ``main()`` runs in a Flink job of its own — the *driver job* —
inside the cluster, so that no client process has to stay alive while a multi-job application
runs.

- :mod:`~flinkyarn.driver.resources`: the driver's ``--driverheapmemory``,
  ``--driverdirectmemory``, ``--drivercpus`` and ``--drivernativememory`` and the slot they ask
  for;
- :mod:`~flinkyarn.driver.job`: the driver job itself — one vertex of parallelism 1 whose
  operator carries the program (:class:`~flinkyarn.graph.driver_program.DriverProgram`) — and
  its name, ``Flink Driver (<program>)``;
- :mod:`~flinkyarn.driver.program`: loading the shipped program in the TaskManager and wording
  what its ``main()`` raised;
- :mod:`~flinkyarn.driver.executor`: what ``execute()`` does inside the driver: submit to the
  driver's own cluster, the job named ``<driver job name> - <job name>``;
- :mod:`~flinkyarn.driver.task`: the driver task, which runs ``main()`` in its slot.

The driver job goes where any job goes — to a session (``yarn-session``), or to a per-job cluster
of its own (``yarn-per-job``), which then also takes the jobs ``main()`` submits and ends once
they and the driver are done.  The client's ``-d`` decides only whether the client waits for the
driver job's result.
"""

from flinkyarn.driver.job import driver_job_graph, driver_job_name, is_driver_job
from flinkyarn.driver.resources import DriverResources

__all__ = ["DriverResources", "driver_job_graph", "driver_job_name", "is_driver_job"]
