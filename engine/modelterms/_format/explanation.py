"""``modelterms explain`` (and ``check --explain``) as text, Markdown or JSON."""

from __future__ import annotations

import json
import textwrap

from .._explain import MAX_CHANGES, Explanation, Explanations, Remedy
from .._model import Citation, Finding

FORMATS = ("table", "json", "markdown")


def clause(citation: Citation) -> str:
    if citation.section in ("whole document", "license history"):
        return citation.license
    return f"{citation.license} §{citation.section}"


def _clauses(findings: tuple[Finding, ...]) -> str:
    return "; ".join(dict.fromkeys(clause(f.citation) for f in findings)) or "-"


def _remedy(remedy: Remedy) -> str:
    changes = " + ".join(change.label for change in remedy.changes)
    return f"{changes} -> {remedy.verdict.value} [{_clauses(remedy.removes)}]"


def _lines(item: Explanation) -> list[str]:
    result = item.result
    lines = [f"{result.model}: {result.verdict.value} ({', '.join(result.licenses) or 'no license in force'})"]
    lines += [f"  because: {f.message} [{clause(f.citation)}]" for f in item.blocking]
    keeping = [remedy for remedy in item.remedies if not remedy.gives_up]
    giving = [remedy for remedy in item.remedies if remedy.gives_up]
    if keeping:
        lines.append("  smallest changes that would improve it:")
        lines += [f"    - {_remedy(remedy)}" for remedy in keeping]
    elif giving:
        lines.append("  impossible while keeping every activity of the use case: only giving one up helps")
    else:
        better = "restricted or permitted" if result.verdict.severity > 1 else "permitted"
        lines.append(f"  impossible: no change of the use case that explain tries (up to {MAX_CHANGES} at a time) "
                     f"makes it {better}")
    if giving:
        lines.append("  or give up part of the use case:")
        lines += [f"    - {_remedy(remedy)}" for remedy in giving]
    if item.alternatives:
        names = ", ".join(f"{alt.model} ({alt.verdict.value})" for alt in item.alternatives)
        lines.append(f"  other models for the unchanged use case ({item.alternatives_total} in all): {names}")
    else:
        lines.append("  no other catalog model of the same modalities is permitted or restricted for this use case")
    return lines


def _wrapped(line: str, width: int) -> str:
    indent = len(line) - len(line.lstrip())
    extra = "    " if line.lstrip().startswith("- ") else "  "
    return textwrap.fill(line, width, subsequent_indent=" " * indent + extra, break_long_words=False,
                         break_on_hyphens=False)


def render(explanations: Explanations, output_format: str, *, width: int = 100) -> str:
    if output_format == "json":
        return json.dumps(explanations.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    blocks = []
    for item in explanations.explanations:
        lines = _lines(item)
        if output_format == "markdown":
            head, *rest = lines
            blocks.append("\n".join([f"### {head}", "", *(f"{line[2:]}" if not line.startswith("    ") else
                                                            f"  {line.strip()}" for line in rest)]))
        else:
            blocks.append("\n".join(_wrapped(line, width) for line in lines))
    count = len(explanations.permitted)
    tail = f"{count} model(s) permitted as asked: nothing to explain." if count else ""
    if not blocks:
        return (tail or "No model to explain.") + "\n"
    return "\n\n".join(blocks) + ("\n\n" + tail if tail else "") + "\n"
