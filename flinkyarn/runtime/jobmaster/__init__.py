"""
The JobMaster: one job's scheduler in the JobManager process — ExecutionGraph, slot pool,
deployment, failover with restart strategies, checkpoints, cancellation.
"""
