"""``index.sqlite``: the query index ``legco-kg query``, ``show`` and ``stats`` read, written at build time.

A SQLite database (Python's own ``sqlite3``), so a query reads the few rows it needs through
indexes instead of loading the whole corpus, and a user can open it with ``sqlite3`` or
Datasette.  Tables (documented in the README):

- ``documents(id, title, kind)``
- ``entities(id, kind, label_zh, label_en, type, parent, iri, replies, papers)``: ``replies`` and
  ``papers`` count where the entity is named in the text (used to rank candidates)
- ``names(key, entity, name)``: every label, alias and id of an entity, ``key`` folded by
  :func:`legco_kg.extractors.text.name_key`
- ``replies(id, document, question, member, member_id, head, head_name, subhead, asks, start, end)``
  (a reply is known by its document and number: two budget years reuse the numbers) and
  ``reply_programmes(document, reply, programme)``
- ``members(id, label_zh, label_en, questions)``
- ``sentences(id, document, reply, section, start, end, text)``: every sentence of every
  question, answer and paper paragraph, in document order; ``sentence_text`` is its FTS5 index
  (``trigram`` tokenizer: substring search, Chinese included)
- ``mentions(id, entity, document, reply, section, text, start, end, extractor, sentence)``
- ``amount_facts(id, fact, subject, value, currency, year, role, text, qualifier, per_unit)`` (``fact``: the graph's fact id, as in JSON Lines and RDF) and
  ``amount_evidence(fact, document, reply, section, text, start, end, extractor, sentence)``
- ``simplified(simplified, traditional)``: the Simplified form of every Chinese character of the
  names, sentences and query words (OpenCC ``hk2s``), so a query reads Simplified input without
  loading OpenCC

Offsets (``start``/``end``) index the original file text.  The file is written with a fixed
page size, rows inserted in sorted order and ``VACUUM``-ed, so the same corpus gives the same
bytes; its format version is ``PRAGMA user_version``.
"""
from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from legco_kg.errors import LegcoError, OutputError
from legco_kg.folder import INDEX_FORMAT

if TYPE_CHECKING:
    from legco_kg.graph.kg import KnowledgeGraph

PAGE_SIZE = 4096

SCHEMA = """
CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE entities (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, label_zh TEXT NOT NULL, label_en TEXT, type TEXT,
    parent TEXT, iri TEXT NOT NULL, replies INTEGER NOT NULL, papers INTEGER NOT NULL
);
CREATE INDEX entities_kind ON entities (kind);
CREATE TABLE names (key TEXT NOT NULL, entity TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (key, entity, name));
CREATE TABLE replies (
    id TEXT NOT NULL, document TEXT NOT NULL, question TEXT, member TEXT, member_id TEXT, head TEXT,
    head_name TEXT, subhead TEXT, asks TEXT, start INTEGER, "end" INTEGER, PRIMARY KEY (id, document)
);
CREATE INDEX replies_member ON replies (member_id);
CREATE TABLE reply_programmes (
    document TEXT NOT NULL, reply TEXT NOT NULL, programme TEXT NOT NULL, PRIMARY KEY (document, reply, programme)
);
CREATE TABLE members (id TEXT PRIMARY KEY, label_zh TEXT NOT NULL, label_en TEXT, questions INTEGER NOT NULL);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY, document TEXT NOT NULL, reply TEXT, section TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE INDEX sentences_place ON sentences (document, reply);
CREATE VIRTUAL TABLE sentence_text USING fts5 (text, content='sentences', content_rowid='id', tokenize='trigram');
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY, entity TEXT NOT NULL, document TEXT NOT NULL, reply TEXT, section TEXT,
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, extractor TEXT NOT NULL, sentence INTEGER
);
CREATE INDEX mentions_entity ON mentions (entity, document, reply);
CREATE INDEX mentions_place ON mentions (document, reply);
CREATE TABLE amount_facts (
    id INTEGER PRIMARY KEY, fact TEXT NOT NULL, subject TEXT, value TEXT NOT NULL, currency TEXT NOT NULL, year TEXT, role TEXT,
    text TEXT NOT NULL, qualifier TEXT, per_unit INTEGER NOT NULL
);
CREATE INDEX amount_facts_subject ON amount_facts (subject, year);
CREATE TABLE amount_evidence (
    fact INTEGER NOT NULL, document TEXT NOT NULL, reply TEXT, section TEXT, text TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, extractor TEXT NOT NULL, sentence INTEGER
);
CREATE INDEX amount_evidence_fact ON amount_evidence (fact);
CREATE TABLE simplified (simplified TEXT PRIMARY KEY, traditional TEXT NOT NULL);
"""


