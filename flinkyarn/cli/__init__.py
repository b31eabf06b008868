"""
The ``flinkyarn`` command: Flink's command-line client (``flink run``, ``run-application``,
``list``, ``cancel``, ``stop`` and ``yarn-session.sh``) against a running yarnemu service, with
Flink's options, console output, properties file and exit statuses.

* :mod:`~flinkyarn.cli.main`: the entry point, the actions, failures and exit statuses, the
  reactor;
* :mod:`~flinkyarn.cli.session`: ``yarn-session``, with
  :mod:`~flinkyarn.cli.attached_session` (waiting attached);
* :mod:`~flinkyarn.cli.run`: ``run`` and ``run-application``;
* :mod:`~flinkyarn.cli.jobs`: ``list``, ``cancel``, ``stop``;
* :mod:`~flinkyarn.cli.cluster_options`: the options shared by the actions and the cluster a
  command line is for;
* :mod:`~flinkyarn.cli.options`: commons-cli's option parsing and help layout;
  :mod:`~flinkyarn.cli.help_text`: the actions' help;
* :mod:`~flinkyarn.cli.properties_file`: ``.yarn-properties-<user>``;
* :mod:`~flinkyarn.cli.context`, :mod:`~flinkyarn.cli.service_address`,
  :mod:`~flinkyarn.cli.distribution`: where the service is, who the user is, ``FLINK_HOME``;
* :mod:`~flinkyarn.cli.deployment_guard`: an interrupted command kills its deployment in
  progress;
* :mod:`~flinkyarn.cli.console`, :mod:`~flinkyarn.cli.reachability`: output, log lines, errors.
"""
