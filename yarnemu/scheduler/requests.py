"""
Checking and normalizing resource requests, as ``SchedulerUtils.validateResourceRequest`` and the
scheduler's normalization do: validation against the maximum allocation comes **first**, then
normalization rounds up to the minimum allocation.
"""

from attrs import evolve

from yarnemu.errors import InvalidResourceRequestException

__all__ = ["validate_resource_request", "normalize_request"]


def validate_resource_request(request, maximum):
    """
    :raise InvalidResourceRequestException: if the request asks for a negative amount, more than
        ``maximum`` in either dimension, or a negative number of containers.
    """
    capability = request.capability
    if capability.memory < 0 or capability.memory > maximum.memory:
        raise InvalidResourceRequestException(
            "Invalid resource request, requested memory < 0, or requested memory > max configured, "
            f"requestedMemory={capability.memory}, maxMemory={maximum.memory}"
        )
    if capability.vcores < 0 or capability.vcores > maximum.vcores:
        raise InvalidResourceRequestException(
            "Invalid resource request, requested virtual cores < 0, or requested virtual cores > "
            f"max configured, requestedVirtualCores={capability.vcores}, "
            f"maxVirtualCores={maximum.vcores}"
        )
    if request.num_containers < 0:
        raise InvalidResourceRequestException(
            f"Invalid resource request, requested number of containers < 0, "
            f"numContainers={request.num_containers}"
        )


def normalize_request(request, calculator, minimum, maximum):
    """
    :return: ``request`` with its capability normalized by ``calculator``.
    """
    normalized = calculator.normalize(request.capability, minimum, maximum)
    if normalized == request.capability:
        return request
    return evolve(request, capability=normalized)
