"""legco-kg: a knowledge graph of Hong Kong's LegCo budget replies on innovation and technology.

The client's top-level folders (``extractors/``, ``graph/``, ``ontology/``, ``exports/``) are
installed as subpackages of this one (setuptools ``package_dir``), so an installed project adds
only ``legco_kg`` to site-packages. In a source checkout they sit beside this folder instead;
adding the checkout to this package's search path makes ``legco_kg.graph`` find ``graph/``
there too, so tests and tools run the same code from a checkout and from an install.
"""
from pathlib import Path as _Path

__version__ = "0.4.0"

_here = _Path(__file__).resolve().parent
if not (_here / "graph").is_dir() and (_here.parent / "graph" / "__init__.py").is_file():
    __path__.append(str(_here.parent))  # noqa: F821 - a package's own __path__
del _Path, _here
