"""
Flink's ResourceManager in the JobManager process, and its YARN driver.

- :mod:`~.resource_manager`: :class:`ResourceManager`, the ``resourcemanager_0`` endpoint
  (``IResourceManagerGateway``): JobMaster and TaskExecutor registrations, heartbeats;
- :mod:`~.slot_manager`: the declarative slot manager (slots, requirements, idle TaskManagers),
  deciding through the pure :mod:`~.allocation_plan`;
- :mod:`~.workers` / :mod:`~.fixed_workers`: the workers of an active cluster (started and
  released on demand through the driver) or of a standalone one (a fixed number);
- :mod:`~.driver`: the driver seam; :mod:`~.yarn_driver`: :class:`YarnResourceManagerDriver`,
  with :mod:`~.priority_adapter` (a YARN priority per TaskExecutor spec);
- :mod:`~.worker_spec`, :mod:`~.threshold_meter`, :mod:`~.log_text`, :mod:`~.views`: worker
  specs, the start-failure rate, the text forms of Flink's logs, and the values the REST API
  reads.

Construction, as the JobManager entrypoint does it::

    driver = YarnResourceManagerDriver(context, config, log, host, rpc.port, rest_port,
                                       web_interface_url)
    rm = ResourceManager(rpc, config, log, context.clock, events, application_id, driver,
                         resource_id)                       # fixed_workers=N: standalone
    rm.start()                                              # resourcemanager_0, registers the AM
    ...
    rm.deregister_application(ApplicationStatus.SUCCEEDED, None)   # → Deferred
    rm.stop()
"""

from flinkyarn.runtime.resourcemanager.driver import (
    IResourceEventHandler,
    IResourceManagerDriver,
    IWorkerNode,
)
from flinkyarn.runtime.resourcemanager.resource_manager import ResourceManager
from flinkyarn.runtime.resourcemanager.views import SlotInfo, TaskManagerInfo
from flinkyarn.runtime.resourcemanager.worker_spec import WorkerResourceSpec
from flinkyarn.runtime.resourcemanager.yarn_driver import YarnResourceManagerDriver, YarnWorkerNode

__all__ = [
    "ResourceManager",
    "YarnResourceManagerDriver",
    "YarnWorkerNode",
    "IResourceManagerDriver",
    "IResourceEventHandler",
    "IWorkerNode",
    "SlotInfo",
    "TaskManagerInfo",
    "WorkerResourceSpec",
]
