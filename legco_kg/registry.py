"""One registry type for every family chosen by name: extractors, exporters, query operations,
output formats, SPARQL engines.

A registry maps a name to ``"module:attribute"`` and imports the module only when the entry is
used, so a command pays for what it uses (``query`` never imports spaCy). ``get(name)`` raises
:class:`UnknownName`, which names the valid names.

>>> units = Registry("unit", {"metre": "math:pi"})
>>> units.names
('metre',)
>>> units.get("mile")
Traceback (most recent call last):
...
legco_kg.registry.UnknownName: unknown unit 'mile'; valid: metre
"""
from __future__ import annotations

from importlib import import_module
from typing import Any, Iterator, MutableMapping

from legco_kg.errors import LegcoError


class UnknownName(LegcoError, LookupError):
    """A name that no entry of a registry has."""


_MISSING = object()


class Registry(MutableMapping[str, Any]):
    """Names → lazily imported objects, in a fixed order (the order of precedence where one matters).

    An entry is looked up in its module each time (a cheap dictionary look-up once imported),
    so patching the module's attribute patches the registry too; ``registry[name] = obj``
    registers an object directly (a plug-in, or a test's stand-in), and registering again the
    very object a lazy entry names puts the lazy entry back (so a test that saves ``registry[name]``
    and restores it leaves the registry as it found it).
    """

    def __init__(self, family: str, entries: dict[str, Any]) -> None:
        self.family = family
        self._entries: dict[str, Any] = dict(entries)
        self._lazy = {name: entry for name, entry in self._entries.items() if isinstance(entry, str)}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def check(self, name: str) -> str:
        """``name`` if the registry has it, else :class:`UnknownName` listing the valid names."""
        if name not in self._entries:
            raise UnknownName(f"unknown {self.family} {name!r}; valid: {', '.join(self._entries)}")
        return name

    def get(self, name: str, default: Any = _MISSING) -> Any:  # type: ignore[override]
        """The object called ``name``; :class:`UnknownName` if there is none and no ``default``."""
        if default is not _MISSING and name not in self._entries:
            return default
        entry = self._entries[self.check(name)]
        return _resolve(entry) if isinstance(entry, str) else entry

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def __setitem__(self, name: str, value: Any) -> None:
        lazy = self._lazy.get(name)
        self._entries[name] = lazy if lazy is not None and value is _resolve(lazy) else value

    def __delitem__(self, name: str) -> None:
        del self._entries[self.check(name)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def _resolve(entry: str) -> Any:
    """The object a ``"module:attribute"`` entry names, looked up now."""
    module, _, attribute = entry.partition(":")
    return getattr(import_module(module), attribute)
