"""The project configuration: which models a project uses, for what, under which policies and waivers.

It lives in ``modelterms.yaml`` at the project root, or in ``[tool.modelterms]``
of ``pyproject.toml`` (any TOML spelling: the file is parsed, not searched), and
is found by walking up from the working directory, stopping at the repository
root (``.git``/``.hg``), the home directory or a filesystem boundary, so that a
stray file above the project is never picked up. The CLI names the file it used.
Its keys are a public contract, checked against ``schemas/config.schema.json``
with the same messages as every other file.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path as FsPath
from typing import Any, NamedTuple

from ._errors import InputError, Problem, raise_if
from ._schema import validate
from ._yaml import Document, Path, load_file, read_text

CONFIG_NAMES = ("modelterms.yaml", "modelterms.yml")


class Declaration(NamedTuple):
    """One model the project declares, with where it is used and the line that declares it."""

    model: str
    where: str | None
    file: str
    line: int | None
    key: str = "models"
    #: how this model's use differs from the project's use case (merged over it), with the config's lines
    use_case: Document | None = None


class Waiver(NamedTuple):
    """A finding accepted on purpose. ``rule`` is a rule id or ``*``; ``model`` as the user wrote it."""

    model: str
    rule: str
    reason: str
    approved_by: str
    expires: str
    file: str
    line: int | None
    key: str = "exceptions"

    def expired(self, today: str) -> bool:
        """A waiver is valid through its ``expires`` day and expired from the day after."""
        return self.expires < today

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "rule": self.rule, "reason": self.reason, "approved_by": self.approved_by,
                "expires": self.expires, "declared_at": {"file": self.file, "line": self.line}}


class Config(NamedTuple):
    path: str
    use_case_document: Document
    models: tuple[Declaration, ...]
    policy_files: tuple[FsPath, ...]
    inline_policy: Document | None
    waivers: tuple[Waiver, ...]
    #: ``hub:`` — look models up on the Hugging Face Hub (None: not set, the flag or MODELTERMS_HUB decides)
    hub: bool | None = None
    #: ``licenses:`` and ``rules:``, relative to the config: what --licenses and --rules add, on every run
    license_dirs: tuple[FsPath, ...] = ()
    rule_files: tuple[FsPath, ...] = ()


#: A policy shipped with modelterms, named ``builtin:NAME`` (``policies/NAME.yaml`` in this repository).
BUILTIN_POLICY = "builtin:"


def builtin_policies() -> dict[str, FsPath]:
    """Name -> file of every policy shipped with modelterms (``modelterms/_bundled/policies`` in a wheel)."""
    from ._paths import bundled_root

    folder = bundled_root() / "policies"
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


def policy_file(spec: str, base: FsPath, file: str = "--policy", line: int | None = None, key: str = "") -> FsPath:
    """A policy as written (a path relative to ``base``, or ``builtin:NAME``) as the file to read.

    An unknown built-in name is an error offering the nearest names: a typo must not drop a policy silently.
    """
    if not spec.startswith(BUILTIN_POLICY):
        return base / spec
    from ._schema import suggest

    name = spec[len(BUILTIN_POLICY):]
    found = builtin_policies()
    if name not in found:
        choices = [BUILTIN_POLICY + known for known in found]
        raise InputError([Problem(file, line, key, f"no policy `{spec}` ships with modelterms",
                                  suggest(spec, choices) or f"the built-in policies are: {', '.join(choices)}")])
    return found[name]


def find_config(start: FsPath | None = None) -> FsPath | None:
    """The nearest modelterms.yaml or pyproject.toml with [tool.modelterms], from ``start`` upwards.

    The walk stops at the first of: the repository root (``.git`` or ``.hg``), the user's home
    directory, or a filesystem boundary. Each is checked before going above it, so that a file
    planted in a shared parent (``/tmp``, ``/builds``, a mounted volume) never configures, or
    waives findings for, a project below it. A ``modelterms.yaml`` that exists but is not a regular
    file is returned all the same, so that loading it says why it cannot be read.
    """
    directory = (start or FsPath.cwd()).resolve()
    home = _home()
    device = _device(directory)
    for folder in (directory, *directory.parents):
        if _device(folder) != device:
            return None  # a filesystem boundary: what is above is another volume
        for name in CONFIG_NAMES:
            if os.path.lexists(folder / name):
                return folder / name
        pyproject = folder / "pyproject.toml"
        if os.path.lexists(pyproject) and _has_tool_table(pyproject):
            return pyproject
        if (folder / ".git").exists() or (folder / ".hg").exists() or folder == home:
            return None  # the repository root, or the home directory: nothing above belongs to this project
    return None


def _home() -> FsPath | None:
    try:
        return FsPath.home().resolve()
    except (RuntimeError, OSError, KeyError):
        return None


def _device(path: FsPath) -> int:
    """The filesystem ``path`` is on (a change between a folder and its parent is a mount point)."""
    try:
        return os.stat(path).st_dev
    except OSError:
        return -1


def _parse_toml(path: FsPath) -> tuple[str, dict[str, Any]]:
    """``pyproject.toml`` parsed, every parser failure (huge integers, deep nesting) as an InputError."""
    import tomllib

    text = read_text(str(path))
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise InputError([Problem(str(path), int(line.group(1)) if line else None, "",
                                  f"is not valid TOML: {exc}")]) from None
    except (ValueError, RecursionError) as exc:  # int() past 4,300 digits, or nesting past the stack
        reason = str(exc).split(";")[0] if isinstance(exc, ValueError) else "it nests too deeply"
        raise InputError([Problem(str(path), None, "", f"is not valid TOML: {reason}")]) from None


def _tool_table(parsed: dict[str, Any]) -> Any:
    tool = parsed.get("tool")
    return tool.get("modelterms") if isinstance(tool, dict) else None


def _has_tool_table(pyproject: FsPath) -> bool:
    try:
        return _tool_table(_parse_toml(pyproject)[1]) is not None
    except InputError:
        return True  # let load_config report why it cannot be read


def load_config(path: str | FsPath) -> Config:
    """Read and validate a configuration file; InputError names the file, line and key of every problem."""
    path = FsPath(path)
    document = _read_toml(path) if path.name.endswith(".toml") else load_file(str(path))
    if document.data is None:
        document.data = {}
    if not isinstance(document.data, dict):
        raise InputError([document.problem((), "must be a mapping of use_case, models, policy and exceptions")])
    raise_if(validate(document, "config"))
    data = document.data
    declarations = []
    for index, item in enumerate(data.get("models", [])):
        model, where = (item, None) if isinstance(item, str) else (item["model"], item.get("where"))
        own = (None if isinstance(item, str) or "use_case" not in item
               else _part(document, ("models", index, "use_case")))
        declarations.append(Declaration(model, where, document.name, document.line(("models", index)),
                                        f"models[{index}]", own))
    policy_files: list[FsPath] = []
    inline: list[int] = []
    problems: list[Problem] = []
    for index, item in enumerate(data.get("policy", [])):
        if isinstance(item, str):
            try:
                policy_files.append(policy_file(item, path.parent, document.name, document.line(("policy", index)),
                                                f"policy[{index}]"))
            except InputError as exc:
                problems += exc.problems
        else:
            inline.append(index)
    catalog_paths: dict[str, list[FsPath]] = {"licenses": [], "rules": []}
    for key, found in catalog_paths.items():
        for index, item in enumerate(data.get(key, [])):
            found.append(path.parent / item)
            if not os.path.exists(found[-1]):
                problems.append(document.problem((key, index), f"{found[-1]} does not exist",
                                                 "paths are relative to the config file"))
    raise_if(problems)
    waivers = tuple(
        Waiver(item["model"], item["rule"], item["reason"], item["approved_by"], item["expires"], document.name,
               document.line(("exceptions", index)), f"exceptions[{index}]")
        for index, item in enumerate(data.get("exceptions", [])))
    use_case = _part(document, ("use_case",))
    return Config(str(path), use_case, tuple(declarations), tuple(policy_files),
                  _inline_policy(document, inline), waivers, data.get("hub"), tuple(catalog_paths["licenses"]),
                  tuple(catalog_paths["rules"]))


def _part(document: Document, at: Path) -> Document:
    """The mapping at key path ``at`` as a document of its own, whose messages name the key path in the config."""
    value: Any = document.data
    for key in at:
        value = value.get(key) if isinstance(value, dict) else value[key] if isinstance(key, int) else None
    lines = {path[len(at):]: line for path, line in document.lines.items() if path[:len(at)] == at}
    return Document(document.name, value or {}, lines, rename={(): at})


def _inline_policy(document: Document, indexes: list[int]) -> Document | None:
    """The rules written inline under ``policy:``, as a rules document whose lines point into the config."""
    if not indexes:
        return None
    lines: dict[Path, int] = {}
    for position, index in enumerate(indexes):
        for path, line in document.lines.items():
            if path[:2] == ("policy", index):
                lines[("rules", position, *path[2:])] = line
    data = {"rules": [document.data["policy"][index] for index in indexes]}
    return Document(document.name, data, lines, rename={("rules", p): ("policy", i) for p, i in enumerate(indexes)})


def _read_toml(path: FsPath) -> Document:
    """``[tool.modelterms]`` of a pyproject.toml; TOML parsers keep no lines, so lines are found in the text."""
    text, parsed = _parse_toml(path)
    if "tool" in parsed and not isinstance(parsed["tool"], dict):
        raise InputError([Problem(str(path), None, "tool", "must be a table")])
    table = _tool_table(parsed)
    if table is None:
        raise InputError([Problem(str(path), None, "", "has no [tool.modelterms] table",
                                  "add one, or give modelterms.yaml instead")])
    data = _plain(table)
    return Document(str(path), data, _toml_lines(text, data))


def _plain(value: Any) -> Any:
    """TOML dates become the YYYY-MM-DD strings YAML files give."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    return value


