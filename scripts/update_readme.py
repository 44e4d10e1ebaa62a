"""Regenerate the generated blocks of README.md from the real tool, so the docs cannot drift.

Run `python scripts/update_readme.py` after changing rules or catalog data; tests/test_readme.py fails while the
README is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLE_ARGS = ["check", "--model", "deepseek-ai/DeepSeek-R1", "--model", "meta-llama/Llama-3.1-8B-Instruct",
                "--model", "openai/gpt-4o", "--commercial", "--self-hosted", "--as-of", "2026-11-23"]


def example_block() -> str:
    from modelterms.cli import main

    result = CliRunner().invoke(main, EXAMPLE_ARGS, env={"NO_COLOR": "1"})
    command = "$ modelterms " + " ".join(EXAMPLE_ARGS)
    return f"```console\n{command}\n{result.stdout.rstrip()}\n```"


def catalog_block() -> str:
    from modelterms import Catalog
    from modelterms._catalog_view import model_rows

    catalog = Catalog.load()
    rows = model_rows(catalog, "2026-11-23")
    lines = ["| model | vendor | licenses in force (2026-11-23) | kind | access | weights | OSI-approved |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        history = next(m for m in catalog.models if m.id == row["id"]).periods
        changed = " (changed over time)" if len(history) > 1 else ""
        licenses = ", ".join(f"`{lid}`" for lid in row["licenses"]) or "none"
        lines.append(f"| `{row['id']}` | {row['vendor']} | {licenses}{changed} | {row['kind'] or '-'} | "
                     f"{row['access']} | {row['weights']} | {'yes' if row['osi_approved'] else 'no'} |")
    lines += ["", f"{len(rows)} models over {len(catalog.licenses)} license documents:", ""]
    for profile in catalog.licenses.values():
        gaps = f" **Incomplete:** {' '.join(profile.data['gaps'].split())}" if profile.data.get("gaps") else ""
        lines.append(f"- `{profile.id}`: [{profile.name}]({profile.url}) ({profile.kind}){gaps}")
    return "\n".join(lines)


def blocks() -> dict[str, str]:
    return {"example": example_block(), "catalog": catalog_block()}


def render(text: str) -> str:
    for name, body in blocks().items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)", re.S)
        text = pattern.sub(lambda match, body=body: match.group(1) + body + match.group(2), text)
    return text


if __name__ == "__main__":
    current = README.read_text(encoding="utf-8")
    updated = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if updated == current else 1)
    README.write_text(updated, encoding="utf-8")
