"""
yarnemu's HTTP surfaces on ``twisted.web``: the ResourceManager's REST API and web proxy, and
WebHDFS on the fake HDFS.  They adapt, they do not decide: every handler calls the same service
methods the in-process clients call, and maps their errors to the surface's native shape in one
place (:mod:`yarnemu.web.errors`).
"""
