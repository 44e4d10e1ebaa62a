"""Writing reports to files: never half a file, never a file that was not a report.

``-o PATH`` replaces an existing report, as other tools' output options do,
but only a regular file, and never:

- a device, FIFO or directory (``-o /dev/null`` would otherwise become a
  regular file for every program on the machine);
- a symbolic link (the link would be replaced by a plain file);
- a read-only file (its read-only bit is the owner saying "do not replace");
- a file this same run reads (the project config, a use case, a batch or a
  policy), which a typo would otherwise destroy.

The new file keeps the replaced file's permission bits (and owner, where the
process may set it), and errors name the user's path, not the temporary file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import IO

from ._errors import InputError, Problem


def _refuse(path: str, message: str, hint: str) -> InputError:
    return InputError([Problem(path, None, "", message, hint)])


def check_target(path: str, inputs: Collection[str] = ()) -> os.stat_result | None:
    """The existing file's status, or None for a new path; InputError when ``path`` must not be written."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise _refuse(path, f"cannot be written: folder {folder} does not exist",
                          "create the folder first") from None
        return None
    except OSError as exc:
        raise _refuse(path, f"cannot be written ({exc.strerror})", "choose another output path") from None
    if stat.S_ISLNK(status.st_mode):
        raise _refuse(path, "is a symbolic link; it would be replaced by a plain file", "give the link's target")
    if not stat.S_ISREG(status.st_mode):
        raise _refuse(path, "is not a regular file (a device, FIFO or folder); nothing was written",
                      "give the path of a report file")
    if not status.st_mode & stat.S_IWUSR:
        raise _refuse(path, "is read-only; nothing was written", "make it writable, or choose another path")
    for item in inputs:
        try:
            if os.path.samefile(item, path):
                raise _refuse(path, "is an input of this run; writing the report there would destroy it",
                              "choose another output path")
        except OSError:
            continue
    return status


@contextmanager
def report_file(path: str, inputs: Collection[str] = ()) -> Iterator[IO[str]]:
    """A text handle whose content replaces ``path`` in one step when the block ends without error."""
    previous = check_target(path, inputs)
    target = os.path.abspath(path)
    try:
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=os.path.dirname(target),
                                             prefix=".modelterms-", suffix=".tmp", delete=False)
    except OSError as exc:
        raise _refuse(path, f"cannot be written ({exc.strerror})", "choose another output path") from None
    try:
        with handle:
            yield handle
        if previous is None:  # a new report gets the mode any new file gets (the temporary file was 0600)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(handle.name, 0o666 & ~umask)
        else:
            os.chmod(handle.name, stat.S_IMODE(previous.st_mode))
            try:
                os.chown(handle.name, previous.st_uid, previous.st_gid)
            except OSError:
                pass  # only root may give a file away; the mode is kept either way
        os.replace(handle.name, target)
    except OSError as exc:
        os.unlink(handle.name)
        raise _refuse(path, f"cannot be written ({exc.strerror})", "choose another output path") from None
    except BaseException:
        os.unlink(handle.name)
        raise


def write_atomically(path: str, text: str, inputs: Collection[str] = ()) -> None:
    """Replace ``path`` with ``text`` in one step: a reader sees the old file or the new one."""
    with report_file(path, inputs) as handle:
        handle.write(text)
