"""The ``modelterms`` command: a thin shell that parses, calls the library, formats, and picks the exit code.

Exit codes (the only place that knows them): 0 no model at or above
``--fail-on``; 1 at least one is; 2 bad input of any kind (nothing evaluated).
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2
_BOOL_KEYS = ("commercial", "self_hosted", "modifies", "distributes", "serves_third_parties",
              "trains_on_outputs", "competes_with_licensor")
_INT_KEYS = ("monthly_active_users", "monthly_revenue_usd", "annual_revenue_usd")


def _fail(problems: Any) -> NoReturn:
    for problem in problems:
        click.echo(f"error: {problem.render()}", err=True)
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
    from ._catalog import Catalog

    catalog = Catalog.load(licenses=license_dirs, rules=rule_files)
    for notice in catalog.notices:
        click.echo(notice, err=True)
    return catalog


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="modelterms")
def main() -> None:
    """Tell what an AI model's license lets you do: permitted, restricted or forbidden, with cited clauses."""


def _use_case_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for key in reversed(_INT_KEYS):
        func = click.option(f"--{key.replace('_', '-')}", key, type=click.IntRange(min=0), default=None,
                            help=f"Use-case key `{key}`.")(func)
    for key in reversed(_BOOL_KEYS):
        flag = key.replace("_", "-")
        func = click.option(f"--{flag}/--no-{flag}", key, default=None, help=f"Use-case key `{key}`.")(func)
    func = click.option("--purpose", "purposes", multiple=True, help="Purpose tag (repeatable).")(func)
    func = click.option("--territory", "territories", multiple=True,
                        help="ISO country code where the product is offered (repeatable; EU allowed).")(func)
    func = click.option("--licensee-country", default=None, help="ISO code where your organisation is domiciled.")(func)
    func = click.option("--as-of", default=None, help="Date whose license versions apply (default today).")(func)
    func = click.option("--use-case", "use_case_file", type=click.Path(), default=None,
                        help="YAML file with the use case; flags override its keys.")(func)
    return func


def _use_case(options: dict[str, Any]) -> tuple[Any, tuple[str, ...]]:
    from ._usecase import use_case_from_dict
    from ._yaml import Document, load_file

    document = Document("<flags>", {})
    if options["use_case_file"]:
        document = load_file(options["use_case_file"])
        if document.data is None:
            document.data = {}
    data = document.data
    if isinstance(data, dict):
        for key in (*_BOOL_KEYS, *_INT_KEYS, "licensee_country", "as_of"):
            if options.get(key) is not None:
                data[key] = options[key]
        for key in ("territories", "purposes"):
            if options.get(key):
                data[key] = [item.upper() if key == "territories" else item for item in options[key]]
    given = set(data) if isinstance(data, dict) else set()
    use_case = use_case_from_dict(data, source=document.name, document=document)
    return use_case, tuple(use_case.explicit_assumptions(given))


def _color(stream: Any) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


@main.command()
@_use_case_options
@click.option("--model", "models", multiple=True,
              help="Catalog id or alias, case-insensitive (repeatable). Default: all.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--fail-on", type=click.Choice(["forbidden", "restricted", "never"]), default="forbidden",
              show_default=True, help="Exit 1 when any model's verdict is at or above this.")
@_catalog_options
@_guard
def check(models: tuple[str, ...], output_format: str, fail_on: str, license_dirs: tuple[str, ...],
          rule_files: tuple[str, ...], **options: Any) -> None:
    """Check a use case against models' licenses.

    \b
    Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 bad input.
    """
    from ._format import formatter
    from ._model import Verdict
    from ._report import Report

    use_case, assumed = _use_case(options)
    catalog = _load_catalog(license_dirs, rule_files)
    results = catalog.evaluate(use_case, list(models) if models else None)
    report = Report(use_case, assumed, tuple(results))
    click.echo(formatter(output_format)(report, color=_color(sys.stdout)), nl=False)
    if fail_on != "never":
        threshold = Verdict(fail_on).severity
        if any(result.verdict.severity >= threshold for result in results):
            sys.exit(EXIT_FAIL)


@main.command()
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--as-of", default=None, help="Show the licenses in force on this date (default today).")
@_catalog_options
@_guard
def models(output_format: str, as_of: str | None, license_dirs: tuple[str, ...], rule_files: tuple[str, ...]) -> None:
    """List the model catalog with the license in force."""
    from ._catalog_view import model_rows

    catalog = _load_catalog(license_dirs, rule_files)
    day = _day(as_of)
    rows = model_rows(catalog, day)
    if output_format == "json":
        import json

        click.echo(json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=False))
        return
    from tabulate import tabulate

    table = [[r["id"], r["vendor"], r["license"] or "-", r["kind"] or "-", r["access"]] for r in rows]
    click.echo(tabulate(table, headers=["model", "vendor", f"license ({day})", "kind", "access"],
                        tablefmt="simple"))


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
@click.option("--kind", type=click.Choice(["license", "models", "use-case", "rules"]), default=None,
              help="Treat every file as this kind instead of detecting it.")
@_guard
def validate(paths: tuple[str, ...], kind: str | None) -> None:
    """Validate license profiles, model catalogs, use cases and rule files."""
    from ._loader import KIND_NAMES, validate_paths

    failed = False
    for path, detected, problems in validate_paths(paths, kind):
        if problems:
            failed = True
            for problem in problems:
                click.echo(f"error: {problem.render()}", err=True)
        else:
            click.echo(f"ok: {path} ({KIND_NAMES.get(detected, detected)})")
    sys.exit(EXIT_INPUT if failed else EXIT_OK)
