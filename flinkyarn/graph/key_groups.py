"""
Max parallelism (the number of key groups), as Flink's ``KeyGroupRangeAssignment`` bounds and
defaults it.
"""

__all__ = [
    "DEFAULT_LOWER_BOUND_MAX_PARALLELISM",
    "UPPER_BOUND_MAX_PARALLELISM",
    "MAX_PARALLELISM_DEFAULT",
    "compute_default_max_parallelism",
    "effective_max_parallelism",
]

#: The smallest default max parallelism.
DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 1 << 7
#: The largest max parallelism there can be.
UPPER_BOUND_MAX_PARALLELISM = 1 << 15
#: "Not set": the default is computed from the parallelism (``JobVertex.MAX_PARALLELISM_DEFAULT``).
MAX_PARALLELISM_DEFAULT = -1


def _round_up_to_power_of_two(value):
    return 1 << (value - 1).bit_length() if value > 1 else 1


def compute_default_max_parallelism(parallelism):
    """
    :return: ``roundUpToPowerOfTwo(parallelism + parallelism / 2)`` clamped to [128, 32768].
    """
    wanted = _round_up_to_power_of_two(parallelism + parallelism // 2)
    return min(max(wanted, DEFAULT_LOWER_BOUND_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM)


def effective_max_parallelism(max_parallelism, parallelism):
    """
    :return: ``max_parallelism`` if it is set (positive), else the default for ``parallelism``.
    """
    if max_parallelism > 0:
        return max_parallelism
    return compute_default_max_parallelism(parallelism)
