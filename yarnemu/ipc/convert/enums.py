"""
YARN's enums on the wire: the protobuf names are the Java names with a per-enum prefix
(``APP_SUCCEEDED`` for ``FinalApplicationStatus.SUCCEEDED``, ``NS_RUNNING`` for
``NodeState.RUNNING``), as Hadoop's ``ProtoUtils`` converts them.
"""

__all__ = ["set_enum", "enum_name", "FINAL_STATUS", "ATTEMPT_STATE", "NODE_STATE", "QUEUE_STATE",
           "LOG_AGGREGATION", "ACCESS_TYPE"]

FINAL_STATUS = "APP_"
ATTEMPT_STATE = "APP_ATTEMPT_"
NODE_STATE = "NS_"
QUEUE_STATE = "Q_"
LOG_AGGREGATION = "LOG_"
ACCESS_TYPE = "APPACCESS_"


def set_enum(message, field, name, prefix=""):
    """Set the enum ``field`` of ``message`` to the value named ``prefix + name``."""
    setattr(message, field, prefix + str(name))


def enum_name(message, field, prefix="", value=None):
    """
    :param value: the number to name (default: the field's current value).
    :return: the name of the enum value, without ``prefix``.
    """
    number = getattr(message, field) if value is None else value
    name = message.DESCRIPTOR.fields_by_name[field].enum_type.values_by_number[number].name
    return name[len(prefix):] if prefix and name.startswith(prefix) else name