_HEADER = re.compile(r'\s*\[\[?\s*tool\s*\.\s*"?modelterms"?\s*[\].]')


def _toml_lines(text: str, data: Any) -> dict[Path, int]:
    """Best-effort lines: each top-level key, and each list item by the first line (after the previous) naming it."""
    lines: dict[Path, int] = {}
    rows = text.splitlines()
    start = next((n for n, row in enumerate(rows) if _HEADER.match(row)), 0)
    lines[()] = start + 1
    if not isinstance(data, dict):
        return lines
    for key, value in data.items():
        pattern = re.compile(rf"^\s*(\[\[?tool\.modelterms\.{re.escape(key)}\b|{re.escape(key)}\s*=)")
        found = next((n for n in range(start, len(rows)) if pattern.match(rows[n])), start)
        lines[(key,)] = found + 1
        if isinstance(value, list):
            cursor = found
            for index, item in enumerate(value):
                needle = item if isinstance(item, str) else next(
                    (v for v in item.values() if isinstance(v, str)), None) if isinstance(item, dict) else None
                hit = next((n for n in range(cursor, len(rows)) if needle and needle in rows[n]), None)
                if hit is not None:
                    cursor = hit
                    lines[(key, index)] = hit + 1
    return lines


def shadowed_by(path: str | FsPath) -> Problem | None:
    """Why writing a ``modelterms.yaml`` at ``path`` would hide the project's config, or None.

    A ``modelterms.yaml`` wins over ``[tool.modelterms]`` of a pyproject.toml in the same folder or above,
    so writing one there would silently replace the configuration in force.
    """
    found = find_config(FsPath(path).resolve().parent)
    if found is None or found.name != "pyproject.toml":
        return None
    return Problem(str(found), None, "tool.modelterms", "already configures modelterms here; nothing was written "
                   f"(a {FsPath(path).name} would hide it)",
                   "edit [tool.modelterms], or move it out of pyproject.toml first")


