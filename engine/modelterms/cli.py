"""The ``modelterms`` command: a thin shell that parses, calls the library, formats, and picks the exit code.

Exit codes (the only place that knows them): 0 no model at or above
``--fail-on``; 1 at least one is; 2 bad input of any kind (nothing evaluated);
3 an internal error (a bug: one line on stderr, never a traceback, and never 1,
so that CI can tell a crash from a finding).
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import click

EXIT_OK, EXIT_FAIL, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
#: kept here as well as in _format so that --help needs no import of the formatters (tested equal)
_FORMATS = ("table", "json", "markdown", "csv", "sarif", "junit", "github", "cyclonedx", "html")
#: the formats people read, which --details and --verdict shape (machine formats always hold every model)
_HUMAN_FORMATS = ("table", "markdown", "html")
_BOOL_KEYS = ("commercial", "self_hosted", "modifies", "distributes", "serves_third_parties",
              "trains_on_outputs", "competes_with_licensor")
_INT_KEYS = ("monthly_active_users", "monthly_revenue_usd", "annual_revenue_usd")


def _cli_words(problem: Any) -> Any:
    """A library problem about a model name, said as the command line says it (the option, the command)."""
    from ._names import SEARCH_HINT

    if problem.hint == SEARCH_HINT:
        problem = problem._replace(hint="run `modelterms models --search TEXT` to search the catalog")
    return problem._replace(file="--model") if problem.file == "model" else problem


def _fail(problems: Any) -> NoReturn:
    from ._errors import shown

    for line in shown([_cli_words(problem) for problem in problems]):
        click.echo(f"error: {line}", err=True)
    sys.exit(EXIT_INPUT)


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every modelterms error into its message and exit code 2: users never see a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ._errors import ModelTermsError

        try:
            return func(*args, **kwargs)
        except ModelTermsError as exc:
            _fail(exc.problems)
        except OSError as exc:
            click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_INPUT)
        except RecursionError:
            click.echo("error: input nests too deeply", err=True)
            sys.exit(EXIT_INPUT)

    return wrapper


def _catalog_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=True),
                        help="Extra rule file or directory (repeatable); same-id rules override bundled ones.")(func)
    func = click.option("--licenses", "license_dirs", multiple=True, type=click.Path(),
                        help="Extra license profiles / model catalog directory (repeatable).")(func)
    return func


def _load_catalog(license_dirs: tuple[str, ...], rule_files: tuple[str, ...]) -> Any:
    """The catalog with the project config's ``licenses:`` and ``rules:`` (if any), then the flags'."""
    from ._catalog import Catalog
    from ._config import find_config, load_config

    found = find_config()
    config = load_config(found) if found else None
    catalog = Catalog.load(licenses=[*(config.license_dirs if config else ()), *license_dirs],
                           rules=[*(config.rule_files if config else ()), *rule_files])
    _print_notices(catalog)
    return catalog


def _say(message: str) -> None:
    """A notice on stderr (never in an output format), unless ``modelterms --quiet``: errors are never quieted."""
    context = click.get_current_context(silent=True)
    if context is None or not context.find_root().meta.get("modelterms.quiet"):
        click.echo(message, err=True)


def _print_notices(catalog: Any) -> None:
    """Which bundled entries the user's files replaced: on stderr, so that no output format carries them."""
    for notice in catalog.notices:
        _say(notice)


#: Box drawing (U+2500-U+257F) as ASCII, for terminals whose encoding lacks it (cp1252, latin-1, ascii).
_BOX_AS_ASCII = {"─": "-", "━": "-", "│": "|", "┃": "|", "═": "=", "║": "|"}


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: box-drawing becomes an ASCII grid, emoji variation selectors vanish, the rest '?'."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start:error.end]:
        if "\u2500" <= char <= "\u257f":
            out.append(_BOX_AS_ASCII.get(char, "+"))
        elif char in "\ufe0e\ufe0f":
            continue
        else:
            out.append({"⚠": "!", "§": "S", "…": "...", "–": "-", "—": "-"}.get(char, "?"))
    return "".join(out), error.end


def _fit_streams() -> None:
    """Let stdout and stderr write any report in any encoding, instead of crashing on the first box character."""
    import codecs

    codecs.register_error("modelterms-ascii", _ascii_fallback)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            reconfigure(errors="modelterms-ascii")


