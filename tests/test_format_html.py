"""``--format html`` in a real browser: headless Chromium renders the page, dumps its DOM and takes a screenshot.

CI installs Debian's ``chromium`` (``.ci/run``); without it these tests fail, never skip. The expected verdicts
are the README's (DeepSeek-R1 permitted, Llama 3.1 restricted, GPT-4o forbidden when self-hosted commercially).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from modelterms import Catalog, UseCase
from modelterms._format import html
from modelterms._gate import judge
from modelterms._report import Report
from modelterms.cli import main

from .conftest import cite, grant, model, profile

EXPECTED = {"deepseek-ai/DeepSeek-R1": "permitted", "meta-llama/Llama-3.1-8B-Instruct": "restricted",
            "openai/gpt-4o": "forbidden"}
#: the verdict cells' background colours (html._STYLE), as RGB
BACKGROUNDS = {"permitted": (0xDA, 0xFB, 0xE1), "restricted": (0xFF, 0xF1, 0xC2), "forbidden": (0xFF, 0xE0, 0xE0)}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--window-size=1280,1600"]


def chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    assert binary, "chromium is not installed: apt-get install -y chromium (.ci/run does)"
    profile_dir = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile_dir}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)


def console_errors(stderr: str) -> list[str]:
    """Console output and load failures: the page has no script, so any console message is a fault (CSP too)."""
    return [line for line in stderr.splitlines()
            if ":CONSOLE" in line or "Uncaught" in line or "Page load failed" in line]


class Verdicts(HTMLParser):
    """The matrix as the browser left it: each row's model id and the verdict word and symbol of its badge."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, str] = {}
        self.tags: list[str] = []
        self.text: list[str] = []
        self.section = ""
        self._model: str | None = None
        self._badge = 0  # depth inside a verdict badge (its symbol is a span of its own)
        self._words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if tag == "section":
            self.section = found.get("id") or ""
        if tag in ("tr", "h3", "li"):  # a matrix row, an explanation's heading, a "permitted as asked" item
            self._model = None
        if tag == "span" and self._badge:
            self._badge += 1
        elif tag == "span" and "data-verdict" in found and self.section == "verdicts":
            self._badge, self._words = 1, []

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.section != "verdicts":
            return
        if self.tags[-1:] == ["code"] and self._model is None:
            self._model = data
        elif self._badge:
            self._words.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._badge:
            self._badge -= 1
            if not self._badge and self._model is not None and self._model not in self.rows:
                self.rows[self._model] = " ".join("".join(self._words).split())


def parse(dom: str) -> Verdicts:
    parser = Verdicts()
    parser.feed(dom)
    return parser


