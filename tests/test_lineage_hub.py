"""`--hub` end to end: the real huggingface_hub client against a Hub API replay server these tests start.

The server answers `/api/models/<repo>` (and `/revision/<rev>`) from tests/data/hub/responses.json (see
PROVENANCE.md there), a 404 with the Hub's error code for any other repo, a 429 for `acme/rate-limited`
and a late answer for `acme/slow-model`. Nothing here touches the internet: HF_ENDPOINT points at the server.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from modelterms import Catalog
from modelterms._hub import HubClient, HubError, HubNotFound, HubSettings
from modelterms._lineage import Evidence, Status, resolve
from modelterms.cli import main

DATA = json.loads((Path(__file__).parent / "data" / "hub" / "responses.json").read_text())
USE = ["--commercial", "--as-of", "2026-11-01"]


class Replay(BaseHTTPRequestHandler):
    """The part of the Hub API that model_info reads; every request is logged for the tests to inspect."""

    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Replay.requests.append(self.path)
        path = unquote(self.path.split("?", 1)[0])
        if not path.startswith("/api/models/"):
            return self._send(404, {"error": "not found"})
        repo = path[len("/api/models/"):]
        revision = None
        if "/revision/" in repo:
            repo, revision = repo.split("/revision/", 1)
        behaviour = DATA["behaviours"].get(repo, {})
        if "delay_seconds" in behaviour:
            time.sleep(behaviour["delay_seconds"])
        if behaviour.get("status") == 429:
            return self._send(429, {"error": "rate limited"}, behaviour.get("headers", {}))
        found = DATA["responses"].get(repo)
        if found is None or (revision is not None and revision not in (found["sha"], "main")):
            return self._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
        return self._send(200, found)

    def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout test)
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("MODELTERMS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MODELTERMS_HUB_TIMEOUT", "1")
    monkeypatch.delenv("MODELTERMS_HUB", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    Replay.requests = []
    yield endpoint
    server.shutdown()
    server.server_close()


def client(tmp_path: Path, offline: bool = False) -> HubClient:
    return HubClient(HubSettings(enabled=True, offline=offline, timeout=1.0, retries=1), tmp_path / "cache" / "hub")


def card(root: Path, repo: str, front: str) -> Path:
    folder = root / repo
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(f"---\n{front}\n---\n# {repo}\n")
    return folder


def run(*args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result.exit_code, (json.loads(result.stdout) if result.stdout.strip() else {}), result.stderr


def test_three_hub_hops_reach_the_catalog_and_pin_each_revision(hub: str, tmp_path: Path,
                                                                 modelterms_catalog: Catalog) -> None:
    # acme/llama31-adapter -> bartowski/...-abliterated-GGUF -> mlabonne/...-abliterated -> Meta-Llama-3.1 (catalog)
    found = resolve("acme/llama31-adapter", modelterms_catalog, hub=client(tmp_path), day="2026-11-01")
    assert found.status is Status.BASE and found.catalog_model == "meta-llama/Llama-3.1-8B-Instruct"
    assert found.entry is not None and found.entry.periods[0].licenses[0] == "llama-3.1"
    hub_hops = [hop for hop in found.lineage if hop.evidence is Evidence.HUB]
    assert [hop.id for hop in hub_hops] == ["acme/llama31-adapter",
                                            "bartowski/Meta-Llama-3.1-8B-Instruct-abliterated-GGUF",
                                            "mlabonne/Meta-Llama-3.1-8B-Instruct-abliterated"]
    assert all(hop.revision == DATA["responses"][hop.id]["sha"] for hop in hub_hops)
    assert found.lineage[-1].evidence is Evidence.CATALOG
    # The adapter declares apache-2.0 over a Llama 3.1 chain: a conflict, whatever the card says.
    assert found.conflict and found.relation == "adapter"


def test_scan_with_hub_follows_a_local_card_into_the_hub(hub: str, tmp_path: Path) -> None:
    card(tmp_path / "models", "acme/support-bot", "license: apache-2.0\n"
         "base_model: bartowski/Meta-Llama-3.1-8B-Instruct-abliterated-GGUF")
    code, report, _ = run("scan", "models", "--hub", *USE, "--fail-on", "never")
    (result,) = report["results"]
    assert result["licenses"][0] == "llama-3.1"
    assert "card-license-conflict" in [f["rule"] for f in result["findings"]]
    evidence = [hop["evidence"] for hop in result["card"]["lineage"]]
    assert evidence.count("hub") == 2 and evidence[-1] == "catalog"
    assert code == 0
    # The same scan without --hub never asks the server: the base stays unresolved (the lineage says so, and
    # how to resolve it) and the card's own declaration is the next evidence.
    Replay.requests = []
    code, report, _ = run("scan", "models", *USE)
    assert Replay.requests == []
    card_info = report["results"][0]["card"]
    assert card_info["mapped_by"] == "license key"
    unresolved = [hop for hop in card_info["lineage"] if hop["evidence"] == "unresolved"]
    assert [hop["id"] for hop in unresolved] == ["bartowski/Meta-Llama-3.1-8B-Instruct-abliterated-GGUF"]
    assert "--hub" in unresolved[0]["detail"]


def test_offline_uses_the_cache_only_and_gives_the_same_answer(hub: str, tmp_path: Path) -> None:
    code, online, _ = run("check", "--hub", "--model", "cortecs/phi-4-FP8-Dynamic", *USE)
    assert code == 0 and online["results"][0]["licenses"] == ["mit"]  # a quantisation of phi-4 (MIT) inherits
    Replay.requests = []
    code, offline, _ = run("check", "--offline", "--model", "cortecs/phi-4-FP8-Dynamic", *USE)
    assert Replay.requests == [] and code == 0
    assert offline["results"][0]["licenses"] == ["mit"]
    assert offline["results"][0]["card"]["lineage"] == online["results"][0]["card"]["lineage"]
    # Not cached: offline is an unknown id, exit 2, and still no request.
    code, _, err = run("check", "--offline", "--model", "unsloth/phi-4-GGUF", *USE)
    assert code == 2 and "offline Hub cache" in err and Replay.requests == []


def test_a_tampered_cache_entry_is_not_trusted(hub: str, tmp_path: Path, modelterms_catalog: Catalog) -> None:
    hub_client = client(tmp_path)
    hub_client.card("microsoft/phi-4")
    (entry,) = (tmp_path / "cache" / "hub").glob("*.json")
    data = json.loads(entry.read_text())
    data["cardData"]["license"] = {"not": "a string"}
    entry.write_text(json.dumps(data))
    with pytest.raises(HubError, match="offline Hub cache"):
        client(tmp_path, offline=True).card("microsoft/phi-4")
    # A genuine entry copied under another repo's name is refused as well.
    data = json.loads(entry.read_text())
    data["cardData"]["license"] = "mit"
    other = client(tmp_path, offline=True)._path("evil/model", None)
    assert other is not None
    other.write_text(json.dumps(data))
    with pytest.raises(HubError):
        client(tmp_path, offline=True).card("evil/model")


def test_gated_repo_is_read_from_its_public_metadata(hub: str, tmp_path: Path) -> None:
    code, report, _ = run("check", "--hub", "--model", "google/gemma-7b-aps-it", *USE)
    (result,) = report["results"]
    assert result["licenses"][0] == "gemma-terms-2025-03-24"
    hop = next(h for h in result["card"]["lineage"] if h["evidence"] == "hub")
    assert "gated" in hop["detail"] and hop["revision"] == DATA["responses"]["google/gemma-7b-aps-it"]["sha"]
    # No token is sent: the metadata is public.
    assert code in (0, 1)


def test_missing_repo_is_an_unknown_id_not_a_crash(hub: str, tmp_path: Path) -> None:
    code, _, err = run("check", "--hub", "--model", "acme/does-not-exist", *USE)
    assert code == 2 and "not found on the Hub" in err
    with pytest.raises(HubNotFound):
        client(tmp_path).card("acme/does-not-exist")


def test_rate_limit_is_a_clear_error_and_not_waited_out(hub: str, tmp_path: Path) -> None:
    started = time.monotonic()
    code, _, err = run("check", "--hub", "--model", "acme/rate-limited", *USE)
    assert code == 2 and "429" in err
    assert time.monotonic() - started < 30  # Retry-After: 3600 is not honoured by sleeping


def test_timeout_is_bounded_and_one_slow_id_among_many_is_that_ids_unknown(hub: str, tmp_path: Path) -> None:
    models = tmp_path / "models"
    card(models, "acme/ok", "base_model: unsloth/phi-4-GGUF\nbase_model_relation: quantized")
    card(models, "acme/slow", "license: apache-2.0\nbase_model: acme/slow-model")
    started = time.monotonic()
    code, report, _ = run("scan", "models", "--hub", *USE)
    elapsed = time.monotonic() - started
    results = {r["model"]: r for r in report["results"]}
    assert results["models/acme/ok/README.md"]["licenses"] == ["mit"]
    slow = results["models/acme/slow/README.md"]
    assert slow["card"]["status"] == "unknown" and "could not be read" in slow["card"]["explanation"]
    assert code == 1  # the unknown card fails closed
    assert elapsed < 15  # 1 s timeout, one retry: bounded


def test_hub_is_off_unless_asked_and_env_or_config_turn_it_on(hub: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, _ = run("check", "--model", "NousResearch/Hermes-3-Llama-3.1-8B", *USE)
    assert code == 2 and Replay.requests == []
    monkeypatch.setenv("MODELTERMS_HUB", "1")
    code, report, _ = run("check", "--model", "NousResearch/Hermes-3-Llama-3.1-8B", *USE)
    assert code in (0, 1) and report["results"][0]["licenses"][0] == "llama-3.1"
    monkeypatch.delenv("MODELTERMS_HUB")
    (tmp_path / "modelterms.yaml").write_text("hub: true\n")
    code, report, _ = run("check", "--model", "TheBloke/Llama-2-7B-Chat-GGUF", *USE)
    assert report["results"][0]["licenses"][0] == "llama-2"
    Replay.requests = []
    code, _, _ = run("check", "--no-hub", "--model", "TheBloke/Llama-2-7B-Chat-GGUF", *USE)
    assert code == 2 and Replay.requests == []


def test_pinned_revision_is_asked_for_by_revision(hub: str, tmp_path: Path) -> None:
    sha = DATA["responses"]["microsoft/phi-4"]["sha"]
    found = client(tmp_path).card("microsoft/phi-4", revision=sha)
    assert found.revision == sha and Replay.requests[-1].startswith(f"/api/models/microsoft/phi-4/revision/{sha}")
    with pytest.raises(HubNotFound):
        client(tmp_path).card("microsoft/phi-4", revision="0" * 40)


def test_hub_data_is_the_shape_model_info_parses() -> None:
    from huggingface_hub.hf_api import ModelInfo

    for repo, data in DATA["responses"].items():
        info = ModelInfo(**data)
        assert info.id == repo and info.sha == data["sha"] and info.card_data is not None