class _Main(click.Group):
    """The command group; its ``invoke`` is the one place where an unexpected exception becomes exit 3.

    Click lets any other exception escape as a traceback with exit 1, which is the code for "check
    failed": CI could not tell a crash from a finding.
    """

    def invoke(self, ctx: click.Context) -> Any:
        _fit_streams()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt,
                BrokenPipeError):
            raise
        except Exception as exc:  # the last line of defence, by design
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            click.echo(f"error: internal error ({detail}); this is a bug in modelterms, please report it "
                       "with the command that caused it", err=True)
            sys.exit(EXIT_INTERNAL)


def _version(context: click.Context, _: Any, value: bool) -> None:
    """``--version``: the program's version and the version of the catalog data it carries."""
    if not value or context.resilient_parsing:
        return
    from . import __version__
    from ._catalog_view import data_version

    click.echo(f"modelterms {__version__}\n{data_version()}")
    context.exit()


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and the catalog's data version (counts and content hash), and exit.")
@click.option("--quiet", "-q", is_flag=True, envvar="MODELTERMS_QUIET",
              help="Only errors on stderr: no notices, no 'using config', no stale-waiver warnings.")
def main(quiet: bool) -> None:
    """Tell what an AI model's license lets you do: permitted, restricted or forbidden, with cited clauses.

    \b
    Options of check and scan can also be set in the environment: MODELTERMS_FORMAT,
    MODELTERMS_FAIL_ON, MODELTERMS_CONFIG, MODELTERMS_NO_CONFIG (and MODELTERMS_QUIET).
    Shell completion: eval "$(_MODELTERMS_COMPLETE=bash_source modelterms)" (zsh_source, fish_source).
    """
    click.get_current_context().meta["modelterms.quiet"] = quiet


def _use_case_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for key in reversed(_INT_KEYS):
        func = click.option(f"--{key.replace('_', '-')}", key, type=click.IntRange(min=0), default=None,
                            help=f"Use-case key `{key}`.")(func)
    for key in reversed(_BOOL_KEYS):
        flag = key.replace("_", "-")
        func = click.option(f"--{flag}/--no-{flag}", key, default=None, help=f"Use-case key `{key}`.")(func)
    func = click.option("--purpose", "purposes", multiple=True, help="Purpose tag (repeatable).")(func)
    func = click.option("--territory", "territories", multiple=True,
                        help="ISO country code where the product is offered (repeatable; EU and EEA allowed).")(func)
    func = click.option("--licensee-country", default=None, help="ISO code where your organisation is domiciled.")(func)
    func = click.option("--as-of", default=None, help="Date whose license versions apply (default today).")(func)
    func = click.option("--use-case", "use_case_file", type=click.Path(), default=None,
                        help="YAML file with the use case; flags override its keys.")(func)
    return func


def _use_case(options: dict[str, Any], config_layer: Any = None, line: Any = None) -> tuple[Any, tuple[str, ...]]:
    """The use case from the config's ``use_case``, the ``--use-case`` file, a batch ``line``, then flags.

    One rule for every command (see the README, "Precedence"): config < ``--use-case`` file < batch line
    < flags, each merged key by key over the ones before it.
    """
    from ._usecase import deprecation_notices, use_case_from_dict
    from ._workflow import merge_use_cases
    from ._yaml import load_file

    file_layer = load_file(options["use_case_file"]) if options["use_case_file"] else None
    stack = [layer for layer in (config_layer, file_layer, line) if layer is not None]
    document = merge_use_cases(stack, _flags(options))
    for layer in stack:
        for notice in deprecation_notices(layer):
            click.echo(notice, err=True)
    use_case = use_case_from_dict(document.data, source=document.name, document=document)
    return use_case, tuple(use_case.explicit_assumptions(set(document.data)))


def _flags(options: dict[str, Any]) -> dict[str, Any]:
    """The use-case keys given as options."""
    data = {key: options[key] for key in (*_BOOL_KEYS, *_INT_KEYS, "licensee_country", "as_of")
            if options.get(key) is not None}
    for key in ("territories", "purposes"):
        if options.get(key):
            data[key] = [item.upper() if key == "territories" else item for item in options[key]]
    return data


