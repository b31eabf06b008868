"""
The user of an HTTP request that names none (no ``user.name``): Hadoop's
``hadoop.http.staticuser.user``, default ``dr.who`` (core-default.xml), which every web surface of
an insecure cluster — the RM's REST API and WebHDFS alike — acts as.
"""

__all__ = ["STATIC_USER"]

STATIC_USER = "dr.who"
"""``hadoop.http.staticuser.user``'s default."""
