"""``python -m modelterms``: the same command as ``modelterms``, for environments without the script on PATH."""

from modelterms.cli import main

main(prog_name="modelterms")