def _use_case_from(config: Any, options: dict[str, Any]) -> tuple[str, ...]:
    """Where the use case came from, lowest first, for the report's footer and ``use_case_from``."""
    return tuple(source for source, given in ((config.path if config else "", config is not None),
                                              (options["use_case_file"], bool(options["use_case_file"])),
                                              ("flags", bool(_flags(options)))) if given)


def _color(stream: Any) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()




def _report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``check`` and ``scan`` share: output format, where it goes, what fails, and the project."""
    func = click.option("--no-config", is_flag=True, envvar="MODELTERMS_NO_CONFIG", show_envvar=True,
                        help="Ignore modelterms.yaml / [tool.modelterms].")(func)
    func = click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
                        envvar="MODELTERMS_CONFIG", show_envvar=True,
                        help="Project config (default: modelterms.yaml or pyproject.toml, found upwards).")(func)
    func = click.option("--policy", "policy_files", multiple=True, type=click.Path(),
                        help="Organisation policy: a rule file or directory (repeatable).")(func)
    func = click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
                        help="Write the report to this file (atomically) instead of standard output.")(func)
    func = click.option("--fail-on", type=click.Choice(["forbidden", "restricted", "never"]), default="forbidden",
                        show_default=True, envvar="MODELTERMS_FAIL_ON", show_envvar=True,
                        help="Exit 1 when any unwaived finding is at or above this.")(func)
    func = click.option("--format", "output_format", type=click.Choice(_FORMATS), default="table",
                        show_default=True, envvar="MODELTERMS_FORMAT", show_envvar=True)(func)
    func = click.option("--verdict", "verdicts", multiple=True,
                        type=click.Choice(["permitted", "restricted", "forbidden"]),
                        help="Show only models with this verdict (repeatable; table, markdown, html). "
                             "The exit code still judges every model.")(func)
    func = click.option("--details/--summary", "details", default=None,
                        help="Every model in full / a line per model (default: in full up to five models).")(func)
    return func


def _view(options: dict[str, Any], output_format: str) -> Any:
    """How much of the report a person sees (``--details``, ``--verdict``): only the formats people read."""
    details, verdicts = options.get("details"), options.get("verdicts") or ()
    if output_format not in _HUMAN_FORMATS:
        if details is not None or verdicts:
            raise click.UsageError(f"--details, --summary and --verdict shape {', '.join(_HUMAN_FORMATS)}; "
                                   f"--format {output_format} always holds every model")
        return None
    from ._format._view import View
    from ._model import Verdict

    return View(details=details, verdicts=frozenset(Verdict(v) for v in verdicts))


def _project_config(config_file: str | None, no_config: bool) -> Any:
    from ._config import find_config, load_config

    if no_config:
        return None
    path = config_file or find_config()
    if not path:
        return None
    shown = os.path.relpath(path)
    _say(f"modelterms: using config {shown if not shown.startswith('..') else os.path.abspath(path)}")
    return load_config(path)


def _emit(text: str, output: str | None, inputs: Sequence[str] = ()) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from ._output import write_atomically

        write_atomically(output, text, inputs)


def _inputs(config: Any, options: dict[str, Any], *paths: str | None) -> list[str]:
    """The files this run reads, which ``-o`` must never overwrite."""
    found = [str(path) for path in paths if path]
    if config is not None:
        found += [str(config.path), *(str(path) for path in config.policy_files)]
    if options.get("use_case_file"):
        found.append(options["use_case_file"])
    return found


def _finish(report: Any, output_format: str, output: str | None, inputs: Sequence[str] = (),
            view: Any = None) -> NoReturn:
    """Render, write, say what needs attention on stderr, and exit with the gate's answer."""
    from ._format import formatter, human_formatter

    color = output is None and _color(sys.stdout)
    text = (human_formatter(output_format)(report, color=color, view=view) if view is not None
            else formatter(output_format)(report, color=color))
    _emit(text, output, inputs)
    for notice in getattr(report, "notices", ()):  # what a scan passed over (too large, not parsable)
        _say(notice)
    gate = report.gate
    for level, message in gate.messages():
        if level == "error":
            click.echo(f"{level}: {message}", err=True)
        else:
            _say(f"{level}: {message}")
    sys.exit(EXIT_OK if gate.passed else EXIT_FAIL)


