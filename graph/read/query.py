"""Ask the graph: bilingual queries over the build's query index (``index.sqlite``), every hit with evidence.

Understood, case-insensitively (Chinese forms in brackets):

- ``<kinds> mentioned with A`` and ``<kinds> mentioned with A and B`` (``與A一同提及的<kinds>``,
  ``與A及B一同提及的<kinds>``): kinds are schemes, institutions, platforms, members, bureaus,
  amounts, replies; co-mentioned in the same reply or paper (with all of them), ranked by the
  number of replies, then by same-sentence co-occurrence;
- ``questions by <member>`` (``<member>的問題``), by any of the member's names;
- ``who asked about TEXT`` (``誰問及TEXT``) and ``replies about TEXT`` (``關於TEXT的答覆``): the
  entity TEXT names, else a search of the sentences for TEXT;
- ``amounts for X`` (``X的款額``), ``amounts for X in 2023-24`` (``X在2023-24年度的款額``),
  ``amounts for X by year`` (``X按年度的款額``);
- ``bureaus replying about X`` (``答覆X的部門``);
- a bare name: its card.

Names resolve by Chinese label, alias, short form, English name or abbreviation, Simplified
Chinese (OpenCC), then fuzzily; an unknown name fails with suggestions, an ambiguous one lists
the candidates.  This module never imports spaCy or rdflib and never parses Turtle: it reads
the few rows a question needs from the SQLite index through its indexes.
"""
from __future__ import annotations

import difflib
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable, Iterable

from legco_kg.errors import LegcoError
from legco_kg.extractors.text import name_key  # light: the extractors package loads lazily
from legco_kg.registry import Registry

def _kind_words() -> dict[str, tuple[str, ...]]:
    """Words for kinds (schemes, 計劃 …) → entity kinds, from ``ontology/query_words.json``."""
    from legco_kg.ontology import data_path

    with open(data_path("query_words.json"), encoding="utf-8") as file:
        return {word: tuple(kinds) for word, kinds in json.load(file)["kinds"].items()}


