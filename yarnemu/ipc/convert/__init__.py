"""
Between YARN's protobuf messages and yarnemu's records (:mod:`yarnemu.records`), with the field
names of Hadoop's descriptors.  Writers fill a message in place (``write_*(message, record)``),
so that no converter needs the message classes; readers return records (``read_*(message)``)
and take the protobuf defaults Hadoop's ``*PBImpl`` classes take for fields a client left out.
"""
