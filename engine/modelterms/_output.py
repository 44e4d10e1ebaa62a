"""Writing reports to files without ever leaving half of one behind."""

from __future__ import annotations

import os
import tempfile


def write_atomically(path: str, text: str) -> None:
    """Replace ``path`` in one step: a reader sees the old file or the new one, and a failed write keeps the old."""
    target = os.path.abspath(path)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=os.path.dirname(target), prefix=".modelterms-",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(text)
        os.replace(handle.name, target)
    except BaseException:
        os.unlink(handle.name)
        raise
