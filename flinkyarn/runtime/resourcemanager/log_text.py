"""
How Flink's resource-management logs print the values they mention (their Java ``toString``):
resource profiles, resource requirements, and ``java.time.Duration`` (``PT5M``).
"""

from flinkyarn.config.values import MemorySize, format_java_double

__all__ = ["profile_text", "requirement_text", "requirements_text", "java_duration_text"]


def profile_text(profile):
    """``ResourceProfile{UNKNOWN}`` or ``ResourceProfile{cpuCores=1.0, taskHeapMemory=…}``."""
    if profile.is_unknown:
        return "ResourceProfile{UNKNOWN}"
    return ("ResourceProfile{"
            f"cpuCores={format_java_double(profile.cpu_cores)}, "
            f"taskHeapMemory={_mb(profile.task_heap_mb)}, "
            f"taskOffHeapMemory={_mb(profile.task_off_heap_mb)}, "
            f"managedMemory={_mb(profile.managed_memory_mb)}, "
            f"networkMemory={_mb(profile.network_memory_mb)}}}")


def requirement_text(requirement):
    """``ResourceRequirement{resourceProfile=…, numberOfRequiredSlots=N}``."""
    return (f"ResourceRequirement{{resourceProfile={profile_text(requirement.profile)}, "
            f"numberOfRequiredSlots={requirement.count}}}")


def requirements_text(requirements):
    """A Java list of requirements: ``[ResourceRequirement{…}, …]``."""
    return "[" + ", ".join(requirement_text(r) for r in requirements) + "]"


def java_duration_text(duration):
    """
    ``java.time.Duration.toString``: ISO-8601 with hours, minutes and seconds (``PT5M``,
    ``PT3S``, ``PT0.5S``, ``PT1H30M``, ``PT0S``).
    """
    nanos = duration.nanos
    hours, nanos = divmod(nanos, 3600 * 10**9)
    minutes, nanos = divmod(nanos, 60 * 10**9)
    seconds, nanos = divmod(nanos, 10**9)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if seconds or nanos or text == "PT":
        text += str(seconds)
        if nanos:
            text += "." + f"{nanos:09d}".rstrip("0")
        text += "S"
    return text


def _mb(megabytes):
    return MemorySize.of_mebibytes(megabytes or 0).to_human_readable()
