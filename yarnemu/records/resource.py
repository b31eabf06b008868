"""
:class:`Resource`: an amount of memory (MB) and virtual cores, YARN's unit of allocation.
"""

from attrs import frozen

__all__ = ["Resource"]


@frozen(order=False)
class Resource:
    """
    :ivar int memory: memory in MB (Hadoop's ``memorySize``).
    :ivar int vcores: virtual cores.
    """

    memory: int
    vcores: int

    def __add__(self, other):
        return Resource(self.memory + other.memory, self.vcores + other.vcores)

    def __sub__(self, other):
        return Resource(self.memory - other.memory, self.vcores - other.vcores)

    def __mul__(self, factor):
        return Resource(self.memory * factor, self.vcores * factor)

    def fits_in(self, other):
        """
        :return: ``True`` if both dimensions are at most ``other``'s.
        """
        return self.memory <= other.memory and self.vcores <= other.vcores

    def is_non_negative(self):
        return self.memory >= 0 and self.vcores >= 0

    def component_min(self, other):
        return Resource(min(self.memory, other.memory), min(self.vcores, other.vcores))

    def component_max(self, other):
        return Resource(max(self.memory, other.memory), max(self.vcores, other.vcores))

    def __str__(self):
        return f"<memory:{self.memory}, vCores:{self.vcores}>"

    def to_json(self):
        """
        :return: the REST form, ``{"memory": …, "vCores": …}``.
        """
        return {"memory": self.memory, "vCores": self.vcores}


Resource.NONE = Resource(0, 0)
