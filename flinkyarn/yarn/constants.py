"""
The names Flink's YARN integration agrees on between the client that deploys a cluster, the
JobManager it starts as the application master, and the TaskManagers the JobManager starts: the
main classes container commands name, and the environment variables (``YarnConfigKeys``).
"""

__all__ = [
    "SESSION_ENTRYPOINT",
    "JOB_ENTRYPOINT",
    "APPLICATION_ENTRYPOINT",
    "TASK_EXECUTOR_RUNNER",
    "ENV_FLINK_CLASSPATH",
    "ENV_FLINK_DIST_JAR",
    "ENV_APP_ID",
    "ENV_CLIENT_HOME_DIR",
    "ENV_CLIENT_SHIP_FILES",
    "ENV_FLINK_YARN_FILES",
    "ENV_HADOOP_USER_NAME",
    "ENV_FLINK_LIB_DIR",
    "ENV_FLINK_OPT_DIR",
    "ENV_FLINK_NODE_ID",
    "STAGING_DIRECTORY_NAME",
    "JOB_GRAPH_FILE_NAME",
    "LOG_CONFIG_FILE_NAME",
    "APPLICATION_TYPE",
    "DEFAULT_SESSION_NAME",
    "DEFAULT_JOB_NAME",
    "DEFAULT_APPLICATION_NAME",
]

SESSION_ENTRYPOINT = "org.apache.flink.yarn.entrypoint.YarnSessionClusterEntrypoint"
JOB_ENTRYPOINT = "org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint"
APPLICATION_ENTRYPOINT = "org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint"
TASK_EXECUTOR_RUNNER = "org.apache.flink.yarn.YarnTaskExecutorRunner"

ENV_FLINK_CLASSPATH = "_FLINK_CLASSPATH"
ENV_FLINK_DIST_JAR = "_FLINK_DIST_JAR"
ENV_APP_ID = "_APP_ID"
ENV_CLIENT_HOME_DIR = "_CLIENT_HOME_DIR"
ENV_CLIENT_SHIP_FILES = "_CLIENT_SHIP_FILES"
ENV_FLINK_YARN_FILES = "_FLINK_YARN_FILES"
ENV_HADOOP_USER_NAME = "HADOOP_USER_NAME"
ENV_FLINK_LIB_DIR = "FLINK_LIB_DIR"
ENV_FLINK_OPT_DIR = "FLINK_OPT_DIR"
ENV_FLINK_NODE_ID = "_FLINK_NODE_ID"

STAGING_DIRECTORY_NAME = ".flink"
"""Under the staging root: ``<root>/.flink/<applicationId>/``."""

JOB_GRAPH_FILE_NAME = "job.graph"
LOG_CONFIG_FILE_NAME = "log4j.properties"

APPLICATION_TYPE = "Apache Flink"
DEFAULT_SESSION_NAME = "Flink session cluster"
DEFAULT_JOB_NAME = "Flink per-job cluster"
DEFAULT_APPLICATION_NAME = "Flink Application Cluster"
