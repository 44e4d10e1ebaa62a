"""Model card metadata from the Hugging Face Hub, only when asked (``--hub``), cached on disk for ``--offline``.

Nothing here runs unless the user turned the Hub on: without it nothing leaves
the machine. ``huggingface_hub`` is imported on first use only (CLI start-up
stays lean), and pointed at ``HF_ENDPOINT`` as read at call time (the tests
serve a local replay of the Hub API there).

Only public metadata is read (``model_info``: cardData, tags, gated, sha): a
gated repository's license and base model are public, and nothing is ever
accepted on the user's behalf. Every request has a timeout and at most
``retries`` more attempts on a connection failure; a rate limit (429) is not
waited out. Each answer is cached as JSON under the modelterms cache dir
(``hub/``), and what is read back is checked field by field and must name the
repository asked for; anything else is ignored (and, offline, is a miss).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from ._card import Card, card_from_metadata

DEFAULT_ENDPOINT = "https://huggingface.co"
_MAX_CACHE_BYTES = 1024 * 1024
_CARD_KEYS = ("license", "license_name", "license_link", "base_model", "base_model_relation", "tags")


class HubError(Exception):
    """The Hub could not answer (network error, timeout, rate limit, server error): the id stays unknown."""


class HubNotFound(HubError):
    """The Hub says the repository does not exist (404), or it is private."""


class HubSettings(NamedTuple):
    """How ``--hub`` / ``--offline`` were set (flags over config over ``MODELTERMS_HUB``)."""

    enabled: bool = False
    offline: bool = False
    timeout: float = 10.0
    retries: int = 1


def settings_from(hub: bool | None, offline: bool | None, config_hub: bool | None = None) -> HubSettings:
    """Flags win over the config's ``hub:``, which wins over ``MODELTERMS_HUB=1``; ``--offline`` implies the Hub
    is consulted through its cache only."""
    enabled = hub if hub is not None else config_hub if config_hub is not None else \
        os.environ.get("MODELTERMS_HUB", "").strip().lower() in ("1", "true", "yes", "on")
    try:  # seconds per request; bounded so that a silent server never hangs a CI job
        timeout = min(max(float(os.environ.get("MODELTERMS_HUB_TIMEOUT", "10")), 0.1), 120.0)
    except ValueError:
        timeout = 10.0
    return HubSettings(enabled=bool(enabled or offline), offline=bool(offline), timeout=timeout)


class HubClient:
    """Reads ``/api/models/<repo>`` (or ``/revision/<rev>``) once per id and run, through the disk cache."""

    def __init__(self, settings: HubSettings, cache: Path | None = None) -> None:
        self.settings = settings
        self.cache = cache if cache is not None else _default_cache()
        self._memory: dict[tuple[str, str | None], Card | HubError] = {}

    def card(self, repo_id: str, revision: str | None = None) -> Card:
        """The repository's card metadata; raises HubNotFound or HubError (remembered for this run)."""
        key = (repo_id.lower(), revision)
        if key not in self._memory:
            try:
                self._memory[key] = self._card(repo_id, revision)
            except HubError as exc:
                self._memory[key] = exc
        found = self._memory[key]
        if isinstance(found, HubError):
            raise found
        return found

    def _card(self, repo_id: str, revision: str | None) -> Card:
        cached = self._read_cache(repo_id, revision)
        if cached is not None:
            return _to_card(cached, self._url(repo_id, revision))
        if self.settings.offline:
            raise HubError(f"{repo_id} is not in the offline Hub cache (run once with --hub to fill it)")
        data = self._fetch(repo_id, revision)
        self._write_cache(repo_id, revision, data)
        return _to_card(data, self._url(repo_id, revision))

    @staticmethod
    def _url(repo_id: str, revision: str | None) -> str:
        endpoint = os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT).rstrip("/")
        return f"{endpoint}/{repo_id}" + (f"/tree/{revision}" if revision else "")

    def _fetch(self, repo_id: str, revision: str | None) -> dict[str, Any]:
        try:
            from huggingface_hub import HfApi
            from huggingface_hub.errors import (
                GatedRepoError,
                HfHubHTTPError,
                RepositoryNotFoundError,
                RevisionNotFoundError,
            )
        except ImportError as exc:  # pragma: no cover - it is a dependency
            raise HubError(f"huggingface_hub is not installed ({exc})") from None
        endpoint = os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT).rstrip("/")
        api = HfApi(endpoint=endpoint, token=False)  # public metadata only: never the user's token
        last = ""
        for _ in range(self.settings.retries + 1):
            try:
                info = api.model_info(repo_id, revision=revision, timeout=self.settings.timeout)
            except (RepositoryNotFoundError, RevisionNotFoundError) as exc:
                raise HubNotFound(f"{repo_id}: not found on the Hub ({_first_line(exc)})") from None
            except GatedRepoError as exc:  # metadata of gated repos is public; a 403 here is unexpected
                raise HubError(f"{repo_id}: the Hub refused its metadata ({_first_line(exc)})") from None
            except HfHubHTTPError as exc:
                status = getattr(getattr(exc, "response", None), "status_code", None)
                if status == 404:
                    raise HubNotFound(f"{repo_id}: not found on the Hub (HTTP 404)") from None
                if status == 429:
                    raise HubError(f"{repo_id}: the Hub rate-limited the request (HTTP 429); try again later "
                                   "or use --offline with the cache") from None
                last = f"HTTP {status}" if status else _first_line(exc)
                if status is not None and status < 500:
                    break
                continue
            except (OSError, ValueError) as exc:
                last = _first_line(exc)
                continue
            except Exception as exc:  # httpx timeouts and transport errors are not OSError
                if type(exc).__module__.split(".")[0] in ("httpx", "httpx2", "httpcore", "httpcore2"):
                    last = f"{type(exc).__name__}: {_first_line(exc)}"
                    continue
                raise
            return _plain(info, repo_id)
        raise HubError(f"{repo_id}: the Hub could not be read ({last or 'no answer'})")

    def _path(self, repo_id: str, revision: str | None) -> Path | None:
        if self.cache is None:
            return None
        digest = hashlib.sha256(f"{repo_id.lower()}@{revision or ''}".encode()).hexdigest()
        return self.cache / f"{digest}.json"

    def _read_cache(self, repo_id: str, revision: str | None) -> dict[str, Any] | None:
        path = self._path(repo_id, revision)
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                raw = handle.read(_MAX_CACHE_BYTES + 1)
            data = json.loads(raw) if len(raw) <= _MAX_CACHE_BYTES else None
        except (OSError, ValueError):
            return None
        return data if _valid(data, repo_id, revision) else None

    def _write_cache(self, repo_id: str, revision: str | None, data: dict[str, Any]) -> None:
        path = self._path(repo_id, revision)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps({**data, "requested": [repo_id, revision]}, sort_keys=True))
            os.replace(temporary, path)
        except OSError:
            return  # a cache that cannot be written is no error: the answer is the same


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _default_cache() -> Path | None:
    from ._cache import cache_dir

    directory = cache_dir()
    return None if directory is None else directory / "hub"


