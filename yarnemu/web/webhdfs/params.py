"""
WebHDFS's query parameters, parsed as Hadoop's ``org.apache.hadoop.hdfs.web.resources`` classes
parse them, with their defaults and their wording when a value does not parse.

- Names are case-insensitive (the NameNode's ``ParamFilter`` lowercases them); the first value of
  a repeated parameter counts; parameters an operation does not use are ignored (fsspec adds its
  own ``tempdir``).
- Booleans are ``true``/``false`` in any case (HdfsCLI sends Python's ``True``/``False``).
- Numbers are Java's: an optional sign and digits in the parameter's radix, within the Java type's
  range; ``null`` means "not given".
- The NameNode reports a bad value as Jersey's ``ParamException`` turned into an
  ``IllegalArgumentException``: ``Invalid value for webhdfs parameter "<name>": <reason>``; the
  DataNode, which parses its parameters by hand, reports the bare ``<reason>``.
"""

import re

from yarnemu.errors import IllegalArgumentException
from yarnemu.web.static_user import STATIC_USER

__all__ = [
    "NULL_OP",
    "OPS",
    "STATIC_USER",
    "USER_PATTERN",
    "QueryParams",
]

NULL_OP = "NULL"
"""The operation of a request without ``op`` (Jersey's default value ``null``, upper-cased)."""

# The operations of each HTTP method: the constants of GetOpParam.Op, PutOpParam.Op,
# PostOpParam.Op and DeleteOpParam.Op in Hadoop 3.  One outside its method's set is "not a valid
# <METHOD> operation"; one inside that this server does not do is "not supported".
OPS = {
    "GET": frozenset({
        "OPEN", "GETFILESTATUS", "LISTSTATUS", "GETCONTENTSUMMARY", "GETQUOTAUSAGE",
        "GETFILECHECKSUM", "GETHOMEDIRECTORY", "GETDELEGATIONTOKEN", "GET_BLOCK_LOCATIONS",
        "GETFILEBLOCKLOCATIONS", "GETACLSTATUS", "GETXATTRS", "GETTRASHROOT", "LISTXATTRS",
        "GETALLSTORAGEPOLICY", "GETSTORAGEPOLICY", "NULL", "CHECKACCESS", "LISTSTATUS_BATCH",
        "GETSERVERDEFAULTS", "GETSNAPSHOTDIFF", "GETSNAPSHOTDIFFLISTING",
        "GETSNAPSHOTTABLEDIRECTORYLIST", "GETSNAPSHOTLIST", "GETLINKTARGET",
        "GETFILELINKSTATUS", "GETSTATUS", "GETECPOLICIES", "GETECCODECS", "GETTRASHROOTS",
    }),
    "PUT": frozenset({
        "CREATE", "MKDIRS", "CREATESYMLINK", "RENAME", "SETREPLICATION", "SETOWNER",
        "SETPERMISSION", "SETTIMES", "RENEWDELEGATIONTOKEN", "CANCELDELEGATIONTOKEN",
        "MODIFYACLENTRIES", "REMOVEACLENTRIES", "REMOVEDEFAULTACL", "REMOVEACL", "SETACL",
        "SETXATTR", "REMOVEXATTR", "ENABLEECPOLICY", "DISABLEECPOLICY", "SETECPOLICY",
        "ALLOWSNAPSHOT", "DISALLOWSNAPSHOT", "CREATESNAPSHOT", "RENAMESNAPSHOT",
        "SETSTORAGEPOLICY", "SATISFYSTORAGEPOLICY", "SETQUOTA", "SETQUOTABYSTORAGETYPE", "NULL",
    }),
    "POST": frozenset({"APPEND", "CONCAT", "TRUNCATE", "UNSETSTORAGEPOLICY", "UNSETECPOLICY",
                       "NULL"}),
    "DELETE": frozenset({"DELETE", "DELETESNAPSHOT", "NULL"}),
}


USER_PATTERN = r"^[A-Za-z_][A-Za-z0-9._-]*[$]?$"
"""``dfs.webhdfs.user.provider.user.pattern``'s default, which user names must match."""

_USER = re.compile(USER_PATTERN)
_NULL = "null"
_TRUE = "true"
_FALSE = "false"
# Java's integral types: (name in messages, bits).
_SHORT = ("short integer", 16)
_INT = ("integer", 32)
_LONG = ("long integer", 64)
_DIGITS = {8: re.compile(r"[+-]?[0-7]+\Z"), 10: re.compile(r"[+-]?[0-9]+\Z")}


