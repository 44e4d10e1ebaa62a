"""Bundled data speaks of licenses and their sources, never of how they were researched (issue 14, finding 12).

`show` prints a profile's notes to users: a path on a build machine or the name
of a research tool there is noise at best and a leak at worst.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DATA = sorted([*(ROOT / "licenses").rglob("*.yaml"), *(ROOT / "rules").rglob("*.yaml"),
               *(ROOT / "policies").rglob("*.yaml")])
LOCAL_PATH = re.compile(r"(?<![\w.:/])(?:/(?:work|tmp|home|root|Users|var/folders|mnt)/|[A-Z]:\\\\)\S*")
PROCESS_WORDS = re.compile(r"\b(?:research notes|code corpus|stored cop(?:y|ies)|search tool|"
                           r"index ids?|find_string|read_file|find_files|helper|subagent|look-?ups?)\b", re.I)


@pytest.mark.parametrize("path", DATA, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_local_paths_or_research_process_in_bundled_data(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not LOCAL_PATH.findall(text), LOCAL_PATH.findall(text)
    hits = [match.group(0) for match in PROCESS_WORDS.finditer(text)]
    assert not hits, hits


def test_the_checks_catch_what_they_are_for() -> None:
    assert LOCAL_PATH.findall("read from /work/shared/reference/licenses/x.txt")
    assert not LOCAL_PATH.findall("see https://example.org/work/terms")
    assert PROCESS_WORDS.search("found with find_string (index id 123)")