KINDS = _kind_words()
NAMED = ("scheme", "institution", "bureau", "platform")
# English kind words for the English forms, Chinese for the Chinese (compiling CJK alternatives
# case-insensitively is slow, and every query pays for it).
_KIND_EN = "|".join(sorted((re.escape(k) for k in KINDS if k.isascii()), key=len, reverse=True))
_KIND_ZH = "|".join(sorted((re.escape(k) for k in KINDS if not k.isascii()), key=len, reverse=True))
_YEAR = r"(?P<year>\d{4}(?:\s*[-/–]\s*(?:\d{4}|\d{2}))?)(?![\d/–-])"  # 2023-24, 2023/24, 2023-2024, 2023
_MONEY = r"(?:款額|金額|撥款|開支|預算|資助額)"
_AMOUNTS = r"(?:amounts?|funding|money|spending|budget|expenditure)\s+(?:for|of|on|to)"
PATTERNS = [
    ("comention", re.compile(
        rf"^(?:(?:what|which|list|show(?:\s+me)?|find)\s+)?(?:the\s+)?(?P<kinds>{_KIND_EN})\s+(?:are\s+|were\s+|is\s+)?"
        rf"(?:co-)?mentioned\s+(?:together\s+)?(?:with|alongside)\s+(?P<name>.+?)\??$", re.I)),
    ("comention", re.compile(rf"^(?:與|跟|同)?(?P<name>.+?)一同?(?:提及|出現)的(?P<kinds>{_KIND_ZH})[?？]?$")),
    ("questions", re.compile(r"^(?:(?:what|which|list|show(?:\s+me)?)\s+)?(?:the\s+)?questions\s+(?:by|from|(?:asked|put|raised)\s+by)\s+(?P<name>.+?)\??$", re.I)),
    ("questions", re.compile(r"^(?:what|which)(?:\s+questions)?\s+did\s+(?P<name>.+?)\s+ask\??$", re.I)),
    ("questions", re.compile(r"^(?P<name>.+?)(?:提出|提交)?的(?:問題|提問|書面質詢)$")),
    ("asked", re.compile(
        r"^(?:who|which\s+members?|what\s+members?)\s+(?:asked|enquired|inquired)\s+(?:questions?\s+)?"
        r"(?:about|on|regarding)\s+(?P<name>.+?)\??$", re.I)),
    ("asked", re.compile(r"^有?(?:誰|哪些議員|哪位議員|邊個|邊位議員)(?:曾)?(?:問及|問到|提問|查詢|詢問|問)(?:有關|關於)?(?P<name>.+?)[?？]?$")),
    ("about", re.compile(
        r"^(?:which\s+)?(?:replies|answers)\s+(?:about|on|mentioning|mention|regarding)\s+(?P<name>.+?)\??$", re.I)),
    ("about", re.compile(r"^(?:關於|有關|提及)(?P<name>.+?)的(?:答[覆復]|回[覆復])$")),
    ("amounts", re.compile(rf"^{_AMOUNTS}\s+(?P<name>.+?)\s+(?P<by_year>by|per|each)\s+year\??$", re.I)),
    ("amounts", re.compile(rf"^{_AMOUNTS}\s+(?P<name>.+?)\s+(?:in|for|during)\s+{_YEAR}\??$", re.I)),
    ("amounts", re.compile(rf"^{_AMOUNTS}\s+(?P<name>.+?)\??$", re.I)),
    ("amounts", re.compile(r"^how\s+much\s+(?:money\s+)?(?:(?:was|is|has\s+been)\s+\w+\s+)?(?:for|on|to)\s+(?P<name>.+?)\s+(?P<by_year>by|per|each)\s+year\??$", re.I)),
    ("amounts", re.compile(rf"^how\s+much\s+(?:money\s+)?(?:(?:was|is|has\s+been)\s+\w+\s+)?(?:for|on|to)\s+(?P<name>.+?)\s+(?:in|for|during)\s+{_YEAR}\??$", re.I)),
    ("amounts", re.compile(r"^how\s+much\s+(?:money\s+)?(?:(?:was|is|has\s+been)\s+\w+\s+)?(?:for|on|to)\s+(?P<name>.+?)\??$", re.I)),
    ("amounts", re.compile(rf"^(?P<name>.+?)(?:在|於)?{_YEAR}年度?的{_MONEY}$")),
    ("amounts", re.compile(rf"^(?P<name>.+?)(?P<by_year>按年度|每年|逐年|各年度)的{_MONEY}$")),
    ("amounts", re.compile(rf"^(?P<name>.+?)的{_MONEY}$")),
    ("bureaus", re.compile(r"^bureaus?\s+(?:replying|that replied|answering)\s+(?:about|on)\s+(?P<name>.+)$", re.I)),
    ("bureaus", re.compile(r"^(?:哪些部門)?(?:答[覆復]|回[覆復]|回應)(?:有關)?(?P<name>.+?)的(?:部門|政策局)$")),
]
# Between two names in "A and B" / 「A及B」.
_AND = re.compile(r"\s+and\s+|\s*&\s*|\s*[,，、]\s*|(?<=[\u3400-\u9fff])\s*(?:及|和|與|同)\s*(?=[\u3400-\u9fff\w])", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")


def query_words() -> str:
    """The words of the query forms (kinds, patterns): their characters get Simplified forms in the index."""
    return "".join(KINDS) + "".join(pattern.pattern for _, pattern in PATTERNS) + _TITLES.pattern


class QueryError(LegcoError):
    """A query that cannot be answered: an unknown or ambiguous name (exit code 1)."""


def to_traditional(text: str) -> str:
    """Simplified Chinese to Traditional (Hong Kong forms) with OpenCC."""
    return _converter().convert(text)


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2hk")


def search_form(text: str) -> str:
    """Text as the sentences are stored: NFKC, no spaces next to Chinese characters."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", folded)


@dataclass(frozen=True)
class Question:
    """A parsed query: the operation, the name text (or texts), kinds and year."""

    operation: str
    name: str
    kinds: tuple[str, ...] = ()
    year: str | None = None
    by_year: bool = False


def year_form(year: str) -> str:
    """A year as amount facts carry it: a financial year ``2023-24`` or a calendar year ``2023``.

    >>> [year_form(y) for y in ("2023/24", "2023 – 2024", "2023")]
    ['2023-24', '2023-24', '2023']
    """
    found = re.fullmatch(r"(\d{4})(?:\s*[-/–]\s*\d{0,2}(\d{2}))?", year.strip())
    if not found:
        return year
    return f"{found[1]}-{found[2]}" if found[2] else found[1]


def parse(text: str, convert: Callable[[str], str] | None = None) -> Question:
    """The :class:`Question` a query asks; a bare name asks for its card.

    ``convert`` turns Simplified Chinese into Traditional when the text matches no form as
    written (default: OpenCC; a query passes its index's character table, which is faster).

    >>> parse("amounts for TVP in 2023/24")
    Question(operation='amounts', name='TVP', kinds=(), year='2023-24', by_year=False)
    """
    text = re.sub(r"[\s?？!！.。]+$", "", text.strip())

    def candidates():
        yield text
        if _CJK.search(text):  # Simplified input: a character table first, then OpenCC's phrases
            converted = (convert or to_traditional)(text)
            yield converted
            if convert and converted != text:
                yield to_traditional(text)

    for candidate in candidates():
        for operation, pattern in PATTERNS:
            match = pattern.match(candidate)
            if match:
                found = match.groupdict()
                kinds = KINDS[found["kinds"].lower()] if found.get("kinds") else ()
                year = year_form(found["year"]) if found.get("year") else None
                name = re.sub(r"^the\s+", "", found["name"].strip(), flags=re.I)
                return Question(operation, name, kinds, year, bool(found.get("by_year")))
    return Question("card", text)


# --- the index -----------------------------------------------------------------------------------

class Index:
    """The build's query index, opened read-only."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    def load(cls, out: Path) -> "Index":
        """Open the index of the build in ``out``; a missing, foreign or old file is a one-line error."""
        from legco_kg.folder import BuildFolder

        path = BuildFolder(out).require("index")
        rebuild = f"{path}: not a legco-kg query index"
        with open(path, "rb") as stream:
            if stream.read(16) != b"SQLite format 3\x00":
                raise LegcoError(f"{rebuild} (not a SQLite database); rebuild with 'legco-kg build'")
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            db.row_factory = sqlite3.Row
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise LegcoError(f"{rebuild} ({error}); rebuild with 'legco-kg build'") from None
        BuildFolder.check_index_format(version, path)
        return cls(db, path)

    def rows(self, sql: str, parameters: Iterable = ()) -> list[sqlite3.Row]:
        try:
            return self.db.execute(sql, tuple(parameters)).fetchall()
        except sqlite3.DatabaseError as error:
            raise LegcoError(f"{self.path}: damaged query index ({error}); rebuild with 'legco-kg build'") from None

    def value(self, sql: str, parameters: Iterable = ()):
        found = self.rows(sql, parameters)
        return found[0][0] if found else None

    # --- names ---

    @lru_cache(maxsize=None)
    def entity(self, entity_id: str) -> dict:
        row = self.rows("SELECT * FROM entities WHERE id = ?", (entity_id,))
        return dict(row[0])

    def entity_record(self, entity_id: str) -> dict:
        entity = self.entity(entity_id)
        return {"id": entity_id, "kind": entity["kind"], "label_zh": entity["label_zh"], "label_en": entity["label_en"]}

    def describe(self, entity_id: str) -> str:
        entity = self.entity(entity_id)
        english = f" / {entity['label_en']}" if entity["label_en"] else ""
        return f"{entity['label_zh']}{english} ({entity['kind']}, {entity_id})"

    def lookup(self, name: str, kinds: tuple[str, ...] = (), convert: bool = True) -> list[str]:
        """The ids of the entities one of whose names is ``name`` (with ``convert``, also as
        Simplified Chinese converted by :meth:`to_traditional`)."""
        found = self._lookup(name, kinds)
        if not found and convert and _CJK.search(name):
            found = self._lookup(self.to_traditional(name), kinds)
        return found

    @cached_property
    def _traditional(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.rows("SELECT simplified, traditional FROM simplified")}

    def to_traditional(self, text: str) -> str:
        """Simplified Chinese to the Traditional characters of the corpus, by the index's character
        table (built with OpenCC at build time, so a query does not load OpenCC's dictionaries)."""
        return "".join(self._traditional.get(char, char) for char in text)

    def _lookup(self, name: str, kinds: tuple[str, ...]) -> list[str]:
        ids = [r[0] for r in self.rows("SELECT DISTINCT entity FROM names WHERE key = ? ORDER BY entity", (name_key(name),))]
        return [i for i in ids if not kinds or self.entity(i)["kind"] in kinds]

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> str:
        """The id of the entity ``name`` names; raises with suggestions or candidates."""
        candidates = self.lookup(name, kinds)
        if not candidates and _CJK.search(name):  # phrase-level conversion, before guessing
            candidates = self._lookup(to_traditional(name), kinds)
        candidates = candidates or self._fuzzy(name, kinds, cutoff=0.86, best_only=True)
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            listed = "; ".join(self.describe(i) for i in sorted(candidates, key=self._rank))
            raise QueryError(f"{name!r} is ambiguous: {listed}")
        suggestions = self._fuzzy(name, kinds, cutoff=0.5)
        hint = f"; did you mean: {', '.join(self.describe(i) for i in suggestions)}?" if suggestions else ""
        what = " or ".join(kinds) if kinds else "entity"
        raise QueryError(f"no {what} named {name!r}{hint}")

    def resolve_all(self, text: str, kinds: tuple[str, ...] = ()) -> list[str]:
        """The entities ``text`` names: one name, or several joined by and / 及 / 、 ("A and B")."""
        splits = list(_splits(text))
        for convert in (False, True):
            whole = self.lookup(text, kinds, convert)
            if len(whole) == 1:
                return whole
            if whole:
                break
            for parts in splits:
                found = [self.lookup(part, kinds, convert) for part in parts]
                if all(len(ids) == 1 for ids in found):
                    return list(dict.fromkeys(ids[0] for ids in found))
        try:
            return [self.resolve(text, kinds)]
        except QueryError:
            for parts in splits:  # each part by its best near match ("Science Park")
                try:
                    return list(dict.fromkeys(self.resolve(part, kinds) for part in parts))
                except QueryError:
                    continue
            raise

    @cached_property
    def _keys(self) -> list[str]:
        return [r[0] for r in self.rows("SELECT DISTINCT key FROM names ORDER BY key")]

    def _fuzzy(self, name: str, kinds: tuple[str, ...], cutoff: float, best_only: bool = False) -> list[str]:
        key = name_key(self.to_traditional(name) if _CJK.search(name) else name)
        ids: list[str] = []
        for match in difflib.get_close_matches(key, self._keys, n=5, cutoff=cutoff):
            found = [i for i in self._lookup(match, kinds)]
            if best_only and found:
                return found
            ids.extend(i for i in sorted(found, key=self._rank) if i not in ids)
        return ids[:5]

    def _rank(self, entity_id: str):
        entity = self.entity(entity_id)
        return (-(entity["replies"] + entity["papers"]), entity_id)

    # --- text ---

    def sentence(self, sentence_id: int | None) -> str | None:
        return None if sentence_id is None else self.value("SELECT text FROM sentences WHERE id = ?", (sentence_id,))

    def search(self, term: str) -> list[sqlite3.Row]:
        """The sentences containing ``term`` (any case), in document order.

        Three characters or more go through the FTS5 trigram index; shorter terms are scanned.
        """
        term = search_form(term)
        if not term:
            return []
        member = "LEFT JOIN replies r ON r.id = s.reply AND r.document = s.document"
        if len(term) >= 3:
            phrase = '"' + term.replace('"', '""') + '"'
            return self.rows(
                "SELECT s.id, s.document, s.reply, s.section, r.member_id FROM sentence_text "
                f"JOIN sentences s ON s.id = sentence_text.rowid {member} WHERE sentence_text MATCH ? ORDER BY s.id",
                (phrase,),
            )
        return self.rows(
            f"SELECT s.id, s.document, s.reply, s.section, r.member_id FROM sentences s {member} "
            "WHERE instr(lower(s.text), lower(?)) > 0 ORDER BY s.id", (term,),
        )

    def english_to_chinese(self, phrase: str) -> list[str]:
        """Chinese for an English phrase, through the bilingual names: the part the Chinese labels
        of the entities whose English names contain the phrase have in common (or those labels)."""
        key = name_key(phrase)  # spaces are folded away, so a short phrase would match inside words
        if len(key) < 4:
            return []
        labels = sorted({
            row["label_zh"] for row in self.rows(
                "SELECT DISTINCT e.label_zh FROM names n JOIN entities e ON e.id = n.entity WHERE instr(n.key, ?) > 0",
                (key,),
            )
        })
        common = _common_part(labels) if len(labels) > 1 else ""
        return [common] if len(common) >= 2 else labels

    def where(self, document: str, reply: str | None) -> str:
        return reply or document

    def member_label(self, member_id: str | None) -> str | None:
        return self.entity(member_id)["label_zh"] if member_id else None


def _splits(text: str) -> Iterable[list[str]]:
    """Ways to read ``text`` as several names: at every separator, then at each one alone."""
    found = list(_AND.finditer(text))
    if not found:
        return
    yield [part for part in _AND.split(text) if part]
    for match in found:
        yield [text[: match.start()], text[match.end():]]


def _common_part(labels: list[str]) -> str:
    """The longest run of characters every label contains."""
    first, best = min(labels, key=len), ""
    for size in range(len(first), 1, -1):
        for start in range(len(first) - size + 1):
            part = first[start : start + size]
            if all(part in label for label in labels):
                return part
    return best


# --- operations ----------------------------------------------------------------------------------

def run(index: Index, text: str, limit: int = 20) -> dict:
    """Answer a query: ``{"query", "operation", "subject", "results", "total", "limit", ...}``.

    ``results`` holds the first ``limit`` results (all when ``limit`` is 0); ``total`` counts them all.
    """
    question = parse(text, index.to_traditional)
    if question.operation == "comention" and question.kinds == ("amount",):
        question = replace(question, operation="amounts")
    if question.operation == "comention" and question.kinds == ("reply",):
        question = replace(question, operation="about")
    answer = OPERATIONS.get(question.operation)(index, question)
    results = answer.pop("results")
    return {
        "query": text, "operation": question.operation, **answer,
        "results": results[:limit] if limit else results, "total": len(results), "limit": limit or None,
    }


def _evidence(index: Index, document: str, reply: str | None, sentence: int | None) -> dict:
    return {"reply": index.where(document, reply), "text": index.sentence(sentence)}


def _places(index: Index, entity_id: str) -> set[tuple[str, str | None]]:
    """(document, reply) of every reply or paper whose text names the entity."""
    return {
        (r["document"], r["reply"])
        for r in index.rows("SELECT DISTINCT document, reply FROM mentions WHERE entity = ? AND section IS NOT NULL", (entity_id,))
    }


def _order(place: tuple[str, str | None]) -> tuple[str, str]:
    return (place[0], place[1] or "")


def comention_answer(index: Index, question: Question) -> dict:
    subjects = index.resolve_all(question.name)
    return {
        "subject": index.entity_record(subjects[0]), "subjects": [index.entity_record(s) for s in subjects],
        "results": comentioned(index, subjects, question.kinds),
    }


def comentioned(index: Index, subjects: list[str], kinds: tuple[str, ...]) -> list[dict]:
    """Entities of ``kinds`` named in the replies and papers that name every one of ``subjects``."""
    places = set.intersection(*(_places(index, s) for s in subjects))
    replies: dict[str, set] = {}
    together: dict[str, int] = {}
    evidence: dict[str, tuple] = {}  # entity → the best (rank, document, reply, sentence)
    marks = ",".join("?" * len(kinds))
    for place in sorted(places, key=_order):
        items = index.rows(
            f"SELECT m.entity, m.section, m.sentence, e.kind FROM mentions m JOIN entities e ON e.id = m.entity "
            f"WHERE m.document = ? AND m.reply IS ? AND e.kind IN ({marks}) ORDER BY m.id",
            (*place, *kinds),
        ) if kinds else []
        sentences = index.rows(
            f"SELECT entity, sentence FROM mentions WHERE document = ? AND reply IS ? AND entity IN ({','.join('?' * len(subjects))})",
            (*place, *subjects),
        )
        shared = set.intersection(*({r["sentence"] for r in sentences if r["entity"] == s and r["sentence"]} for s in subjects))
        seen_together: set[tuple[str, int]] = set()
        for entity_id, section, sentence, kind in items:
            if entity_id in subjects or (section is None and kind not in ("member", "bureau")):
                continue
            replies.setdefault(entity_id, set()).add(place)
            together.setdefault(entity_id, 0)
            if sentence is not None and sentence in shared and (entity_id, sentence) not in seen_together:
                seen_together.add((entity_id, sentence))
                together[entity_id] += 1
            if sentence is not None:
                candidate = (0 if sentence in shared else 1, sentence, place)
                if entity_id not in evidence or candidate < evidence[entity_id]:
                    evidence[entity_id] = candidate
    ranked = sorted(replies, key=lambda e: (-len(replies[e]), -together[e], e))
    results = []
    for entity_id in ranked:
        if entity_id in evidence:
            _, sentence, place = evidence[entity_id]
            shown = _evidence(index, *place, sentence)
        else:  # named only in a header (a member, a bureau): the first place, no sentence
            shown = _evidence(index, *min(replies[entity_id], key=_order), None)
        results.append({
            **index.entity_record(entity_id), "count": len(replies[entity_id]), "same_sentence": together[entity_id],
            "replies": sorted(index.where(*p) for p in replies[entity_id]), "evidence": [shown],
        })
    return results


# Titles around a member's name: "the Hon", "Dr", "Ir", "Prof", ", SBS, JP", 「議員」.
_TITLES = re.compile(
    r"^(?:(?:the\s+)?(?:hon|dr|ir|prof|professor|mr|mrs|ms|miss)\.?\s+)+|(?:\s*,\s*(?:[A-Z]{2,3}|JP))+$|議員$", re.I,
)


def member_named(index: Index, name: str) -> str:
    """The member ``name`` names, as written or without titles (Hon, Dr, SBS, JP, 議員).

    >>> _TITLES.sub("", "the Hon Dr Chan Tai-man, SBS, JP")
    'Chan Tai-man'
    """
    try:
        return index.resolve(name, kinds=("member",))
    except QueryError:
        bare = _TITLES.sub("", name).strip()
        if not bare or bare == name:
            raise
        return index.resolve(bare, kinds=("member",))


def questions_answer(index: Index, question: Question) -> dict:
    member_id = member_named(index, question.name)
    return {"subject": index.entity_record(member_id), "results": questions_by(index, member_id)}


def questions_by(index: Index, member_id: str) -> list[dict]:
    """The replies to the member's questions, by reply number."""
    return [
        {
            "id": r["id"], "kind": "reply", "label_zh": r["asks"], "label_en": None, "count": 1,
            "replies": [r["id"]], "evidence": [{"reply": r["id"], "text": r["asks"]}],
            "question": r["question"], "head": r["head"],
        }
        for r in index.rows("SELECT * FROM replies WHERE member_id = ? ORDER BY id, document", (member_id,))
    ]


@dataclass(frozen=True)
class Topic:
    """What ``who asked about`` / ``replies about`` looks for: an entity, or text in the sentences."""

    entity: str | None
    terms: tuple[str, ...] = ()

    def hits(self, index: Index) -> list[tuple[str, str | None, str, int | None, str | None]]:
        """(document, reply, section, sentence, member of the reply) of every place the topic is
        found, in document order."""
        if self.entity:
            rows = index.rows(
                "SELECT m.document, m.reply, m.section, m.sentence, r.member_id FROM mentions m "
                "LEFT JOIN replies r ON r.id = m.reply AND r.document = m.document "
                "WHERE m.entity = ? AND m.section IS NOT NULL ORDER BY m.id",
                (self.entity,),
            )
            return [tuple(r) for r in rows]
        found = {}
        for term in self.terms:
            for r in index.search(term):
                found[r["id"]] = (r["document"], r["reply"], r["section"], r["id"], r["member_id"])
        return [found[k] for k in sorted(found)]

    def describe(self, index: Index) -> dict:
        if self.entity:
            return {"by": "entity", "entity": index.entity_record(self.entity), "terms": []}
        return {"by": "text", "entity": None, "terms": list(self.terms)}


def topic(index: Index, text: str) -> Topic:
    """The entity ``text`` names if it names one, else a text search (English through the bilingual
    names); an ambiguous name or text found nowhere is an error."""
    named = index.lookup(text, convert=False)
    terms = [search_form(text)]
    if not named and _CJK.search(text) and not index.search(terms[0]):
        # Nothing as written: perhaps Simplified Chinese (the corpus is Traditional).
        named = index.lookup(text)
        terms = [search_form(index.to_traditional(text))]
    if len(named) == 1:
        return Topic(named[0])
    if len(named) > 1:
        index.resolve(text)  # raises, listing the candidates
    if not _CJK.search(text):
        terms += [t for t in index.english_to_chinese(text) if t not in terms]
    found = Topic(None, tuple(terms))
    if found.hits(index):
        return found
    fuzzy = index._fuzzy(text, (), cutoff=0.86, best_only=True)
    if len(fuzzy) == 1:
        return Topic(fuzzy[0])
    raise QueryError(f"no entity named {text!r} and no sentence contains {' or '.join(map(repr, terms))}")


def _topic_answer(index: Index, question: Question, results) -> dict:
    """The answer of a question about a topic: its entity (if it is one), how it was searched, and
    ``results(index, topic)``."""
    about = topic(index, question.name)
    subject = index.entity_record(about.entity) if about.entity else None
    return {"subject": subject, "search": about.describe(index), "results": results(index, about)}


def asked_answer(index: Index, question: Question) -> dict:
    return _topic_answer(index, question, who_asked)


def who_asked(index: Index, about: Topic) -> list[dict]:
    """Members whose questions name the topic (``in_question``: how many of their questions),
    then those whose replies only do (``in_reply``: how many of the replies to them)."""
    members: dict[str, dict] = {}
    for document, reply, section, sentence, member_id in about.hits(index):
        if not reply or section not in ("question", "answer") or member_id is None:
            continue
        entry = members.setdefault(member_id, {"question": set(), "answer": set(), "evidence": None})
        entry[section].add((document, reply))
        if sentence is not None:
            candidate = (section != "question", sentence, document, reply)
            if entry["evidence"] is None or candidate < entry["evidence"]:
                entry["evidence"] = candidate
    ranked = sorted(members, key=lambda m: (-len(members[m]["question"]), -len(members[m]["answer"]), m))
    results = []
    for member_id in ranked:
        entry = members[member_id]
        every = entry["question"] | entry["answer"]
        shown = []
        if entry["evidence"]:
            _, sentence, document, reply = entry["evidence"]
            shown = [_evidence(index, document, reply, sentence)]
        results.append({
            **index.entity_record(member_id), "count": len(every), "in_question": len(entry["question"]),
            "in_reply": len(entry["answer"]), "replies": sorted(index.where(*place) for place in every),
            "evidence": shown,
        })
    return results


def about_answer(index: Index, question: Question) -> dict:
    return _topic_answer(index, question, replies_about)


def replies_about(index: Index, about: Topic) -> list[dict]:
    """The replies (and papers) naming the topic: questions that do first, then by how often."""
    places: dict[tuple, dict] = {}
    for document, reply, section, sentence, _ in about.hits(index):
        entry = places.setdefault((document, reply), {"question": 0, "answer": 0, "body": 0, "sentence": None})
        entry[section] = entry.get(section, 0) + 1
        if sentence is not None and entry["sentence"] is None:
            entry["sentence"] = sentence
    results = []
    for (document, reply), entry in places.items():
        info = index.rows("SELECT * FROM replies WHERE id = ? AND document = ?", (reply, document)) if reply else []
        if info:
            label, member_id = info[0]["asks"], info[0]["member_id"]
        else:
            label, member_id = index.value("SELECT title FROM documents WHERE id = ?", (document,)), None
        results.append({
            "id": index.where(document, reply), "kind": "reply" if reply else "paper", "label_zh": label, "label_en": None,
            "member": index.member_label(member_id), "member_id": member_id,
            "count": entry["question"] + entry["answer"] + entry["body"],
            "in_question": entry["question"], "in_reply": entry["answer"] + entry["body"],
            "replies": [index.where(document, reply)], "evidence": [_evidence(index, document, reply, entry["sentence"])],
        })
    return sorted(results, key=lambda r: (r["in_question"] == 0, -r["count"], r["id"]))


def amounts_answer(index: Index, question: Question) -> dict:
    subject_id = index.resolve(question.name)
    facts = amounts_for(index, subject_id, question.year)
    answer = {"subject": index.entity_record(subject_id), "year": question.year, "results": facts}
    if question.by_year:
        answer["results"] = amounts_by_year(facts)
    return answer


def amounts_for(index: Index, subject_id: str, year: str | None = None) -> list[dict]:
    """Each distinct amount fact of the subject once (in ``year`` if given), with every mention of
    it, its replies and one source sentence."""
    sql, parameters = "SELECT * FROM amount_facts WHERE subject = ?", [subject_id]
    if year:
        sql, parameters = sql + " AND year = ?", [subject_id, year]
    results = []
    for fact in index.rows(sql + " ORDER BY id", parameters):
        mentions = index.rows("SELECT * FROM amount_evidence WHERE fact = ? ORDER BY document, start, \"end\"", (fact["id"],))
        first = mentions[0]
        shown = next((m for m in mentions if m["sentence"] is not None), first)
        results.append({
            "id": f"amount/{first['document']}/{first['start']}-{first['end']}", "kind": "amount",
            "label_zh": fact["text"], "label_en": None, "text": fact["text"], "value": _number(fact["value"]),
            "currency": fact["currency"], "year": fact["year"], "role": fact["role"], "qualifier": fact["qualifier"],
            "per_unit": bool(fact["per_unit"]), "count": len(mentions),
            "replies": sorted({index.where(m["document"], m["reply"]) for m in mentions}),
            "evidence": [_evidence(index, shown["document"], shown["reply"], shown["sentence"])],
            "mentions": [
                {"reply": index.where(m["document"], m["reply"]), "document": m["document"], "text": m["text"],
                 "start": m["start"], "end": m["end"], "extractor": m["extractor"]}
                for m in mentions
            ],
        })
    return results


def amounts_by_year(facts: list[dict]) -> list[dict]:
    """One row per year (no year last): the year's amount facts, their values and replies."""
    years: dict[str | None, list[dict]] = {}
    for fact in facts:
        years.setdefault(fact["year"], []).append(fact)
    results = []
    for year in sorted(years, key=lambda y: (y is None, y or "")):
        found = years[year]
        results.append({
            "id": year or "no-year", "kind": "year", "label_zh": year or "(no year)", "label_en": None, "year": year,
            "count": len(found), "amounts": [f["text"] for f in found], "values": [f["value"] for f in found],
            "currencies": [f["currency"] for f in found],
            "replies": sorted({r for f in found for r in f["replies"]}), "evidence": found[0]["evidence"],
        })
    return results


def _number(value: str):
    return int(value) if re.fullmatch(r"-?\d+", value) else float(value)


def bureaus_answer(index: Index, question: Question) -> dict:
    subject_id = index.resolve(question.name)
    return {"subject": index.entity_record(subject_id), "results": bureaus_replying(index, subject_id)}


def bureaus_replying(index: Index, subject_id: str) -> list[dict]:
    """The bureaus heading the replies that name the entity."""
    by_bureau: dict[str, set] = {}
    evidence: dict[str, tuple] = {}
    for document, reply in sorted(_places(index, subject_id), key=_order):
        if not reply:
            continue
        sentence = index.value(
            "SELECT min(sentence) FROM mentions WHERE entity = ? AND document = ? AND reply = ? AND section IS NOT NULL",
            (subject_id, document, reply),
        )
        for row in index.rows(
            "SELECT DISTINCT m.entity FROM mentions m JOIN entities e ON e.id = m.entity "
            "WHERE m.document = ? AND m.reply = ? AND m.section IS NULL AND e.kind = 'bureau' ORDER BY m.entity",
            (document, reply),
        ):
            by_bureau.setdefault(row[0], set()).add((document, reply))  # budget years reuse reply numbers
            evidence.setdefault(row[0], (document, reply, sentence))
    ranked = sorted(by_bureau, key=lambda b: (-len(by_bureau[b]), b))
    return [
        {**index.entity_record(b), "count": len(by_bureau[b]),
         "replies": [index.where(*place) for place in sorted(by_bureau[b], key=_order)],
         "evidence": [_evidence(index, *evidence[b])]}
        for b in ranked
    ]


def card_answer(index: Index, question: Question) -> dict:
    entity_id = index.resolve(question.name)
    return {"subject": index.entity_record(entity_id), "card": card(index, entity_id), "results": []}


def card(index: Index, entity_id: str) -> dict:
    """An entity's card: labels, kind, parent, counts and strongest neighbours."""
    entity = index.entity(entity_id)
    aliases = [r[0] for r in index.rows("SELECT DISTINCT name FROM names WHERE entity = ? ORDER BY name", (entity_id,))]
    aliases = [a for a in aliases if a not in (entity["label_zh"], entity["label_en"], entity_id)]
    neighbours = comentioned(index, [entity_id], NAMED)[:8] if entity["kind"] in NAMED else []
    parent = entity["parent"] if entity["parent"] and index.rows("SELECT 1 FROM entities WHERE id = ?", (entity["parent"],)) else None
    asked = index.value("SELECT questions FROM members WHERE id = ?", (entity_id,)) or 0
    return {
        **index.entity_record(entity_id),
        "type": entity["type"],
        "aliases": aliases,
        "parent": index.entity_record(parent) if parent else None,
        "replies": entity["replies"] or asked,
        "papers": entity["papers"],
        "mentions": index.value("SELECT count(*) FROM mentions WHERE entity = ?", (entity_id,)),
        "amounts": index.value("SELECT count(*) FROM amount_facts WHERE subject = ?", (entity_id,)),
        "neighbours": [{"id": n["id"], "label_zh": n["label_zh"], "label_en": n["label_en"], "count": n["count"]} for n in neighbours],
        **({"questions": asked} if entity["kind"] == "member" else {}),
    }


def stats(index: Index, top: int = 10) -> dict:
    """Counts by kind, replies per head and programme, top schemes by replies, top members by questions."""
    def pairs(sql):
        return {r[0]: r[1] for r in index.rows(sql)}

    return {
        "documents": index.value("SELECT count(*) FROM documents"),
        "replies": index.value("SELECT count(*) FROM replies"),
        "mentions": index.value("SELECT count(*) FROM mentions"),
        "amounts": index.value("SELECT count(*) FROM amount_evidence"),
        "amount_facts": index.value("SELECT count(*) FROM amount_facts"),
        "entities_by_kind": pairs("SELECT kind, count(*) FROM entities GROUP BY kind ORDER BY kind"),
        "replies_per_head": pairs("SELECT head, count(*) FROM replies GROUP BY head ORDER BY head"),
        "replies_per_programme": pairs(
            "SELECT programme, count(*) AS n FROM reply_programmes GROUP BY programme ORDER BY n DESC, programme"
        ),
        "top_schemes": [
            {"id": r["id"], "kind": r["kind"], "label_zh": r["label_zh"], "label_en": r["label_en"], "replies": r["replies"]}
            for r in index.rows("SELECT * FROM entities WHERE kind = 'scheme' ORDER BY replies DESC, id LIMIT ?", (top,))
        ],
        "top_members": [
            {"id": r["id"], "member": r["label_zh"], "label_en": r["label_en"], "questions": r["questions"]}
            for r in index.rows("SELECT * FROM members ORDER BY questions DESC, label_zh, id LIMIT ?", (top,))
        ],
    }


OPERATIONS = Registry("query operation", {
    "card": "legco_kg.graph.read.query:card_answer",
    "comention": "legco_kg.graph.read.query:comention_answer",
    "questions": "legco_kg.graph.read.query:questions_answer",
    "asked": "legco_kg.graph.read.query:asked_answer",
    "about": "legco_kg.graph.read.query:about_answer",
    "amounts": "legco_kg.graph.read.query:amounts_answer",
    "bureaus": "legco_kg.graph.read.query:bureaus_answer",
})
