"""
The ResourceManager: :class:`~yarnemu.resourcemanager.rm.ResourceManager` and the lifecycles and
services it is made of.
"""

from yarnemu.resourcemanager.rm import ResourceManager

__all__ = ["ResourceManager"]
