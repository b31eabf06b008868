"""
Flink on YARN, re-implemented in Python for the yarnemu emulator.
"""
