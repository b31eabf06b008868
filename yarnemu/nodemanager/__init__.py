"""
The NodeManager: :class:`~yarnemu.nodemanager.nodemanager.NodeManager`, its containers,
localization, container executors and the programs containers run.
"""

from yarnemu.nodemanager.nodemanager import NodeManager

__all__ = ["NodeManager"]
