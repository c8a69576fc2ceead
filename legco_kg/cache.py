"""The build's cache folder: results of earlier builds, by the content they came from.

An entry is a pickle named by a key (a digest of everything its result depends on), written
atomically; one that is missing, unreadable or of another version reads as None, and one that
cannot be written only makes the next build slower. Each kind of entry lives in a folder of its
own, pruned to what the current build used, so the cache does not grow without end.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

# In a process that builds again and again (``build --watch``): the entries read or written, by
# file, with the file's identity (inode, size, time) when they were; None elsewhere.
_kept: dict[Path, tuple[tuple[int, int, int], object]] | None = None


def keep_in_memory() -> None:
    """From now on, keep what is read or written: reading an entry again whose file is unchanged
    takes no unpickling. Only for values nobody changes (the entries are shared)."""
    global _kept
    if _kept is None:
        _kept = {}


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def has(folder: Path, key: str) -> bool:
    """Whether ``folder`` holds an entry ``key`` (which may still read as None)."""
    return _path(folder, key).is_file()


def _path(folder: Path, key: str) -> Path:
    return folder / f"{key}.pickle"


def read(folder: Path, key: str, kind: type):
    """The entry ``key`` of ``folder`` if it holds a ``kind``, else None (extract or parse again)."""
    path = _path(folder, key)
    try:
        with open(path, "rb") as stream:
            if _kept is not None:
                identity = _identity(os.fstat(stream.fileno()))
                known, value = _kept.get(path, (None, None))
                if known == identity:
                    return value if isinstance(value, kind) else None
            found = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if _kept is not None:
        _kept[path] = identity, found
    return found if isinstance(found, kind) else None


def write(folder: Path, key: str, value) -> None:
    """Write the entry ``key`` atomically (a temporary file renamed); never an error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        with open(temporary, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            identity = _identity(os.fstat(stream.fileno()))
        os.replace(temporary, _path(folder, key))
    except OSError:
        return
    if _kept is not None:
        _kept[_path(folder, key)] = identity, value


def prune(folder: Path, keys: set[str]) -> None:
    """Remove the entries of ``folder`` but ``keys`` (only entries: not the folders of other
    kinds, nor other files kept beside them)."""
    try:
        for path in folder.iterdir():
            if path.suffix == ".pickle" and path.stem not in keys and path.is_file():
                path.unlink(missing_ok=True)
                if _kept is not None:
                    _kept.pop(path, None)
    except OSError:
        pass
