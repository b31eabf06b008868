"""
The JobManager processes of Flink on YARN, as container programs: the session, per-job and
application cluster entrypoints.
"""
