"""Reuse a validated catalog across runs when none of its inputs changed.

Parsing and validating ~100 YAML files costs more than evaluating them, and a
CI job or a terminal user runs ``modelterms check`` again and again on the same
files. The cache key hashes the *content* of every input file and of the
package's own code and schemas, so any edit (even one that keeps the mtime)
misses the cache; a file that fails validation is never cached, so an error
can never be hidden by an old good copy. ``MODELTERMS_NO_CACHE=1`` turns it
off; ``MODELTERMS_CACHE_DIR`` moves it (default: ``$XDG_CACHE_HOME/modelterms``).

A cache directory may be shared (a CI cache, a synced home), so nothing read
from it is trusted:

* The file is JSON, never pickle: reading it cannot run code.
* It is signed with an HMAC-SHA256 under a per-user secret kept *outside* the
  cache directory (``$XDG_CONFIG_HOME/modelterms/cache.key``, created 0600 on
  first use). Whoever can write the cache but not read the key cannot forge an
  entry. If the key cannot be read or made safely, the cache is not used.
* The signed content names the key of the inputs it was built from, so a
  genuine entry copied under another name is refused.
* The typed records are rebuilt from plain data by their type annotations
  (NamedTuples and dataclasses, recursively), and anything of the wrong shape
  is refused. A value that does not survive the round trip is not written.

Whatever fails is ignored and rebuilt from the files: a cache problem is never
a wrong answer and never an error.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import stat
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent
_KEEP = 8
_MAX_BYTES = 256 * 1024 * 1024  # far above any real catalog; bounds what a planted file can make us read
_MAGIC = b"modelterms-cache 1\n"
_KEY_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def cache_dir() -> Path | None:
    if os.environ.get("MODELTERMS_NO_CACHE"):
        return None
    configured = os.environ.get("MODELTERMS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "modelterms"


def key_path() -> Path:
    """Where the per-user signing secret lives: the config dir, never the (possibly shared) cache dir."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "modelterms" / "cache.key"


def _inputs(roots: Iterable[Path]) -> Iterable[Path]:
    code = sorted(p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".json") and "_bundled" not in p.parts)
    yield from code
    for root in roots:
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            yield root  # missing: part of the key, and the loader reports it


def key(roots: Iterable[Path], extra: str) -> str:
    try:  # the C module directly: importing hashlib loads OpenSSL, which costs more than the whole lookup
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Python implementations
        from hashlib import blake2b
    from ._errors import InputError
    from ._yaml import read_bytes

    digest = blake2b(extra.encode(), digest_size=20)
    for path in _inputs(roots):
        digest.update(str(path).encode() + b"\0")
        try:  # the one reader: a FIFO, a device or an oversize file is never read (the loader reports it)
            digest.update(read_bytes(str(path)))
        except InputError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()


FORMAT = "4"
_STAT_MAGIC = b"modelterms-stat-key 1\n"


def _stat_key(inputs: list[Path], extra: str) -> str | None:
    """A hash of every input's (path, size, mtime_ns, ctime_ns, inode), or None if one cannot be stat'ed.

    It only names which content key to try: the entry it leads to is still signed and names the content
    key it was built from, and an unseen stat key (any edit, a touch, a copy) falls back to hashing content.
    """
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Python implementations
        from hashlib import blake2b
    digest = blake2b(extra.encode(), digest_size=20)
    try:
        for path in inputs:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                return None  # a FIFO or device: the content path handles it (and the loader reports it)
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\0".encode())
    except OSError:
        return None
    return digest.hexdigest()


def _input_key(roots: list[Path], extra: str, directory: Path, secret: bytes) -> str:
    """``key(roots, extra)``, found through a signed stat-key record when no input changed since it was written."""
    inputs = list(_inputs(roots))
    fast = _stat_key(inputs, extra)
    record = directory / f"stat-{fast}.key" if fast is not None else None
    if record is not None:
        known = _read_record(record, secret, fast or "")
        if known is not None:
            return known
    content = key(roots, extra)
    if record is not None:
        _write_record(directory, record, secret, fast or "", content)
    return content


def _read_record(path: Path, secret: bytes, fast: str) -> str | None:
    payload = _read_signed(path, _STAT_MAGIC, secret, 4096)
    if payload is None:
        return None
    stat_part, _, content_key = payload.decode("ascii", "replace").partition(" ")
    if stat_part != fast or len(content_key) != 40 or not all(c in "0123456789abcdef" for c in content_key):
        return None
    return content_key


def _write_record(directory: Path, path: Path, secret: bytes, fast: str, content_key: str) -> None:
    if not _write_signed(directory, path, _STAT_MAGIC, secret, f"{fast} {content_key}".encode(), ".stat-"):
        return
    try:
        records = sorted(directory.glob("stat-*.key"), key=lambda entry: entry.lstat().st_mtime, reverse=True)
        for old in records[4 * _KEEP:]:
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # pruning is housekeeping; the record itself was written


