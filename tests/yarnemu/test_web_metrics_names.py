"""
Tests of the Prometheus names of Hadoop metrics (``PrometheusMetricsSink#prometheusName``'s rule),
on the examples of Hadoop's own sink tests and on YARN's QueueMetrics and ClusterMetrics.
"""

import pytest

from yarnemu.web.prometheus.names import label_name, prometheus_name


@pytest.mark.parametrize("record, metric, expected", [
    # Hadoop's TestPrometheusMetricsSink
    ("RpcTime", "SomeMetrics", "rpc_time_some_metrics"),
    ("OMRpcTime", "OMInfoKeys", "om_rpc_time_om_info_keys"),
    ("RpcTime", "small", "rpc_time_small"),
    ("SCMPipelineMetrics", "NumBlocksAllocated-RATIS-THREE-47659e3d-40c9-43b3-9792-4982fc279aba",
     "scm_pipeline_metrics_num_blocks_allocated_ratis_three_47659e3d_40c9_43b3_9792_4982fc279aba"),
    ("org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsDatasetImpl", "DfsUsed",
     "org_apache_hadoop_hdfs_server_datanode_fsdataset_impl_fs_dataset_impl_dfs_used"),
    ("JvmMetrics", "GcCountG1 Old Generation", "jvm_metrics_gc_count_g1_old_generation"),
    ("TestMetrics", "numBucketCreateFails", "test_metrics_num_bucket_create_fails"),
    # YARN's ResourceManager
    ("QueueMetrics", "AppsSubmitted", "queue_metrics_apps_submitted"),
    ("QueueMetrics", "AllocatedMB", "queue_metrics_allocated_mb"),
    ("QueueMetrics", "AllocatedVCores", "queue_metrics_allocated_v_cores"),
    ("QueueMetrics", "running_0", "queue_metrics_running_0"),
    ("QueueMetrics", "AMResourceLimitMB", "queue_metrics_am_resource_limit_mb"),
    ("ClusterMetrics", "NumActiveNMs", "cluster_metrics_num_active_n_ms"),
    ("ClusterMetrics", "CapabilityVirtualCores", "cluster_metrics_capability_virtual_cores"),
])
def test_names_follow_hadoops_prometheus_sink(record, metric, expected):
    assert prometheus_name(record, metric) == expected


def test_tag_names_become_lower_case_labels():
    assert [label_name(tag) for tag in ("Queue", "User", "Hostname", "ClusterMetrics")] == [
        "queue", "user", "hostname", "clustermetrics"]
