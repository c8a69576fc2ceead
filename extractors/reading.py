"""Read source files: detect the encoding, reject what is not text.

Offsets everywhere in legco-kg are indices into the decoded text returned here (Python
``str`` code points, a byte-order mark excluded).
"""
from __future__ import annotations

import codecs
import hashlib
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from legco_kg.errors import InputError

SUFFIXES = (".txt", ".md")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Decoders to use for what the detector names: Big5-HKSCS and GB18030 are supersets of the
# names a detector reports for Hong Kong and mainland text.
_SUPERSETS = {"big5": "big5hkscs", "cp950": "big5hkscs", "gb2312": "gb18030", "gbk": "gb18030"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceText:
    """A decoded source file."""

    path: Path
    text: str
    encoding: str

    @property
    def doc_id(self) -> str:
        """A stable ASCII id from the file name (``000_290747ba864f0a9c``)."""
        return document_id(self.path)


def document_id(path: Path) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-.")
    if not stem:
        stem = "doc-" + hashlib.sha1(path.name.encode("utf-8")).hexdigest()[:12]
    return stem


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; raise :class:`InputError` if it is not text."""
    if not data.strip():
        raise InputError(name, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name), encoding
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError(name, "binary file (NUL bytes), not text")
        return _strict(data, encoding, name), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=None).best()
    if best is None:
        raise InputError(name, "undecodable: no text encoding fits its bytes")
    encoding = _SUPERSETS.get(best.encoding, best.encoding)
    return _strict(data, encoding, name), encoding


def _utf16_without_bom(data: bytes) -> str | None:
    even, odd = data[0::2], data[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise InputError(name, f"undecodable as {encoding}: {error}") from None
    if not text.strip():
        raise InputError(name, "empty file")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 200):
        raise InputError(name, f"binary file ({controls} control characters), not text")
    return text


def read_bytes(path: Path) -> bytes:
    """The bytes of one ``.txt``/``.md`` file; :class:`InputError` if it cannot be read."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or device would block or never end
            raise InputError(str(path), "not a regular file")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file or folder") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror or error}") from None


def read_source(path: Path, data: bytes | None = None) -> SourceText:
    """Read one ``.txt``/``.md`` file (whose bytes are ``data``, if already read)."""
    text, encoding = decode(read_bytes(path) if data is None else data, str(path))
    return SourceText(path, text, encoding)


def collect_paths(paths: list[Path]) -> list[Path]:
    """Expand folders to the ``.txt``/``.md`` files below them, in a stable order.

    Anything else named, and a link in a folder that leads nowhere, is passed on as a file, so
    that a missing or unreadable file, or a symlink loop, gets the same one-line error (or ``--keep-going`` skip) as other bad files
    when it is read.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p for p in path.rglob("*")
                    # a broken link or loop named like a source is reported when read, not dropped
                    if (p.is_file() or (p.is_symlink() and not p.is_dir()))
                    and p.suffix.lower() in SUFFIXES and p.name.lower() != "readme.md"
                )
            )
        else:
            files.append(path)
    if not files:
        raise InputError(", ".join(map(str, paths)), f"no {' or '.join(SUFFIXES)} files found")
    return files
