"""
The scenario runner: scripted Flink-on-YARN runs in virtual time, and what they report.
"""
