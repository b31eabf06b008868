"""
Flink client configuration directories: the distribution's ``conf/`` with its nested
``config.yaml`` flattened, the interop settings and the staging directory over it, the caller's
settings over everything.
"""

import os

import yaml

from yarnemu.interop.flink_conf import INTEROP_FLINK_CONFIG, flatten, write_flink_conf

DISTRIBUTION_CONFIG = """\
# Flink's config.yaml, abridged
jobmanager:
  bind-host: localhost
  memory:
    process:
      size: 1600m
taskmanager:
  numberOfTaskSlots: 1
parallelism:
  default: 1
"""


def flink_home(tmp_path):
    conf = tmp_path / "flink" / "conf"
    conf.mkdir(parents=True)
    (conf / "config.yaml").write_text(DISTRIBUTION_CONFIG)
    (conf / "log4j-session.properties").write_text("rootLogger.level = INFO\n")
    (conf / "masters").write_text("localhost:8081\n")
    return str(tmp_path / "flink")


def test_flatten_gives_dotted_keys():
    """Nested mappings become dotted keys; other values stay as they are."""
    assert flatten({"a": {"b": {"c": 1}, "d": [1, 2]}, "e": "x"}) == {
        "a.b.c": 1, "a.d": [1, 2], "e": "x"}


def test_the_conf_dir_is_the_distributions_with_interop_settings(tmp_path):
    """Every other conf file is copied; config.yaml is flat, each key once, ours winning; the
    session's properties file goes to the conf dir, not the machine's /tmp."""
    directory = write_flink_conf(str(tmp_path / "conf"), flink_home(tmp_path),
                                 "webhdfs://127.0.0.1:9870/user/alice",
                                 {"taskmanager.numberOfTaskSlots": 2})
    assert sorted(os.listdir(directory)) == ["config.yaml", "log4j-session.properties", "masters"]
    with open(os.path.join(directory, "config.yaml")) as stream:
        text = stream.read()
    config = yaml.safe_load(text)
    assert config == {
        "jobmanager.bind-host": "localhost",
        "jobmanager.memory.process.size": INTEROP_FLINK_CONFIG["jobmanager.memory.process.size"],
        "taskmanager.numberOfTaskSlots": 2,
        "parallelism.default": 1,
        **INTEROP_FLINK_CONFIG,
        "yarn.staging-directory": "webhdfs://127.0.0.1:9870/user/alice",
        "yarn.properties-file.location": os.path.abspath(directory),
    }
    assert text.count("jobmanager.memory.process.size") == 1