def _hub_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--hub`` / ``--offline``: the lineage resolver may read the Hugging Face Hub (see _hub.py)."""
    func = click.option("--offline", is_flag=True, default=False,
                        help="Read Hub metadata from the local cache only (filled by an earlier --hub run).")(func)
    func = click.option("--hub/--no-hub", "hub", default=None,
                        help="Look up ids and base models outside the catalog and the tree on the Hugging Face "
                             "Hub (config `hub: true`, env MODELTERMS_HUB=1). Off by default.")(func)
    return func


def _hub_client(hub: bool | None, offline: bool, config: Any) -> Any:
    """A HubClient when the Hub is on (flag over config over environment), else None: nothing leaves the machine."""
    from ._hub import HubClient, settings_from

    settings = settings_from(hub, offline or None, config.hub if config is not None else None)
    return HubClient(settings) if settings.enabled else None


@main.command()
@_use_case_options
@click.option("--explain", is_flag=True,
              help="After the report, what would change each answer that is not permitted (as `explain`).")
@click.option("--model", "models", multiple=True,
              help="Catalog id or alias, case-insensitive (repeatable). Default: the config's models, else all.")
@click.option("--batch", "batch_file", type=click.Path(dir_okay=False), default=None,
              help="JSON Lines file, one use case per line; writes one JSON report per line.")
@click.option("--card", "card_files", multiple=True, type=click.Path(),
              help="A model card (README.md or its folder) to check, or the card of a --model id (repeatable).")
@_hub_options
@_report_options
@_catalog_options
@_guard
def check(models: tuple[str, ...], batch_file: str | None, card_files: tuple[str, ...], hub: bool | None,
          offline: bool, output_format: str, fail_on: str, output: str | None,
          policy_files: tuple[str, ...], config_file: str | None, no_config: bool, license_dirs: tuple[str, ...],
          rule_files: tuple[str, ...], **options: Any) -> None:
    """Check a use case against models' licenses and your policies.

    In a project with a modelterms.yaml (or [tool.modelterms] in pyproject.toml),
    no arguments are needed: the declared models, use case, policies and waivers apply.

    \b
    Exit codes: 0 nothing unwaived at or above --fail-on, 1 something is (or a
    waiver expired), 2 bad input.
    """
    from ._workflow import load_setup, report_for

    config = _project_config(config_file, no_config)
    # the use case is read first: a bad one is reported without loading the catalog (a start-up's main cost)
    early = _use_case(options, config.use_case_document if config else None) if batch_file is None else None
    client = _hub_client(hub, offline, config)
    cards: dict[str, Any] = {}
    if card_files or client is not None:  # any HF id: through its card or the Hub (see _model_check.py)
        from ._model_check import lineage_setup

        setup, cards = lineage_setup(config, models, card_files, client, options.get("as_of"), license_dirs,
                                     rule_files, policy_files)
    else:
        setup = load_setup(config, models, license_dirs, rule_files, policy_files)
    _print_notices(setup.catalog)
    if batch_file is not None and options.get("explain"):
        raise click.UsageError("--explain works on one use case: leave out --batch")
    if batch_file is not None:
        from ._batch import run_batch
        from ._yaml import Document

        given = click.get_current_context().get_parameter_source("output_format")
        if (output_format != "json" and given != click.core.ParameterSource.DEFAULT) or options["use_case_file"]:
            raise click.UsageError("--batch reads its use cases from the file and writes JSON Lines: "
                                   "leave out --use-case, and --format other than json")
        def per_line(line: Document) -> tuple[Any, tuple[str, ...]]:
            return _use_case(options, config.use_case_document if config else None, line)

        if output is not None:
            from ._output import check_target

            check_target(output, _inputs(config, options, batch_file, *policy_files))
        sys.exit(run_batch(batch_file, setup, per_line, fail_on, output,
                           _inputs(config, options, batch_file, *policy_files)))
    assert early is not None
    use_case, assumed = early
    report = report_for(setup, use_case, assumed, fail_on, use_case_from=_use_case_from(config, options))
    report = report._replace(cards=cards) if cards else report  # how each --card / --hub model was resolved
    if options.get("explain"):
        _finish_explained(report, setup.catalog, output_format, output, _inputs(config, options, *policy_files))
    _finish(report, output_format, output, _inputs(config, options, *policy_files), _view(options, output_format))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--allow-empty", is_flag=True,
              help="Pass when no model card or model reference is found (by default that is an error).")
@_hub_options
@_use_case_options
@_report_options
@_catalog_options
@_guard
def scan(paths: tuple[str, ...], allow_empty: bool, hub: bool | None, offline: bool, output_format: str,
         fail_on: str, output: str | None,
         policy_files: tuple[str, ...], config_file: str | None, no_config: bool, license_dirs: tuple[str, ...],
         rule_files: tuple[str, ...], **options: Any) -> None:
    """Check the models named under PATHS: in code, configs, notebooks, container files and SBOMs, and in
    Hugging Face model cards (README.md front matter).

    A catalog id or alias counts wherever code writes it; any other name only
    where a model goes (an SDK call, a model: key, vllm serve ID), and one the
    catalog does not know there is reported unknown-model-reference (fails
    unless waived).

    Each card is mapped to the catalog by its repo id (its folders), its
    base_model, or its declared license; a card none of these maps is reported
    unknown and fails the check unless waived. The use case, policies and
    waivers come from the project config and the options, as for `check`.

    \b
    Exit codes: 0 nothing unwaived at or above --fail-on, 1 something is, 2 bad input.
    """
    from ._workflow import load_catalog, scan_report

    config = _project_config(config_file, no_config)
    use_case, assumed = _use_case(options, config.use_case_document if config else None)
    catalog = load_catalog(config, license_dirs, rule_files, policy_files)
    _print_notices(catalog)
    report = scan_report(paths, catalog, config, use_case, assumed, fail_on, allow_empty=allow_empty,
                         use_case_from=_use_case_from(config, options), hub=_hub_client(hub, offline, config))
    _finish(report, output_format, output, _inputs(config, options, *policy_files, *paths),
            _view(options, output_format))


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing modelterms.yaml.")
@click.argument("path", default="modelterms.yaml", type=click.Path(dir_okay=False))
@_guard
def init(force: bool, path: str) -> None:
    """Write a commented starter modelterms.yaml (never overwrites one without --force)."""
    from ._config import STARTER, shadowed_by

    shadowed = shadowed_by(path)
    if shadowed is not None:  # even with --force: --force overwrites a modelterms.yaml, never another config
        _fail([shadowed])
    if os.path.islink(path):  # a link, dangling or not, would be replaced by a plain file
        click.echo(f"error: {path} is a symbolic link; nothing was written (give the link's target)", err=True)
        sys.exit(EXIT_INPUT)
    if os.path.exists(path) and not force:
        click.echo(f"error: {path} already exists; nothing was written (use --force to overwrite it)", err=True)
        sys.exit(EXIT_INPUT)
    _emit(STARTER, path)
    click.echo(f"wrote {path}: edit its models and use case, then run `modelterms check`")


@main.command()
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--as-of", default=None, help="Show the licenses in force on this date (default today).")
@click.option("--vendor", default=None, help="Only models of this vendor (part of the name, any case).")
@click.option("--license", "license_id", default=None, help="Only models bound by this license id on that date.")
@click.option("--kind", type=click.Choice(["permissive", "restricted", "non-commercial", "proprietary"]),
              default=None, help="Only models whose strictest license in force is of this kind.")
@click.option("--search", default=None, metavar="TEXT",
              help="Only models whose id, name, family or alias contains TEXT.")
@_catalog_options
@_guard
def models(output_format: str, as_of: str | None, vendor: str | None, license_id: str | None, kind: str | None,
           search: str | None, license_dirs: tuple[str, ...], rule_files: tuple[str, ...]) -> None:
    """List the model catalog by family, with the licenses in force."""
    from ._catalog_view import model_rows

    catalog = _load_catalog(license_dirs, rule_files)
    day = _day(as_of)
    rows = model_rows(catalog, day, vendor=vendor, license_id=license_id, kind=kind, search=search)
    if output_format == "json":
        import json

        click.echo(json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=False))
        return
    if not rows:
        click.echo("no model matches", err=True)
        return
    from tabulate import tabulate

    table = [[r["family"] or "-", r["id"], r["vendor"], ", ".join(r["licenses"]) or "-", r["kind"] or "-",
              r["access"], r["weights"] or "-", "yes" if r["osi_approved"] else "no"] for r in rows]
    click.echo(tabulate(table, headers=["family", "model", "vendor", f"licenses ({day})", "kind", "access",
                                        "weights", "OSI"], tablefmt="simple"))
    families = {r["family"] for r in rows if r["family"]}
    click.echo(f"{len(rows)} models in {len(families)} families and {sum(1 for r in rows if not r['family'])} "
               "single entries")


def _day(as_of: str | None) -> str:
    from ._usecase import use_case_from_dict

    if as_of is None:
        return _dt.date.today().isoformat()
    return use_case_from_dict({"as_of": as_of}, source="--as-of").as_of


@main.command()
@click.argument("identifier")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--as-of", default=None, help="Date for the model's license period (default today).")
@_catalog_options
@_guard
def show(identifier: str, output_format: str, as_of: str | None, license_dirs: tuple[str, ...],
         rule_files: tuple[str, ...]) -> None:
    """Show a model or a license, with each term and its citation."""
    from ._catalog_view import describe

    catalog = _load_catalog(license_dirs, rule_files)
    click.echo(describe(catalog, identifier, _day(as_of), output_format), nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--kind", type=click.Choice(["license", "models", "use-case", "rules", "config"]), default=None,
              help="Treat every file as this kind instead of detecting it.")
@_guard
def validate(paths: tuple[str, ...], kind: str | None) -> None:
    """Validate license profiles, model catalogs, use cases, rule files and project configs."""
    from ._loader import KIND_NAMES, validate_paths

    failed = False
    for path, detected, problems in validate_paths(paths, kind):
        if problems:
            from ._errors import shown

            failed = True
            for line in shown(problems):
                click.echo(f"error: {line}", err=True)
        else:
            click.echo(f"ok: {path} ({KIND_NAMES.get(detected, detected)})")
    sys.exit(EXIT_INPUT if failed else EXIT_OK)


# ------------------------------------------------------------------ choosing a model: compare, diff, explain


def _finish_explained(report: Any, catalog: Any, output_format: str, output: str | None,
                      inputs: Sequence[str]) -> NoReturn:
    """``check --explain``: the report, then what would change each answer; exits by the report's gate."""
    from ._explain import explain
    from ._format import formatter
    from ._format.explanation import render

    if output_format not in ("table", "markdown", "json"):
        raise click.UsageError("--explain works with --format table, markdown or json")
    explanations = explain(catalog, report.use_case, [result.model for result in report.results])
    if output_format == "json":
        import json

        text = json.dumps({**report.to_dict(), "explanations": explanations.to_dict()["explanations"]},
                          indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    else:
        color = output is None and _color(sys.stdout)
        text = formatter(output_format)(report, color=color) + "\n" + render(explanations, output_format)
    _emit(text, output, inputs)
    for level, message in report.gate.messages():
        click.echo(f"{level}: {message}", err=True)
    sys.exit(EXIT_OK if report.gate.passed else EXIT_FAIL)


def _chosen_models(models: tuple[str, ...], family: tuple[str, ...], vendor: tuple[str, ...], config: Any,
                   catalog: Any, *, default_all: bool) -> Any:
    """The models named, else those of --family/--vendor, else the config's, else the catalog (or an error)."""
    from ._compare import select_models

    if models or family or vendor:
        return select_models(catalog, models, family=family, vendor=vendor)
    if config is not None:
        from ._workflow import load_setup

        return list(load_setup(config, (), (), (), ()).models or ())
    if default_all:
        return list(catalog.models)
    raise click.UsageError("name the models to compare, or give --family or --vendor (or run where a "
                           "modelterms.yaml declares models)")


def _selection(names: tuple[str, ...], family: tuple[str, ...], vendor: tuple[str, ...], config: Any,
               license_dirs: tuple[str, ...], rule_files: tuple[str, ...], *, default_all: bool) -> tuple[Any, Any]:
    """The catalog (with the config's policies, as for ``check``) and the models: those named, else the members of
    --family/--vendor, else the config's, else the whole catalog (explain) or a usage error (compare)."""
    if config is None:
        catalog = _load_catalog(license_dirs, rule_files)
        return catalog, _chosen_models(names, family, vendor, None, catalog, default_all=default_all)
    from ._compare import select_models
    from ._workflow import load_setup

    setup = load_setup(config, names, license_dirs, rule_files, ())
    _print_notices(setup.catalog)
    if names or not (family or vendor):
        return setup.catalog, list(setup.models or ())
    return setup.catalog, select_models(setup.catalog, family=family, vendor=vendor)


def _selection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--no-config", is_flag=True, help="Ignore modelterms.yaml / [tool.modelterms].")(func)
    func = click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
                        help="Project config whose models and use case apply when no model is named.")(func)
    func = click.option("--vendor", multiple=True, help="Every catalog model of this vendor (repeatable).")(func)
    func = click.option("--family", multiple=True, help="Every member of this catalog family (repeatable).")(func)
    return func


