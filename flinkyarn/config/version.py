"""
:class:`FlinkVersion`: which Flink release's behaviour the emulator reproduces where releases
differ (the default restart strategy and exponential-delay defaults changed in 1.19).

The emulator targets Flink 1.17 to 1.20, the releases that still have per-job mode. It picks
1.18 by default: the last release whose defaults the seed documents describe (fixed-delay restarts
when checkpointing is on, ``flink-conf.yaml``). Flink 2.x is not accepted: it removed per-job mode.
"""

import re

from attrs import frozen

__all__ = [
    "FlinkVersion", "V1_17", "V1_18", "V1_19", "V1_20", "DEFAULT_VERSION", "SUPPORTED_VERSIONS",
]

_VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.\d+)?(?:-SNAPSHOT)?\Z")


@frozen(order=True)
class FlinkVersion:
    """
    A Flink release line, ``major.minor`` (patch releases behave alike here).

    :ivar int major:
    :ivar int minor:
    """

    major: int
    minor: int

    @classmethod
    def parse(cls, text):
        """
        :param text: ``1.18``, ``1.18.1`` or a :class:`FlinkVersion`.
        :raise ValueError: if it is not a version the emulator reproduces (1.17 to 1.20).
        """
        if isinstance(text, FlinkVersion):
            version = text
        else:
            match = _VERSION_RE.match(str(text).strip())
            if not match:
                raise ValueError(f"Not a Flink version: {text!r} (expected e.g. 1.18)")
            version = cls(int(match.group(1)), int(match.group(2)))
        if version not in SUPPORTED_VERSIONS:
            supported = ", ".join(map(str, SUPPORTED_VERSIONS))
            raise ValueError(f"Flink {version} is not emulated; supported versions are {supported}"
                             " (per-job mode, which 2.0 removed, is part of the target)")
        return version

    def __str__(self):
        return f"{self.major}.{self.minor}"


V1_17 = FlinkVersion(1, 17)
V1_18 = FlinkVersion(1, 18)
V1_19 = FlinkVersion(1, 19)
V1_20 = FlinkVersion(1, 20)

SUPPORTED_VERSIONS = (V1_17, V1_18, V1_19, V1_20)

DEFAULT_VERSION = V1_18
"""The version reproduced unless ``flinkyarn.version`` or an explicit argument says otherwise."""
