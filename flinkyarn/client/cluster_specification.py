"""
:class:`ClusterSpecification`: the sizes a Flink cluster is deployed with — the JobManager's and a
TaskManager's total process memory and the slots per TaskManager — derived from the configuration
as ``AbstractContainerizedClusterClientFactory.getClusterSpecification`` derives them.
"""

from attrs import frozen

from flinkyarn.config import JobManagerProcessSpec, TaskExecutorProcessSpec
from flinkyarn.config import options as o

__all__ = ["ClusterSpecification"]


@frozen
class ClusterSpecification:
    """
    :ivar int master_memory_mb: the JobManager's total process memory (the AM container).
    :ivar int task_manager_memory_mb: a TaskManager's total process memory.
    :ivar int slots_per_task_manager:
    """

    master_memory_mb: int
    task_manager_memory_mb: int
    slots_per_task_manager: int

    @classmethod
    def from_configuration(cls, config):
        """
        :param config: a :class:`~flinkyarn.config.Configuration`.
        :raise IllegalConfigurationException: when the memory configuration does not add up.
        """
        return cls(
            master_memory_mb=JobManagerProcessSpec.from_config(config).container_memory_mb,
            task_manager_memory_mb=TaskExecutorProcessSpec.from_config(config).container_memory_mb,
            slots_per_task_manager=config.get(o.NUM_TASK_SLOTS),
        )

    def __str__(self):
        return (f"ClusterSpecification{{masterMemoryMB={self.master_memory_mb}, "
                f"taskManagerMemoryMB={self.task_manager_memory_mb}, "
                f"slotsPerTaskManager={self.slots_per_task_manager}}}")
