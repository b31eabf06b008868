"""
The TaskManager process of Flink on YARN: :class:`YarnTaskExecutorRunner`, the container program
(``org.apache.flink.yarn.YarnTaskExecutorRunner``), and the :class:`TaskExecutor` endpoint it
hosts, which registers at the ResourceManager, offers slots to JobMasters and runs simulated
tasks.
"""

from flinkyarn.runtime.taskexecutor.runner import YarnTaskExecutorRunner
from flinkyarn.runtime.taskexecutor.task_executor import TaskExecutor

__all__ = ["YarnTaskExecutorRunner", "TaskExecutor"]
