"""
``org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint``: an application cluster;
the user's ``main()`` runs inside the JobManager (``$internal.application.main`` names the program:
a built-in one, or ``file.py:function`` shipped with the application) and the cluster ends when it
does.
"""

import os

from flinkyarn.config import options
from flinkyarn.entrypoint.cluster_entrypoint import YarnClusterEntrypoint
from flinkyarn.examples.loader import load_program
from flinkyarn.runtime.dispatcher.application_bootstrap import ApplicationDispatcherBootstrap
from flinkyarn.runtime.dispatcher.dispatcher import APPLICATION

__all__ = ["YarnApplicationClusterEntryPoint"]

_LOGGER = "org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint"


class YarnApplicationClusterEntryPoint(YarnClusterEntrypoint):
    mode = APPLICATION
    entrypoint_class = "YarnApplicationClusterEntryPoint"

    def start_components(self):
        """
        As ``YarnApplicationClusterEntryPoint#main``, the program is created first: one that
        cannot be is "Could not create application program." and exit code 1, before anything
        starts or registers with YARN.
        """
        spec = self.config.get(options.APPLICATION_MAIN_CLASS)
        try:
            self.main = load_program(self._localized(spec))
        except Exception as error:
            self.log.error(_LOGGER, f"Could not create application program. {error}")
            self.context.exit(1, f"Could not create application program: {error}")
            return
        super().start_components()

    def start_application(self):
        args = self.config.get(options.APPLICATION_ARGS) or []
        self.bootstrap = ApplicationDispatcherBootstrap(
            self.dispatcher, self.main, args, self.config, self.ids, self.log, self.context.clock,
            self.fail_fatally)
        self.bootstrap.run()

    def _localized(self, spec):
        """A shipped program file is in ``usrlib/`` of the working directory."""
        if not spec or ":" not in spec and not spec.endswith(".py"):
            return spec
        path, sep, function = spec.rpartition(":") if ":" in spec else (spec, "", "")
        candidates = [os.path.join(str(self.context.working_dir), "usrlib", os.path.basename(path)),
                      os.path.join(str(self.context.working_dir), path)]
        for candidate in candidates:
            if os.path.exists(candidate):
                return f"{candidate}{sep}{function}"
        return spec