def _place(found) -> tuple:
    return (found.doc_id, found.start, found.end)


def _text_key(value: str | None) -> tuple:
    return (value is None, value or "")


def render(kg: "KnowledgeGraph") -> bytes:
    """The bytes of ``index.sqlite`` for ``kg``, built in a temporary file and read back (a
    build writes the file in place with :func:`write` instead)."""
    with tempfile.TemporaryDirectory(prefix="legco-kg-index.") as scratch:
        path = Path(scratch) / "index.sqlite"
        write(kg, path)
        return path.read_bytes()


def write(kg: "KnowledgeGraph", path: Path) -> None:
    """Write the query index of ``kg`` to a new SQLite file at ``path``."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        db.execute("PRAGMA journal_mode = OFF")
        db.execute(f"PRAGMA user_version = {INDEX_FORMAT}")
        try:
            db.executescript(SCHEMA)
        except sqlite3.OperationalError as error:  # FTS5's trigram tokenizer needs SQLite 3.34 or later
            raise LegcoError(
                f"cannot write the query index with SQLite {sqlite3.sqlite_version} ({error}); "
                "it needs SQLite 3.34 or later with FTS5"
            ) from None
        db.execute("BEGIN")
        _fill(db, kg)
        db.execute("COMMIT")
        db.execute("INSERT INTO sentence_text (sentence_text) VALUES ('optimize')")
        db.execute("VACUUM")
    except sqlite3.OperationalError as error:  # the disk full, the file unwritable
        raise OutputError(f"{path}: cannot write the query index: {error}") from None
    finally:
        db.close()


def _fill(db: sqlite3.Connection, kg: "KnowledgeGraph") -> None:
    from legco_kg.extractors.names import SENTENCE
    from legco_kg.graph.rdf import entity_iri
    from legco_kg.extractors.text import name_key
    from legco_kg.graph.read.query import query_words

    db.executemany(
        "INSERT INTO documents VALUES (?, ?, ?)",
        sorted((doc.doc_id, doc.title, doc.kind) for doc in kg.documents),
    )

    # Sentences in document order (the graph's, found once for every output); the sentence of a
    # span is found by its document and start.
    finder = kg.sentences
    sentence_rows = [
        (doc.doc_id, start, end, reply, section, text)
        for doc in kg.documents for (start, end, text), reply, section in finder.placed(doc.doc_id)
    ]
    sentence_rows = sorted(set(sentence_rows), key=lambda r: (r[0], r[1], r[2], _text_key(r[3]), r[4], r[5]))
    sentence_id: dict[tuple[str, int, int], int] = {}
    for number, (doc_id, start, end, *_) in enumerate(sentence_rows, 1):
        sentence_id.setdefault((doc_id, start, end), number)
    db.executemany(
        "INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((number, doc_id, reply, section, start, end, text)
         for number, (doc_id, start, end, reply, section, text) in enumerate(sentence_rows, 1)),
    )
    db.execute("INSERT INTO sentence_text (rowid, text) SELECT id, text FROM sentences ORDER BY id")

    def sentence_of(doc_id: str, start: int, end: int) -> int | None:
        found = finder.locate(doc_id, start, end)
        return sentence_id.get((doc_id, found[0], found[1])) if found else None

    mention_rows = sorted(  # every fact's evidence: each mention, with the entity it names
        (
            mention.doc_id, mention.start, mention.end, fact.object, mention.extractor, mention.reply,
            mention.section, mention.text,
        )
        for fact in kg.facts for mention in fact.evidence
    )
    containers: dict[str, set] = {}
    member_of: dict[tuple[str, str], str] = {}
    db.executemany(
        "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((number, entity_id, doc_id, reply, section, text, start, end, extractor,
          sentence_of(doc_id, start, end) if section else None)
         for number, (doc_id, start, end, entity_id, extractor, reply, section, text) in enumerate(mention_rows, 1)),
    )
    for doc_id, start, end, entity_id, extractor, reply, section, text in mention_rows:
        if section:
            containers.setdefault(entity_id, set()).add((doc_id, reply))
        elif reply and kg.entities[entity_id].kind == "member":
            member_of.setdefault((doc_id, reply), entity_id)

    for entity_id in sorted(kg.entities):
        entity = kg.entities[entity_id]
        places = containers.get(entity_id, set())
        db.execute(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entity_id, entity.kind, entity.label_zh, entity.label_en, entity.type, entity.parent,
                str(entity_iri(entity_id)), sum(1 for _, r in places if r), sum(1 for _, r in places if not r),
            ),
        )
    names = {
        (name_key(name), entity.id, name)
        for entity in kg.entities.values()
        for name in (entity.label_zh, entity.label_en, *entity.aliases, entity.id)
        if name and name_key(name)
    }
    db.executemany("INSERT INTO names VALUES (?, ?, ?)", sorted(names))

    replies = []
    for doc in kg.documents:
        for reply in doc.replies:
            asked = SENTENCE.search(reply.question_text.text)
            replies.append((
                reply.reply, doc.doc_id, reply.question, reply.member, member_of.get((doc.doc_id, reply.reply)), reply.head,
                reply.head_name, reply.subhead, asked.group().strip() if asked else "", reply.start, reply.end,
            ))
            db.executemany(
                "INSERT OR IGNORE INTO reply_programmes VALUES (?, ?, ?)",
                [(doc.doc_id, reply.reply, programme) for programme in sorted(set(reply.programmes))],
            )
    db.executemany("INSERT OR IGNORE INTO replies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sorted(replies))
    questions: dict[str, int] = {}
    for _, member_id in member_of.items():
        questions[member_id] = questions.get(member_id, 0) + 1
    db.executemany(
        "INSERT INTO members VALUES (?, ?, ?, ?)",
        [
            (entity_id, entity.label_zh, entity.label_en, questions.get(entity_id, 0))
            for entity_id, entity in sorted(kg.entities.items()) if entity.kind == "member"
        ],
    )

    facts = sorted(
        kg.amount_facts,
        key=lambda f: (_place(f.evidence[0]), _text_key(f.subject), f.value, f.currency, _text_key(f.year), _text_key(f.role)),
    )
    for number, fact in enumerate(facts, 1):
        first = fact.evidence[0]
        db.execute(
            "INSERT INTO amount_facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, fact.id, fact.subject, str(fact.value), fact.currency, fact.year, fact.role, first.text,
             first.qualifier, int(first.per_unit)),
        )
        db.executemany(
            "INSERT INTO amount_evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (number, a.doc_id, a.reply, a.section, a.text, a.start, a.end, a.extractor, sentence_of(a.doc_id, a.start, a.end))
                for a in fact.evidence
            ],
        )

    db.executemany(
        "INSERT INTO simplified VALUES (?, ?)",
        simplified_forms([row[0] for row in db.execute("SELECT text FROM sentences")] + [name for _, _, name in names] + [query_words()]),
    )


def simplified_forms(texts: list[str]) -> list[tuple[str, str]]:
    """(Simplified, Traditional) for every Chinese character of ``texts`` whose Simplified form
    differs; where two Traditional characters share one (發, 髮 → 发) the more frequent wins."""
    import numpy as np
    import opencc

    # Every character counted at once, by code point (numpy's bincount, a few megabytes of text
    # at a time), instead of a Python object per character.
    counts = np.zeros(0x110000, dtype=np.int64)
    for start in range(0, len(texts), _TEXTS_AT_ONCE):
        code_points = np.frombuffer("".join(texts[start : start + _TEXTS_AT_ONCE]).encode("utf-32-le", "surrogatepass"), np.uint32)
        counts += np.bincount(code_points, minlength=0x110000)
    to_simplified = opencc.OpenCC("hk2s")
    best: dict[str, tuple[int, str]] = {}
    for code in np.flatnonzero(counts[0x3400 : 0x9FFF + 1]) + 0x3400:  # the CJK characters present, in order
        char = chr(code)
        simple = to_simplified.convert(char)
        if len(simple) == 1 and simple != char and (simple not in best or (-counts[code], char) < best[simple]):
            best[simple] = (-int(counts[code]), char)
    return sorted((simple, char) for simple, (_, char) in best.items())


_TEXTS_AT_ONCE = 20_000  # sentences: a few megabytes of text
