"""`argmap serve`: a live preview of a map while it is being written (see `server.py`)."""

from argmap.serve.server import Preview, make_server, serve

__all__ = ["Preview", "make_server", "serve"]
