"""
Flink's YARN integration: what travels between the client, the YARN application master
(the JobManager) and the TaskManager containers — class names, environment variables, staged
files — and the components that do the travelling.
"""