STARTER = """\
# modelterms: the AI models this project uses, and what it does with them.
# `modelterms check` (no arguments) checks exactly what is declared here.
# Keys: see the README, "In CI: project config, policies, waivers". Validate with `modelterms validate modelterms.yaml`.

use_case:                      # the same keys as a --use-case file; unset booleans are false
  commercial: true             # used to earn revenue or for commercial advantage
  serves_third_parties: true   # people outside the organisation use it
  self_hosted: true            # you run the weights yourself
  # monthly_active_users: 50000
  # territories: [EU, US]      # where the product is offered
  # licensee_country: DE       # where the organisation is domiciled
  # purposes: []               # see rules/vocabulary.yaml

models:                        # catalog ids or aliases: `modelterms models` lists them
  - model: deepseek-ai/DeepSeek-R1
    where: chat backend        # free text, shown in reports
    # use_case: {distributes: true}   # how this model's use differs: merged over use_case for it alone

# policy:                      # your organisation's own rules (files relative to this one, or rules inline)
#   - builtin:no-proprietary-api   # a policy shipped with modelterms (also osi-only-when-shipping, territory-review)

# licenses: [my-licenses]      # your own license profiles and models (folders relative to this one), as --licenses
# rules: [my-rules.yaml]       # your own rules, as --rules

# exceptions:                  # waivers: accepted findings, each with an expiry date
#   - model: deepseek-ai/DeepSeek-R1
#     rule: "*"                # a rule id, or * for every finding on that model
#     reason: evaluation only
#     approved_by: legal
#     expires: 2026-12-31
"""
