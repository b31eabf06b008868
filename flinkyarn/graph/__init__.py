"""
Flink's graphs, from program to running job: the StreamGraph (one node per operator), the
JobGraph (one vertex per chain of operators; what is submitted and staged as ``job.graph``) and
the ExecutionGraph (one vertex per subtask, one execution per attempt; what a JobMaster drives).
"""
