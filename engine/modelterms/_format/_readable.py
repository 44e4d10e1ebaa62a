"""Text people can read, for the formats people read (table, Markdown, HTML): labels, short lists, one of each.

The rules render their messages from profile data and use-case keys, which suits machines (JSON, SARIF keep
them as they are); a person should read "monthly active users", not ``monthly_active_users``, "the 27 EU
member states", not 27 codes, and a requirement such as "Built with Llama" once, not once per clause that
repeats it. Nothing here knows a license: it works on the words of any finding.
"""

from __future__ import annotations

import re
import textwrap
from functools import cache

from .._model import Finding, Result

#: use-case keys as a person says them (the keys themselves stay in JSON and in the flags)
LABELS = {
    "monthly_active_users": "monthly active users",
    "monthly_revenue_usd": "US$ of monthly revenue",
    "annual_revenue_usd": "US$ of annual revenue",
    "self_hosted": "self-hosting",
    "serves_third_parties": "serving third parties",
    "trains_on_outputs": "training on outputs",
    "competes_with_licensor": "competing with the licensor",
    "licensee_country": "licensee country",
    "as_of": "date",
}
_KEY = re.compile(r"\b(" + "|".join(LABELS) + r")\b")
_CODES = re.compile(r"\b[A-Z]{2}(?:, [A-Z]{2})+\b")
_QUOTED = re.compile(r"[\"“]([^\"”]{2,})[\"”]")
_URL = re.compile(r"https?://\S+")


@cache
def _eu() -> frozenset[str]:
    from .._usecase import eu_members

    return frozenset(eu_members())


def _territories(match: re.Match[str]) -> str:
    codes = match.group(0).split(", ")
    eu = _eu()
    if not eu <= set(codes):
        return match.group(0)
    rest = [code for code in codes if code not in eu]
    return f"the {len(eu)} EU member states" + (f" and {', '.join(rest)}" if rest else "")


def readable(text: str) -> str:
    """``text`` with use-case keys as words and every list of all EU member states as one phrase."""
    return _CODES.sub(_territories, _KEY.sub(lambda m: LABELS[m.group(1)], text))


def label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " "))


def quoted(text: str) -> frozenset[str]:
    """The strings ``text`` quotes: what a clause requires word for word ("Built with Llama", a "Notice" file)."""
    return frozenset(match.group(1) for match in _QUOTED.finditer(text))


def _license_of(result: Result, obligation: str) -> str | None:
    """The license whose finding states ``obligation`` (the rules put the obligation's words in the message)."""
    for finding in result.findings:
        if obligation in finding.message:
            return finding.citation.license
    return None


def obligations(result: Result) -> list[str]:
    """Each obligation once: a line is left out when every text it quotes is required by a kept line of its license.

    A license often states one requirement twice, once in a grant's condition ("... display \"Built with
    Llama\" ...") and once as its own obligation; the most specific line (quoting fewest texts, then the
    fullest) is kept, so the requirement reads once. A line that quotes nothing, or quotes a text no other
    line of its license requires, is always kept.
    """
    lines = list(dict.fromkeys(result.obligations))
    texts = {line: quoted(line) for line in lines}
    owner = {line: _license_of(result, line) for line in lines}
    kept: list[str] = []
    for line in sorted(lines, key=lambda item: (len(texts[item]), -len(item))):
        covered = texts[line] and all(any(text in texts[other] and owner[other] == owner[line] for other in kept)
                                      for text in texts[line])
        if not covered:
            kept.append(line)
    return [readable(line) for line in lines if line in kept]


def remedies(result: Result, limit: int | None = None) -> list[str]:
    """The distinct remedies of the findings that decide the verdict, as words."""
    found = [f for f in result.findings if f.verdict == result.verdict and f.remedy]
    texts = list(dict.fromkeys(readable(f.remedy or "") for f in found))
    return texts if limit is None else texts[:limit]


def message(finding: Finding) -> str:
    return readable(finding.message)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` wrapped at ``width`` without breaking a word, a hyphenated name, or a URL (each URL on its own line)."""
    pieces = _URL.split(text)
    urls = _URL.findall(text)
    out: list[str] = []  # text pieces and URLs interleave as re.split left them
    for index, piece in enumerate(pieces):
        piece = piece.strip()
        if piece:
            out += textwrap.wrap(piece, max(width, 8), subsequent_indent=indent, break_long_words=False,
                                 break_on_hyphens=False, initial_indent=indent if out else "")
        if index < len(urls):
            out.append(indent + urls[index] if out else urls[index])
    return out or [""]
