"""
Public testing tools: Hypothesis profiles and strategies for yarnemu's records and cluster
operations, for yarnemu's own tests and for people testing their code against yarnemu.
"""