@main.command()
@click.argument("names", nargs=-1)
@_use_case_options
@_selection_options
@click.option("--format", "output_format", type=click.Choice(["table", "json", "markdown", "csv", "html"]),
              default="table", show_default=True)
@_catalog_options
@_guard
def compare(names: tuple[str, ...], family: tuple[str, ...], vendor: tuple[str, ...], config_file: str | None,
            no_config: bool, output_format: str, license_dirs: tuple[str, ...], rule_files: tuple[str, ...],
            **options: Any) -> None:
    """Compare models for a use case: one row per model, a verdict per part of the use case.

    Columns the use case does not ask for show what would apply if it did (in brackets).
    """
    from ._compare import compare as run_compare
    from ._format.comparison import render

    config = _project_config(config_file, no_config)
    catalog, chosen = _selection(names, family, vendor, config, license_dirs, rule_files, default_all=False)
    use_case, _ = _use_case(options, config.use_case_document if config else None)
    comparison = run_compare(catalog, use_case, chosen)
    if output_format == "html":  # one self-contained page (_format/html.py)
        from ._format.html import render_comparison

        click.echo(render_comparison(comparison), nl=False)
        return
    click.echo(render(comparison, output_format), nl=False)


@main.command()
@click.argument("names", nargs=-1)
@_use_case_options
@_selection_options
@click.option("--alternatives", default=5, show_default=True, type=click.IntRange(min=0),
              help="How many other models to name for each answer.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "markdown", "html"]),
              default="table", show_default=True)
