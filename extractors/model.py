"""Small frozen values that keep their evidence: offsets into the original file text."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum

from legco_kg.extractors.text import TRADITIONAL, Text

ESTIMATES = "estimates-replies"
PAPER = "paper"


class Kind(StrEnum):
    """What an entity is: defined once, here, for extractors, resolution and every projection.

    A ``StrEnum``, so a kind compares equal to its name and is written as it in JSON and RDF.

    >>> Kind("scheme") is Kind.SCHEME and Kind.SCHEME == "scheme"
    True
    """

    MEMBER = "member"
    BUREAU = "bureau"
    PROGRAMME = "programme"
    OFFICER = "officer"
    SCHEME = "scheme"
    INSTITUTION = "institution"
    PLATFORM = "platform"

    @property
    def named(self) -> bool:
        """Whether the kind is a name in running text (not a header fact such as a member)."""
        return self in _NAMED


_NAMED = frozenset({Kind.SCHEME, Kind.INSTITUTION, Kind.PLATFORM, Kind.BUREAU})


def _quick_to_unpickle(cls):
    """Give a frozen dataclass with slots a ``__setstate__`` that sets its fields by a list of
    names made once: the one dataclasses adds asks for the fields on every object, and a
    rebuild unpickles every cached mention and amount (reading the extraction cache of 16
    times the embedded corpus: 0.74 s → 0.50 s). The state is the dataclass's own (its
    fields' values, in order), so the pickles are unchanged."""
    names = tuple(f.name for f in fields(cls))
    assign = object.__setattr__

    def __setstate__(self, state) -> None:
        for name, value in zip(names, state):
            assign(self, name, value)

    cls.__setstate__ = __setstate__
    return cls


@_quick_to_unpickle
@dataclass(frozen=True, slots=True)
class Mention:
    """A piece of text that names an entity.

    ``start``/``end`` index the original decoded text of document ``doc_id``; ``text`` is the
    clean form (PDF spaces removed).  ``key`` is an identity the extractor already knows (a
    head code, a programme code), used when entities are resolved.
    """

    text: str
    kind: str
    start: int
    end: int
    doc_id: str
    extractor: str
    reply: str | None = None
    section: str | None = None
    key: str | None = None
    label: str | None = None

    @property
    def name(self) -> str:
        """The Traditional form of the name: what the mention is resolved by."""
        return self.label or self.text

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))  # an unknown kind fails here, early


@_quick_to_unpickle
@dataclass(frozen=True, slots=True)
class Amount:
    """A monetary amount, with the span of its figure in the original text (``start``/``end``).

    ``value`` is in currency units (20億元 → 2000000000); ``qualifier`` one of ``about``,
    ``over``, ``at-most``, ``at-least``, ``range`` or None; ``per_unit`` marks a rate (每名 …).
    A table cell keeps its row label (``row``, with its original span) and the original offset of
    its table's header (``table``), from which its subject is found.  ``year`` is the financial
    year (``2023-24``) or period (``2020-21..2024-25``) the figure is for, ``role`` what kind of
    figure it is (a term of ``ontology/amount_roles.json``); each None when the text does not say.
    """

    text: str
    value: Decimal
    currency: str
    qualifier: str | None
    per_unit: bool
    start: int
    end: int
    doc_id: str
    extractor: str
    reply: str | None
    section: str
    year: str | None = None
    row: str | None = None
    row_span: tuple[int, int] | None = None
    table: int | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One row of the index table at the top of the estimates replies."""

    reply: str
    question: str
    member: str
    head: str
    programmes: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Reply:
    """A controlling officer's reply to one written question, with its header facts."""

    reply: str
    question: str
    member: str
    member_ref: str | None
    head: str
    head_name: str
    subhead: str | None
    programmes: tuple[str, ...]
    officer_title: str
    officer_name: str | None
    start: int
    end: int
    question_text: Text
    answer_text: Text
    # Clean text of each header field, for provenance of the facts taken from it.
    fields: dict[str, Text] = field(default_factory=dict, compare=False, repr=False)
    number_recovered: bool = False

    @property
    def controlling_officer(self) -> str:
        if self.officer_name:
            return f"{self.officer_title}({self.officer_name})"
        return self.officer_title


@dataclass(frozen=True)
class Document:
    """A parsed source document.

    ``text`` is the original decoded text.  A Simplified Chinese document (``script`` is
    ``zh-Hans``) is read as Traditional: its sections' clean text is converted, with offsets into
    ``text``, and ``reading`` is ``text`` with each one-to-one converted character replaced.
    """

    doc_id: str
    source: str
    kind: str
    title: str
    text: str
    encoding: str
    replies: tuple[Reply, ...] = ()
    index: tuple[IndexRow, ...] = ()
    paragraphs: tuple[Text, ...] = ()
    warnings: tuple[str, ...] = ()
    script: str = TRADITIONAL
    reading: str | None = None

    @property
    def reading_text(self) -> str:
        """The original text as the extractors read it (Traditional characters)."""
        return self.reading if self.reading is not None else self.text
