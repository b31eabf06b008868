"""
Hypothesis profiles, registered in one place.

- ``ci``: derandomized (the same examples every run), no deadline (CI machines are slow and
  noisy), and enough examples to matter; chosen when the ``CI`` environment variable is set.
- ``dev``: Hypothesis's defaults with no deadline, for local runs.

Set ``YARNEMU_HYPOTHESIS_PROFILE`` to pick one explicitly.
"""

import os

from hypothesis import HealthCheck, settings

__all__ = ["register_profiles", "load_profile"]

CI_EXAMPLES = 200


def register_profiles():
    settings.register_profile(
        "ci",
        derandomize=True,
        deadline=None,
        max_examples=CI_EXAMPLES,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile("dev", deadline=None, print_blob=True)


def load_profile(environ=os.environ):
    """Register the profiles and load the one the environment asks for."""
    register_profiles()
    name = environ.get("YARNEMU_HYPOTHESIS_PROFILE") or ("ci" if environ.get("CI") else "dev")
    settings.load_profile(name)
    return name
