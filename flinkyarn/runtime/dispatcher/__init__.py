"""
The Dispatcher: receives jobs and runs a JobMaster for each; in per-job and application clusters
it also decides when the cluster shuts down.
"""