def cached(roots: list[Path], extra: str, build: Callable[[], T], kind: type[T],
           usable: Callable[[T], bool] = lambda value: True) -> T:
    """``build()``, or an equal ``kind`` rebuilt from the signed cache entry of an earlier run.

    ``usable`` may refuse a rebuilt value on grounds the types cannot express.
    """
    directory = cache_dir()
    if directory is None:
        return build()
    secret = _secret()
    if secret is None:
        return build()
    input_key = _input_key(roots, f"{FORMAT}|{extra}", directory, secret)
    path = directory / f"catalog-{input_key}.json"
    loaded = _read(path, secret, input_key, kind)
    try:
        if loaded is not None and usable(loaded):
            return loaded
    except Exception:  # a rebuilt value that cannot even be vetted is not used
        pass
    value = build()  # raises on invalid input: nothing is written
    _write(directory, path, secret, input_key, kind, value)
    return value


def _secret() -> bytes | None:
    """The signing key, made on first use; None (no cache) if it cannot be kept private."""
    path = key_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            try:
                os.write(descriptor, os.urandom(_KEY_BYTES).hex().encode())
            finally:
                os.close(descriptor)
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
        try:
            info = os.fstat(descriptor)
            if (not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077
                    or (hasattr(os, "getuid") and info.st_uid != os.getuid())):
                return None  # readable or writable by others, or not ours: anyone could sign with it
            text = os.read(descriptor, 4 * _KEY_BYTES)
        finally:
            os.close(descriptor)
    except (OSError, ValueError):
        return None
    secret = text.strip()
    return secret if len(secret) >= _KEY_BYTES else None  # an empty or truncated key signs nothing


def _sign(secret: bytes, payload: bytes) -> bytes:
    import hmac

    return hmac.new(secret, payload, "sha256").hexdigest().encode()


def _read_signed(path: Path, magic: bytes, secret: bytes, limit: int) -> bytes | None:
    """The payload of the signed file at ``path``, or None if it is missing, not ours, forged or too large.

    A planted symlink is refused, not followed, and only a regular file is read, at most ``limit`` bytes.
    """
    import hmac

    try:
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            content = handle.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    head, _, rest = content.partition(b"\n")
    signature, _, payload = rest.partition(b"\n")
    if head + b"\n" != magic or not hmac.compare_digest(signature, _sign(secret, payload)):
        return None
    return payload


def _write_signed(directory: Path, path: Path, magic: bytes, secret: bytes, payload: bytes, prefix: str) -> bool:
    """Sign and write ``payload`` to ``path`` atomically; False when the cache dir cannot take it."""
    import tempfile

    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if directory.is_symlink() or not directory.is_dir():
            return False
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(magic + _sign(secret, payload) + b"\n" + payload)
            os.replace(temporary, path)  # replaces a planted symlink itself, never writes through it
        except BaseException:
            os.unlink(temporary)
            raise
        return True
    except OSError:
        return False  # a read-only cache dir is no reason to fail a check


def _read(path: Path, secret: bytes, input_key: str, kind: type[T]) -> T | None:
    """The verified, rebuilt entry at ``path``, or None for anything missing, foreign, forged or malformed."""
    payload = _read_signed(path, _MAGIC, secret, _MAX_BYTES)
    if payload is None:
        return None
    try:
        data = json.loads(payload)
        if not isinstance(data, dict) or data.get("key") != input_key or set(data) != {"key", "value"}:
            return None
        return _decoder(kind)(data["value"])  # type: ignore[no-any-return]
    except Exception:  # whatever a signed-but-odd entry provokes while rebuilding: rebuild from the files
        return None


def _write(directory: Path, path: Path, secret: bytes, input_key: str, kind: type[T], value: T) -> None:
    """Sign and write ``value`` atomically; skip it if it would not come back equal."""

    try:
        payload = json.dumps({"key": input_key, "value": to_plain(value)}, ensure_ascii=False,
                             separators=(",", ":")).encode()
        if _decoder(kind)(json.loads(payload)["value"]) != value:
            return  # something in it has no faithful plain form: better no cache than a different answer
    except Exception:  # no plain form at all: no cache
        return
    if _write_signed(directory, path, _MAGIC, secret, payload, ".catalog-"):
        try:
            _prune(directory, keep=path)
        except OSError:
            pass