def pixels(png: bytes) -> set[tuple[int, int, int]]:
    """The distinct RGB colours of an 8-bit RGB(A) PNG (what Chromium writes), decoded with the standard library."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        body = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    size = 3 if colour == 2 else 4
    raw, stride, previous, found = zlib.decompress(b"".join(chunks)), width * size, bytearray(width * size), set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                best = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
                line[i] = (line[i] + best[2]) & 0xFF
        found.update(tuple(line[i:i + 3]) for i in range(0, stride, size * 4))  # every 4th pixel is enough
        previous = line
    return found  # type: ignore[return-value]


@pytest.fixture(scope="module")
def check_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    args = ["check", "--no-config", *[f"--model={m}" for m in EXPECTED], "--commercial", "--self-hosted",
            "--as-of", "2026-11-23", "--format", "html", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output  # gpt-4o self-hosted is forbidden
    return out


def test_every_verdict_appears_in_the_rendered_page_without_console_errors(check_page: Path, tmp_path: Path) -> None:
    run = chromium(check_page, tmp_path, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_errors(run.stderr) == []
    page = parse(run.stdout)
    symbols = {"permitted": "✔", "restricted": "▲", "forbidden": "✖"}
    assert page.rows == {model_id: f"{symbols[verdict]} {verdict}" for model_id, verdict in EXPECTED.items()}
    text = " ".join(" ".join(page.text).split())
    assert "2026-11-23" in text and "commercial yes" in text and "self-hosting yes" in text  # use case and date
    assert "Remedy: Use OpenAI's API" in text


def test_the_screenshot_shows_the_three_verdict_colours(check_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    run = chromium(check_page, tmp_path, f"--screenshot={shot}")
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    assert console_errors(run.stderr) == []
    colours = pixels(shot.read_bytes())
    for verdict, rgb in BACKGROUNDS.items():
        assert rgb in colours, verdict


def test_the_console_check_catches_a_faulty_page(tmp_path: Path) -> None:
    """The check above can fail: a page whose script throws is caught (here blocked by the same CSP)."""
    page = tmp_path / "bad.html"
    page.write_text(html.render(_report()).replace("</main>", "<script>throw new Error('x')</script></main>"),
                    encoding="utf-8")
    assert console_errors(chromium(page, tmp_path, "--dump-dom").stderr)


def test_the_page_is_self_contained(check_page: Path) -> None:
    text = check_page.read_text(encoding="utf-8")
    page = parse(text)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert " src=" not in text and "url(" not in text and "@import" not in text
    assert "default-src 'none'" in text  # the browser may load nothing
    assert 'href="https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE"' in text


def _report(catalog: Catalog | None = None, models: tuple[str, ...] = ("deepseek-ai/DeepSeek-R1",)) -> Report:
    catalog = catalog or Catalog.load()
    use = UseCase(commercial=True, as_of="2026-11-23")
    results = tuple(catalog.evaluate(use, list(models)))
    return Report(use, (), results, judge(results, [], "forbidden", today="2026-11-23"))


def test_data_is_escaped_and_only_web_links_are_links(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> & \"quotes\""
    data = profile("hostile", name=f"Evil {hostile}", grants={
        **profile()["grants"], "commercial_use": grant("no", summary=f"No {hostile}", cite=cite("<b>1</b>"))})
    root = tmp_path / "mine"
    (root / "models").mkdir(parents=True)
    (root / "hostile.yaml").write_text(yaml.safe_dump(data))
    (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": [model("acme/x", ("hostile",),
                                                                               name=f"X {hostile}")]}))
    page_text = html.render(_report(Catalog.load(licenses=[root]), ("acme/x",)))
    assert "<script>" not in page_text and "<b>1</b>" not in page_text
    page = tmp_path / "hostile.html"
    page.write_text(page_text, encoding="utf-8")
    run = chromium(page, tmp_path, "--dump-dom")
    assert console_errors(run.stderr) == []
    rendered = parse(run.stdout)
    assert "script" not in rendered.tags and "b" not in rendered.tags
    assert "No <script>alert(1)</script> & \"quotes\"" in "".join(rendered.text)  # shown as text, exactly
    assert rendered.rows == {"acme/x": "✖ forbidden"}
    # the loader refuses a javascript: citation; the renderer would not link one either
    assert "href" not in html.link("javascript:alert(1)", "clause") and "href" in html.link("https://x.org", "c")


def test_scan_writes_html_too(tmp_path: Path) -> None:
    card = tmp_path / "models" / "deepseek-ai" / "DeepSeek-R1" / "README.md"
    card.parent.mkdir(parents=True)
    card.write_text("---\nlicense: mit\nbase_model: deepseek-ai/DeepSeek-R1\n---\n# card\n", encoding="utf-8")
    out = tmp_path / "scan.html"
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "models"), "--no-config", "--commercial",
                                       "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    run = chromium(out, tmp_path, "--dump-dom")
    assert console_errors(run.stderr) == []
    assert list(parse(run.stdout).rows.values()) == ["✔ permitted"]


def test_verdict_filter_applies_to_html(tmp_path: Path) -> None:
    out = tmp_path / "forbidden.html"
    args = ["check", "--no-config", *[f"--model={m}" for m in EXPECTED], "--commercial", "--self-hosted",
            "--verdict", "forbidden", "--format", "html", "-o", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 1
    assert parse(out.read_text(encoding="utf-8")).rows == {"openai/gpt-4o": "✖ forbidden"}


def test_compare_and_explain_pages_render_every_verdict(tmp_path: Path) -> None:
    use = ["--commercial", "--self-hosted", "--as-of", "2026-11-23", "--no-config"]
    pages = {}
    for command in ("compare", "explain"):
        result = CliRunner().invoke(main, [command, *EXPECTED, *use, "--format", "html"])
        assert result.exit_code == 0, result.output
        pages[command] = tmp_path / f"{command}.html"
        pages[command].write_text(result.stdout, encoding="utf-8")
    compared = chromium(pages["compare"], tmp_path, "--dump-dom")
    assert console_errors(compared.stderr) == []
    symbols = {"permitted": "✔", "restricted": "▲", "forbidden": "✖"}
    assert parse(compared.stdout).rows == {m: f"{symbols[v]} {v}" for m, v in EXPECTED.items()}
    explained = chromium(pages["explain"], tmp_path, "--dump-dom")
    assert console_errors(explained.stderr) == []
    page = parse(explained.stdout)
    # each model asked about under its heading (the permitted one listed as such); alternatives follow
    assert {m: page.rows.get(m) for m in EXPECTED} == {m: f"{symbols[v]} {v}" for m, v in EXPECTED.items()}
    assert "do not host it yourself" in " ".join(page.text)  # gpt-4o: only giving up self-hosting helps