@_catalog_options
@_guard
def explain(names: tuple[str, ...], family: tuple[str, ...], vendor: tuple[str, ...], config_file: str | None,
            no_config: bool, alternatives: int, output_format: str, license_dirs: tuple[str, ...],
            rule_files: tuple[str, ...], **options: Any) -> None:
    """For each model not permitted: the smallest changes to the use case that would improve the answer.

    Each change names the clause that decides it; when only giving up part of the
    use case helps, the answer says so and names other models. Default: the
    config's models, else the whole catalog.
    """
    from ._explain import explain as run_explain
    from ._format.explanation import render

    config = _project_config(config_file, no_config)
    catalog, chosen = _selection(names, family, vendor, config, license_dirs, rule_files, default_all=True)
    use_case, _ = _use_case(options, config.use_case_document if config else None)
    explanations = run_explain(catalog, use_case, chosen, alternatives=alternatives)
    if output_format == "html":  # one self-contained page (_format/html.py)
        from ._format.html import render_explanations

        click.echo(render_explanations(explanations), nl=False)
        return
    click.echo(render(explanations, output_format), nl=False)


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--from", "start", default=None, help="With one model: the earlier date (YYYY-MM-DD).")
@click.option("--to", "end", default=None, help="With one model: the later date (default today).")
@click.option("--as-of", default=None, help="With two models: the date whose licenses apply (default today).")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True)
@_catalog_options
@_guard
def diff(names: tuple[str, ...], start: str | None, end: str | None, as_of: str | None, output_format: str,
         license_dirs: tuple[str, ...], rule_files: tuple[str, ...]) -> None:
    """Every term that differs between two licenses (or models), or in one model's history.

    \b
    modelterms diff llama-3 llama-3.1
    modelterms diff MODEL --from 2024-01-01 --to 2025-01-01
    """
    from ._diff import diff as run_diff
    from ._diff import history
    from ._format.difference import render

    catalog = _load_catalog(license_dirs, rule_files)
    if start is not None or end is not None:
        if len(names) != 1 or start is None:
            raise click.UsageError("--from/--to compare one model's terms on two dates: give one model and --from")
        result = history(catalog, names[0], _day(start), _day(end))
    else:
        if len(names) != 2:
            raise click.UsageError("give two licenses or models, or one model with --from and --to")
        result = run_diff(catalog, names[0], names[1], as_of=_day(as_of))
    click.echo(render(result, output_format), nl=False)


