"""
The interop cache's layout, where it is, and its per-step markers (no download, no JDK needed).
"""

import os

from yarnemu.interop.cache import CACHE_ENV, InteropCache, default_cache_root

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_cache_is_dot_cache_interop_at_the_repository_root_by_default():
    """Without $YARNEMU_INTEROP_CACHE the cache is the ignored .cache/interop of the repository."""
    assert default_cache_root({}) == os.path.join(REPOSITORY, ".cache", "interop")
    with open(os.path.join(REPOSITORY, ".gitignore")) as stream:
        assert ".cache/" in stream.read().split()


def test_the_environment_names_another_cache(tmp_path):
    """$YARNEMU_INTEROP_CACHE wins, made absolute."""
    cache = InteropCache.default({CACHE_ENV: str(tmp_path / "elsewhere")})
    assert cache.root == str(tmp_path / "elsewhere")
    assert InteropCache("relative").root == os.path.abspath("relative")


def test_the_layout_names_every_part(tmp_path):
    """Jars, FLINK_HOME, classes and the descriptor set have fixed places in the cache."""
    cache = InteropCache(str(tmp_path))
    assert cache.descriptors == str(tmp_path / "hadoop-yarn.fds")
    assert cache.flink_home == str(tmp_path / "flink-2.3.0")
    assert cache.hadoop_client_jars() == [
        str(tmp_path / "hadoop" / "hadoop-client-api-3.5.0.jar"),
        str(tmp_path / "hadoop" / "hadoop-client-runtime-3.5.0.jar")]
    assert [os.path.basename(path) for path in cache.flink_dirs()] == [
        "lib", "opt", "plugins", "bin", "conf"]


def test_a_step_is_done_only_with_its_inputs_and_its_outputs(tmp_path):
    """A marker counts for the same inputs and while the outputs exist; forget removes it."""
    cache = InteropCache(str(tmp_path))
    output = tmp_path / "made"
    assert not cache.is_done("step", "pyspark==4.3.0", [str(output)])
    output.write_text("x")
    cache.mark_done("step", "pyspark==4.3.0")
    assert cache.is_done("step", "pyspark==4.3.0", [str(output)])
    assert not cache.is_done("step", "pyspark==4.4.0", [str(output)])
    output.unlink()
    assert not cache.is_done("step", "pyspark==4.3.0", [str(output)])
    output.write_text("x")
    cache.forget("step")
    assert not cache.is_done("step", "pyspark==4.3.0", [str(output)])
    cache.forget("step")


def test_missing_lists_what_a_complete_set_up_has(tmp_path):
    """An empty cache misses everything; a filled one misses nothing."""
    cache = InteropCache(str(tmp_path))
    missing = cache.missing()
    assert cache.descriptors in missing and cache.hadoop_client_jars()[0] in missing
    for path in [*cache.hadoop_client_jars(), *cache.logging_jars(), cache.descriptors]:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").close()
    for directory in cache.flink_dirs():
        os.makedirs(directory)
    assert cache.missing() == []
