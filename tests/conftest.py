"""
Test-suite wiring: the Hypothesis profile (``ci`` when ``CI`` is set) and shared fixtures.
"""

from yarnemu.testing.hypothesis_profiles import load_profile

load_profile()