class QueryParams:
    """
    The query parameters of one request.

    :param values: lower-cased name → first value.
    :param bool namenode: whether errors are worded as the NameNode words them (else as the
        DataNode does).
    """

    def __init__(self, values, namenode=True):
        self._values = dict(values)
        self.namenode = namenode

    @classmethod
    def from_args(cls, args, namenode=True):
        """
        :param args: ``twisted.web`` ``request.args``: ``bytes`` name → ``bytes`` values, already
            percent-decoded.  Bytes that are not UTF-8 are kept as surrogate escapes, so that
            paths made of them are refused as paths, not misread.
        """
        values = {}
        for name, given in args.items():
            key = name.decode("utf-8", "surrogateescape").lower()
            if given and key not in values:
                values[key] = given[0].decode("utf-8", "surrogateescape")
        return cls(values, namenode)

    def for_datanode(self):
        """:return: the same parameters, with errors worded as the DataNode words them."""
        return QueryParams(self._values, namenode=False)

    def __contains__(self, name):
        return name in self._values

    def raw(self, name):
        """:return: the value as sent, or ``None``."""
        return self._values.get(name)

    # Operations and users

    def op(self, method):
        """
        :param str method: ``GET``, ``PUT``, ``POST`` or ``DELETE``.
        :return: the upper-cased operation, one of :data:`OPS` ``[method]`` (:data:`NULL_OP`
            when there is no ``op``).
        :raise IllegalArgumentException: ``<op> is not a valid <METHOD> operation.``
        """
        raw = self._values.get("op", _NULL)
        op = raw.upper()
        if op not in OPS[method]:
            self._fail("op", f"{raw} is not a valid {method} operation.")
        return op

    def user(self):
        """
        :return: the user the request acts as: ``doas`` if given (proxy users are not checked),
            else ``user.name``, else :data:`STATIC_USER`.
        :raise IllegalArgumentException: for a name that does not match :data:`USER_PATTERN`.
        """
        for name in ("doas", "user.name"):
            value = self._values.get(name)
            if value:
                if not _USER.match(value):
                    self._fail(name, f'Invalid value: "{value}" does not belong to the domain '
                                     f"{USER_PATTERN}")
                return value
        return STATIC_USER

    # Typed values

    def boolean(self, name, default):
        """
        :return: the value of a ``BooleanParam`` (``true``/``false`` in any case), or
            ``default``.
        :raise IllegalArgumentException: ``Failed to parse "<v>" to Boolean.``
        """
        raw = self._values.get(name)
        if raw is None:
            return default
        if raw.lower() == _TRUE:
            return True
        if raw.lower() == _FALSE:
            return False
        self._fail(name, f'Failed to parse "{raw}" to Boolean.')

    def short(self, name, minimum=None, maximum=None, radix=10):
        """:return: the value of a ``ShortParam``, or ``None``; see :meth:`_integral`."""
        return self._integral(name, _SHORT, minimum, maximum, radix)

    def integer(self, name, minimum=None, maximum=None):
        """:return: the value of an ``IntegerParam``, or ``None``; see :meth:`_integral`."""
        return self._integral(name, _INT, minimum, maximum, 10)

    def long(self, name, minimum=None, maximum=None):
        """:return: the value of a ``LongParam``, or ``None``; see :meth:`_integral`."""
        return self._integral(name, _LONG, minimum, maximum, 10)

    def string(self, name):
        """:return: the value, or ``None`` if missing or empty."""
        return self._values.get(name) or None

    # The parameters of the operations

    def permission(self, name="permission"):
        """:return: a ``PermissionParam`` (octal, 0 to 1777), or ``None``."""
        return self.short(name, 0, 0o1777, radix=8)

    def replication(self):
        """:return: a ``ReplicationParam`` (at least 1), or ``None``."""
        return self.short("replication", 1)

    def block_size(self):
        """:return: a ``BlockSizeParam`` (at least 1), or ``None``."""
        return self.long("blocksize", 1)

    def buffer_size(self):
        """:return: a ``BufferSizeParam`` (at least 1), or ``None``.  Checked, otherwise unused."""
        return self.integer("buffersize", 1)

    def offset(self):
        """:return: an ``OffsetParam`` (at least 0), 0 if not given."""
        value = self.long("offset", 0)
        return 0 if value is None else value

    def length(self):
        """:return: a ``LengthParam`` (at least 0), or ``None`` for "to the end"."""
        return self.long("length", 0)

    def destination(self):
        """
        :return: a ``DestinationParam``: an absolute path as given, or ``None``.
        :raise IllegalArgumentException: ``Invalid parameter value: destination = "<v>" is not
            an absolute path.``
        """
        value = self.string("destination")
        if value is not None and not value.startswith("/"):
            self._fail("destination", f'Invalid parameter value: destination = "{value}" is not '
                                      "an absolute path.")
        return value

    # Internals

    def _integral(self, name, java_type, minimum, maximum, radix):
        """
        :return: the parameter as Java's ``<Type>.parse<Type>(value, radix)`` reads it, or
            ``None`` if missing or ``null``.
        :raise IllegalArgumentException: ``Failed to parse "<v>" as a radix-<r> <type>.``, or
            ``Invalid parameter range: <name> = <v> < <min>`` (or ``> <max>``).
        """
        raw = self._values.get(name)
        if raw is None or raw == _NULL:
            return None
        type_name, bits = java_type
        value = int(raw, radix) if _DIGITS[radix].match(raw) else None
        if value is None or not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
            self._fail(name, f'Failed to parse "{raw}" as a radix-{radix} {type_name}.')
        if minimum is not None and value < minimum:
            self._fail(name, f"Invalid parameter range: {name} = {_in_radix(value, radix)} < "
                             f"{_in_radix(minimum, radix)}")
        if maximum is not None and value > maximum:
            self._fail(name, f"Invalid parameter range: {name} = {_in_radix(value, radix)} > "
                             f"{_in_radix(maximum, radix)}")
        return value

    def _fail(self, name, reason):
        if self.namenode:
            raise IllegalArgumentException(
                f'Invalid value for webhdfs parameter "{name}": {reason}')
        raise IllegalArgumentException(reason)


def _in_radix(value, radix):
    return format(value, "o") if radix == 8 else str(value)
