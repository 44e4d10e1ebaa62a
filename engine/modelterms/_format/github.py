"""GitHub Actions workflow commands: annotations on the config line that declares each model (for ``scan``: on
every line where the model was found).

Errors for what fails the check, warnings for what needs attention below
``--fail-on``, notices for waived findings. See GitHub's "Workflow commands"
documentation for the escaping rules applied here.
"""

from __future__ import annotations

import os
from pathlib import Path

from .._model import Verdict
from .._report import Report
from ._common import main_reasons, status


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def repository_root() -> Path:
    """Where annotation (and SARIF) paths start, as GitHub reads them: the repository's root, not the working folder.

    ``$GITHUB_WORKSPACE`` when the working directory is inside it, else the nearest folder at or above the
    working directory holding ``.git`` (or ``.hg``), else the working directory itself.
    """
    here = Path.cwd().resolve()
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        root = Path(workspace).resolve()
        if root == here or root in here.parents:
            return root
    return next((folder for folder in (here, *here.parents)
                 if (folder / ".git").exists() or (folder / ".hg").exists()), here)


def repository_path(path: str) -> str | None:
    """``path`` relative to the repository root, with forward slashes; None when it lies outside."""
    try:
        return Path(path).resolve().relative_to(repository_root()).as_posix()
    except ValueError:
        return None


def _file(path: str) -> str:
    return repository_path(path) or os.fspath(Path(path).resolve())


def _command(kind: str, message: str, title: str, file: str | None = None, line: int | None = None) -> str:
    props = [f"title={_property(title)}"]
    if file:
        props.insert(0, f"file={_property(_file(file))}")
        if line:
            props.insert(1, f"line={line}")
    return f"::{kind} {','.join(props)}::{_data(message)}"


def render(report: Report, *, color: bool = False) -> str:
    gate = report.gate
    lines = []
    for result in report.results:
        state = status(report, result)
        if result.verdict == Verdict.PERMITTED and state == "ok":
            continue
        kind = {"FAIL": "error", "waived": "notice"}.get(state, "warning")
        message = "\n".join(main_reasons(report, result))
        title = f"modelterms: {report.label(result)} is {result.verdict.value}"
        # One annotation at every place a scan found the model, else at the config line declaring it.
        locations: list[tuple[str | None, int | None]] = [*report.locations(result)] or [(None, None)]
        for file, line in locations:
            lines.append(_command(kind, message, title, file, line))
    for _, waiver in gate.expired:
        lines.append(_command("error", f"renew it with a new approval or fix the finding ({waiver.reason})",
                              f"modelterms: waiver for {waiver.model} expired on {waiver.expires}",
                              waiver.file, waiver.line))
    for waiver in gate.stale:
        lines.append(_command("warning", "it matches no finding; remove it",
                              f"modelterms: stale waiver for {waiver.model} ({waiver.rule})", waiver.file, waiver.line))
    verdict = "passed" if gate.passed else "failed"
    lines.append(f"modelterms {verdict}: {len(report.results)} model(s) checked, fail on {gate.fail_on}")
    return "\n".join(lines) + "\n"