@main.command()
@click.argument("tags", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--deprecated", is_flag=True, help="List deprecated tags too, with the tag each is read as.")
@_catalog_options
@_guard
def purposes(tags: tuple[str, ...], output_format: str, deprecated: bool, license_dirs: tuple[str, ...],
             rule_files: tuple[str, ...]) -> None:
    """The purpose tags a use case may name (or only TAGS), what each means, and which documents bar it."""
    from ._format.vocabulary import render
    from ._purposes import purposes as vocabulary

    catalog = _load_catalog(license_dirs, rule_files)
    click.echo(render(vocabulary(catalog, tags, deprecated=deprecated), output_format), nl=False)


# ------------------------------------------------------------------ notice: what shipping the models obliges


@main.command()
@click.argument("names", nargs=-1)
@_use_case_options
@_selection_options
@click.option("--output", "-o", "directory", type=click.Path(file_okay=False), default=None,
              help="Write NOTICE and LICENSES.md into this folder (created if missing) instead of printing them.")
@click.option("--force", is_flag=True, help="Replace NOTICE or LICENSES.md when they exist.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_catalog_options
@_guard
def notice(names: tuple[str, ...], family: tuple[str, ...], vendor: tuple[str, ...], config_file: str | None,
           no_config: bool, directory: str | None, force: bool, output_format: str, license_dirs: tuple[str, ...],
           rule_files: tuple[str, ...], **options: Any) -> None:
    """What shipping or serving the models obliges: NOTICE (attributions, notices) and LICENSES.md.

    Unless the use case says otherwise, the models are taken as distributed and served to
    third parties. Exit 1 when a model is forbidden for the use case (the files say so).
    """
    from ._format.notice import files, render
    from ._notice import notice as build_notice
    from ._notice import write_files

    config = _project_config(config_file, no_config)
    catalog = _load_catalog(license_dirs, rule_files)
    chosen = _chosen_models(names, family, vendor, config, catalog, default_all=False)
    use_case, assumed = _use_case(options, config.use_case_document if config else None)
    if "distributes" in assumed and "serves_third_parties" in assumed:
        import dataclasses

        use_case = dataclasses.replace(use_case, distributes=True, serves_third_parties=True)
        click.echo("modelterms: notice takes the models as distributed and served to third parties "
                   "(--no-distributes / --no-serves-third-parties to say otherwise)", err=True)
    result = build_notice(catalog, use_case, chosen)
    if directory is None:
        click.echo(render(result, output_format), nl=False)
    else:
        written = files(result) if output_format == "text" else {"notice.json": render(result, "json")}
        for path in write_files(directory, written, force=force):
            click.echo(f"wrote {path}", err=True)
    for blocked in result.not_cleared:
        click.echo(f"error: {blocked.model} is forbidden for this use case: {blocked.findings[0].message}", err=True)
    sys.exit(EXIT_FAIL if result.not_cleared else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_catalog_options
@_guard
def verify(paths: tuple[str, ...], license_dirs: tuple[str, ...], rule_files: tuple[str, ...]) -> None:
    """Run the cases written beside a policy's rules (`cases:`), as conftest verify does.

    \b
    Exit codes: 0 every case passed, 1 a case failed, 2 bad input (or a policy with no cases).
    """
    from ._verify import verify_policies

    outcomes = verify_policies(paths, licenses=license_dirs, rules=rule_files)
    for outcome in outcomes:
        if outcome.passed:
            click.echo(f"PASS {outcome.file}: {outcome.name}")
            continue
        why = [f"expected {outcome.expected}, got {outcome.verdict}"] if outcome.verdict != outcome.expected else []
        why += [f"rule {rule} did not fire" for rule in outcome.missing]
        why += [f"rule {rule} fired" for rule in outcome.unexpected]
        click.echo(f"FAIL {outcome.file}: {outcome.name} ({outcome.model}): {'; '.join(why)}")
    failed = sum(not outcome.passed for outcome in outcomes)
    click.echo(f"{len(outcomes) - failed} passed, {failed} failed")
    sys.exit(EXIT_FAIL if failed else EXIT_OK)

