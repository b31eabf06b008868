"""
:class:`ResourceSpec`: the resources a job vertex declares for its subtasks (Flink's
``org.apache.flink.api.common.operators.ResourceSpec`` since FLIP-49): CPU cores, task heap,
task off-heap and managed memory, in whole MB.  A vertex that declares none is served by the
cluster's default slot.

A pure value, validated when made: cores must be positive, sizes not negative.
"""

from attrs import field, frozen

__all__ = ["ResourceSpec"]


def _cores(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"cpu_cores must be a positive number, got {value!r}")
    return float(value)


def _non_negative_mb(instance, attribute, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{attribute.name} must be a whole number of MB, at least 0, "
                         f"got {value!r}")


@frozen
class ResourceSpec:
    """
    :ivar float cpu_cores:
    :ivar int task_heap_mb:
    :ivar int task_off_heap_mb: direct and native memory together (FLIP-49 merged them).
    :ivar int managed_memory_mb:
    """

    cpu_cores: float = field(converter=_cores)
    task_heap_mb: int = field(validator=_non_negative_mb)
    task_off_heap_mb: int = field(default=0, validator=_non_negative_mb)
    managed_memory_mb: int = field(default=0, validator=_non_negative_mb)

    def merge(self, other):
        """:return: the sum of two specs (``ResourceSpec#merge``: a slot shared by both)."""
        return ResourceSpec(self.cpu_cores + other.cpu_cores,
                            self.task_heap_mb + other.task_heap_mb,
                            self.task_off_heap_mb + other.task_off_heap_mb,
                            self.managed_memory_mb + other.managed_memory_mb)