def _prune(directory: Path, keep: Path) -> None:
    entries = []
    for pattern in ("catalog-*.json", "catalog-*.pickle"):  # pickles: left by older versions, never read
        for entry in directory.glob(pattern):
            try:
                entries.append((entry.lstat().st_mtime, entry))
            except OSError:
                continue
    entries.sort(reverse=True)
    for _, old in [item for item in entries if item[1].suffix == ".pickle"] + [
            item for item in entries if item[1].suffix == ".json"][_KEEP:]:
        if old != keep:
            old.unlink(missing_ok=True)


# --- plain data and back ----------------------------------------------------------------------------------------

def to_plain(value: Any) -> Any:
    """``value`` as JSON-able data: NamedTuples and dataclasses become objects of their fields, enums their value.

    Dataclass fields whose name starts with ``_`` are derived state and are left out.
    """
    if value is None or (isinstance(value, (str, bool, int, float)) and not isinstance(value, enum.Enum)):
        return value
    if isinstance(value, enum.Enum):
        return to_plain(value.value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: to_plain(getattr(value, name)) for name in value._fields}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: to_plain(getattr(value, item.name)) for item in _data_fields(type(value))}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, Mapping):
        if not all(isinstance(name, str) for name in value):
            raise TypeError("only string keys have a plain form")
        return {name: to_plain(item) for name, item in value.items()}
    raise TypeError(f"{type(value).__name__} has no plain form")


def _data_fields(cls: type) -> list[dataclasses.Field[Any]]:
    return [item for item in dataclasses.fields(cls) if not item.name.startswith("_")]


_DECODERS: dict[Any, Callable[[Any], Any]] = {}


def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A function that rebuilds a value of type ``hint`` from plain data, raising TypeError on the wrong shape.

    Built once per type from its annotations, so that a field added to a record needs no change here.
    """
    try:
        return _DECODERS[hint]
    except (KeyError, TypeError):
        pass
    decoder = _make_decoder(hint)
    try:
        _DECODERS[hint] = decoder
    except TypeError:  # pragma: no cover - unhashable hint
        pass
    return decoder


def _fail(message: str) -> Any:
    raise TypeError(message)


def _make_decoder(hint: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return lambda data: data
    if hint is type(None):
        return lambda data: data if data is None else _fail("expected null")
    if hint in (str, bool):
        return lambda data: data if type(data) is hint else _fail(f"expected {hint.__name__}")
    if hint is int:
        return lambda data: data if type(data) is int else _fail("expected int")
    if hint is float:
        return lambda data: float(data) if type(data) in (int, float) else _fail("expected float")
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return lambda data: hint(data)
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return _record_decoder(hint, hint._fields, lambda values: hint(**values))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        names = tuple(item.name for item in _data_fields(hint))
        return _record_decoder(hint, names, lambda values: hint(**values))
    if origin in (typing.Union, types.UnionType):
        if len(args) == 2 and type(None) in args:  # X | None: no failed attempt (an exception) per null
            inner = _decoder(next(arg for arg in args if arg is not type(None)))
            return lambda data: None if data is None else inner(data)
        options = [_decoder(arg) for arg in args]

        def union(data: Any) -> Any:
            for option in options:
                try:
                    return option(data)
                except (TypeError, ValueError, KeyError):
                    continue
            raise TypeError(f"matches no type of {hint}")

        return union
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda data: tuple(map(item, data)) if type(data) is list else _fail("expected a list")
        items = [_decoder(arg) for arg in args]
        return lambda data: tuple(f(x) for f, x in zip(items, data, strict=True)) if (
            type(data) is list) else _fail("expected a list")
    if origin is list:
        item = _decoder(args[0]) if args else _decoder(Any)
        return lambda data: list(map(item, data)) if type(data) is list else _fail("expected a list")
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        if args and args[0] is not str:
            raise TypeError(f"{hint}: only string keys have a plain form")
        if not args or args[1] is Any:  # plain data already: no walk
            return lambda data: data if type(data) is dict else _fail("expected an object")
        value = _decoder(args[1])
        return lambda data: ({k: value(v) for k, v in data.items()} if type(data) is dict
                             else _fail("expected an object"))
    raise TypeError(f"no plain form for {hint!r}")


def _record_decoder(cls: type, names: tuple[str, ...], make: Callable[[dict[str, Any]], Any]) -> Callable[[Any], Any]:
    pairs: list[tuple[str, Callable[[Any], Any]]] | None = None
    count = len(names)

    def decode(data: Any) -> Any:
        nonlocal pairs
        if pairs is None:  # resolved on first use: the annotations may name types defined later
            resolved = typing.get_type_hints(cls)
            pairs = [(name, _decoder(resolved[name])) for name in names]
        if type(data) is not dict or len(data) != count:  # same size and every name present: the same keys
            raise TypeError(f"not a {cls.__name__}")
        return make({name: decoder(data[name]) for name, decoder in pairs})

    return decode