def _plain(info: Any, repo_id: str) -> dict[str, Any]:
    """What is kept of a ``ModelInfo``: the id, sha, gated flag, tags and the card keys the resolver reads."""
    card = info.card_data.to_dict() if getattr(info, "card_data", None) is not None else {}
    return {"id": str(info.id or repo_id), "sha": info.sha, "gated": info.gated if info.gated else False,
            "tags": [str(tag) for tag in (info.tags or [])],
            "cardData": {key: card[key] for key in _CARD_KEYS if card.get(key) is not None}}


def _valid(data: Any, repo_id: str, revision: str | None) -> bool:
    """A cached answer is used only if it has exactly the shape written, for the repository asked for."""
    if not isinstance(data, dict) or data.get("requested") != [repo_id, revision]:
        return False
    if not isinstance(data.get("id"), str) or data["id"].lower() != repo_id.lower():
        return False
    if not (data.get("sha") is None or isinstance(data["sha"], str)) or data.get("gated") not in (
            False, "auto", "manual", True):
        return False
    if not isinstance(data.get("tags"), list) or not all(isinstance(tag, str) for tag in data["tags"]):
        return False
    card = data.get("cardData")
    if not isinstance(card, dict) or not set(card) <= set(_CARD_KEYS):
        return False
    return all(isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
               for value in card.values())


def _to_card(data: dict[str, Any], url: str) -> Card:
    return card_from_metadata(data["cardData"], url, data["id"], data["id"], revision=data.get("sha"),
                              gated=bool(data.get("gated")), origin="hub",
                              extra_tags=tuple(data.get("tags", ())))
