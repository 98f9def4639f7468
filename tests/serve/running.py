"""A preview server on a free port in a background thread, for the serve and browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from argmap.serve import server as server_module
from argmap.serve.server import Preview, PreviewServer, start_watching


@contextmanager
def running_preview(
    map_file: Path, watch: bool = True, workers: int = server_module.WORKERS
) -> Iterator[tuple[PreviewServer, Preview]]:
    """Serve `map_file` (rebuilt once, watched for changes when `watch`) until the block ends."""
    preview = Preview(str(map_file), samples=0)
    preview.rebuild()
    srv = PreviewServer(("127.0.0.1", 0), preview, workers=workers)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    stop = start_watching(preview)[1] if watch else None
    try:
        yield srv, preview
    finally:
        if stop is not None:
            stop.set()
        srv.shutdown()
        srv.server_close()
