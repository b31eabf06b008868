"""
The ``yarn`` command line, against a running yarnemu service's ResourceManager REST API:
``yarnemu application ...`` (Hadoop's ``yarn application``) and ``yarnemu node ...`` (``yarn
node``), with Hadoop's single-dash options, output and exit statuses.

* :mod:`~yarnemu.yarncli.command`: the entry point (``--rm``, errors on one line);
* :mod:`~yarnemu.yarncli.application`, :mod:`~yarnemu.yarncli.node`: the two commands, on
  :mod:`~yarnemu.yarncli.base`'s usage and no-command answers;
* :mod:`~yarnemu.yarncli.rest`: the RM REST reader, over an injectable HTTP exchange;
* :mod:`~yarnemu.yarncli.options`: commons-cli's option parsing and usage text;
* :mod:`~yarnemu.yarncli.format`: values printed as Hadoop's Java prints them.
"""

from yarnemu.yarncli.command import COMMANDS, run

__all__ = ["run", "COMMANDS"]
