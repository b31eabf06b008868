"""
Flink's client side on YARN: deploying session, per-job and application clusters
(``YarnClusterDescriptor``), talking to a running cluster's REST API (``ClusterClient``), and
running user programs against them (pipeline executors), in virtual time.

- :mod:`~flinkyarn.client.flink_home`: the stand-in Flink distribution that is shipped;
- :mod:`~flinkyarn.client.cluster_specification`: the sizes a cluster is deployed with;
- :mod:`~flinkyarn.client.file_uploader` and :mod:`~flinkyarn.client.staging`: the staging
  directory ``.flink/<applicationId>/`` and what is uploaded to it;
- :mod:`~flinkyarn.client.launch_context` and :mod:`~flinkyarn.client.submission_context`: the
  JobManager container and the YARN application;
- :mod:`~flinkyarn.client.deployment_wait`: waiting for the cluster to run;
- :mod:`~flinkyarn.client.cluster_descriptor`: the deployment, step by step;
- :mod:`~flinkyarn.client.cluster_client`: REST calls to the JobManager;
- :mod:`~flinkyarn.client.executors`: running programs (what they get back is in
  :mod:`flinkyarn.api.execution_results`);
- :mod:`~flinkyarn.client.client_log`,
  :mod:`~flinkyarn.client.errors`.
"""

from flinkyarn.client.application_configuration import ApplicationConfiguration
from flinkyarn.client.client_log import CLIENT_SOURCE, ClientLog
from flinkyarn.client.cluster_client import ClusterClient, JobStatusMessage
from flinkyarn.client.cluster_descriptor import YarnClusterDescriptor
from flinkyarn.client.cluster_specification import ClusterSpecification
from flinkyarn.client.errors import (
    ClusterDeploymentException,
    ClusterRetrieveException,
    FlinkRuntimeException,
    JobSubmissionException,
    YarnDeploymentException,
)
from flinkyarn.api.execution_results import DetachedJobExecutionResult, JobClient, JobExecutionResult
from flinkyarn.runtime.errors import JobCancellationException, JobExecutionException
from flinkyarn.client.executors import PerJobPipelineExecutor, SessionPipelineExecutor, run_program
from flinkyarn.client.flink_home import FlinkHome
from flinkyarn.client.staging import StagedApplication

__all__ = [
    "ApplicationConfiguration",
    "CLIENT_SOURCE",
    "ClientLog",
    "ClusterClient",
    "ClusterDeploymentException",
    "ClusterRetrieveException",
    "ClusterSpecification",
    "DetachedJobExecutionResult",
    "FlinkHome",
    "FlinkRuntimeException",
    "JobCancellationException",
    "JobClient",
    "JobExecutionException",
    "JobExecutionResult",
    "JobStatusMessage",
    "JobSubmissionException",
    "PerJobPipelineExecutor",
    "SessionPipelineExecutor",
    "StagedApplication",
    "YarnClusterDescriptor",
    "YarnDeploymentException",
    "run_program",
]
