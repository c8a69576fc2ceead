"""A statistical NER for scheme, institution and platform names, trained by this project.

The model is ``spacy.blank("zh")`` (one token per character) plus a small ``ner`` pipe.  It is
trained on weak labels: what the gazetteer matcher and the name rules find in a corpus (never a
gold set's annotations), so it learns what names look like in context and proposes the ones the
rules miss.  Its proposals rank below every rule-based mention (see ``PROPOSERS`` in
:mod:`extractors`): they fill gaps and never override a rule.

Only the stretches of text that can hold a name are tagged: the few characters before each head
word (計劃, 基金, 中心 …), since a name ends in one.  ``legco-kg train`` rebuilds the shipped model; the same corpus and seed give the
same model.
"""
from __future__ import annotations

import random
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from legco_kg.extractors.model import Document, Mention
from legco_kg.extractors.names import (
    ABBREVIATIONS, GAZETTEER, NAME_RULES, SENTENCE, Section, _longest_first, _mention, char_doc,
    head_kind, name_rules, rejection_reason, sections,
)

NER = "ner"
MODEL_DIR = Path(__file__).with_name("ner_model")  # the shipped model: read, never written by train
MODEL_ENV = "LEGCO_KG_NER_MODEL"  # a model folder to build with instead of the shipped one
LABELS = {"scheme": "SCHEME", "institution": "INSTITUTION", "bureau": "INSTITUTION", "platform": "PLATFORM"}
KINDS = {"SCHEME": "scheme", "INSTITUTION": "institution", "PLATFORM": "platform"}
# The rule extractors whose findings are the weak labels.  Short forms found by the
# abbreviation resolver are names only in their reply's context: their characters are left
# unlabelled (neither entity nor "not an entity") rather than taught as names.
LABELLING = (GAZETTEER, NAME_RULES)
UNLABELLED = (ABBREVIATIONS,)

REACH = 24  # characters read before a head word: longer than nearly every name

# The model's size and training: small, because it tags every candidate sentence of the corpus
# inside the build's time budget on two cores (bench/build.py measures it).
MODEL_CONFIG = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": 64,
            "depth": 2,
            "embed_size": 2000,
            "window_size": 1,
            "maxout_pieces": 3,
            "subword_features": False,
        },
    }
}
SEED = 20260321
EPOCHS = 10


@dataclass(frozen=True)
class Sentence:
    part: Section
    start: int  # index into part.text.text
    text: str


def candidate_sentences(doc: Document) -> Iterator[Sentence]:
    """The stretches of ``doc`` that can hold a name: up to ``REACH`` characters of a sentence
    before each head word (計劃, 基金, 中心 …), through the head and one character after.

    A name ends in a head word, so nothing outside these can be one.  Overlapping stretches of
    a sentence merge.
    """
    heads = _head_pattern()
    for part in sections(doc):
        text = part.text.text
        for sentence in SENTENCE.finditer(text):
            lo, hi = sentence.span()
            current: list[int] | None = None
            for head in heads.finditer(text, lo, hi):
                start, end = max(lo, head.start() - REACH), min(hi, head.end() + 1)
                if current and start <= current[1]:
                    current[1] = end
                    continue
                if current:
                    yield Sentence(part, current[0], text[current[0] : current[1]])
                current = [start, end]
            if current:
                yield Sentence(part, current[0], text[current[0] : current[1]])


@lru_cache(maxsize=1)
def _head_pattern() -> re.Pattern:
    # The rules alone read the heads added after the model was trained (rule_only_heads): a
    # window around each of them would cost NER time for names the rules already find.
    rule_only = set(name_rules()["rule_only_heads"])
    heads = sorted((h for h in name_rules()["heads"] if h not in rule_only), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, heads)))


# --- the extractor ---------------------------------------------------------------------------

def user_model_dir() -> Path:
    """Where ``legco-kg train`` saves a model by default: the user's data folder
    (``$XDG_DATA_HOME/legco-kg/ner_model``, else ``~/.local/share/legco-kg/ner_model``), never the
    installed package."""
    import os

    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "legco-kg" / "ner_model"


def model_dir() -> Path:
    """The model the build uses: the folder named by ``LEGCO_KG_NER_MODEL``, else the shipped one."""
    import os

    named = os.environ.get(MODEL_ENV)
    return Path(named) if named else MODEL_DIR


@lru_cache(maxsize=2)
def load_model(path: Path | None = None):
    """The NER model in ``path`` (default: :func:`model_dir`)."""
    import spacy

    from legco_kg.errors import LegcoError

    path = model_dir() if path is None else path
    if not (path / "config.cfg").is_file():
        raise LegcoError(f"{path}: no NER model here; run 'legco-kg train' to build it")
    return spacy.load(path)


def ner_mentions(doc: Document) -> Iterator[Mention]:
    """Names the trained model finds in the candidate sentences of ``doc``."""
    for mention, reason in ner_proposals(doc):
        if reason is None:
            yield mention


def ner_proposals(doc: Document) -> Iterator[tuple[Mention, str | None]]:
    """Every span the model tags, with the reason it is not proposed (None: proposed)."""
    nlp = load_model()
    sentences = list(candidate_sentences(doc))
    docs = (char_doc(nlp.vocab, s.text) for s in sentences)
    for sentence, tagged in zip(sentences, nlp.pipe(docs, batch_size=256)):
        for ent in tagged.ents:
            name = ent.text
            start = sentence.start + ent.start_char
            end = sentence.start + ent.end_char
            mention = _mention(doc, sentence.part, start, end, head_kind(name) or KINDS[ent.label_], NER, None)
            yield mention, not_proposable(name)


_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 &+\-·‧]*")
_JOINERS = frozenset("及和與或的之")
_MEASURE = re.compile(r"\d+\s?(?:年|月|日|公頃|萬|億|個|名|%)")  # a date or a quantity: a clause, not a name


def _proposable(name: str) -> bool:
    return not_proposable(name) is None


def not_proposable(name: str) -> str | None:
    """Why a tagged span is not proposed, or None.  A proposal is kept when it looks like a
    name: it ends in a head word, and what comes before the head is itself specific (not 政府,
    指定, 相關 …; at least four characters before a one-character head such as 處 or 局, which
    end many ordinary words: 資料處, 機制處; at least three before a head that ends ordinary
    phrases: 培育公司, 社區中心); "…研究" is a topic."""
    if len(name) < 3 or name[0] in _JOINERS or not _NAME_CHARS.fullmatch(name) or _MEASURE.search(name):
        return "not name-shaped (too short, a joiner first, punctuation or a quantity)"
    head = next((h for h in _longest_first("heads") if name.endswith(h)), None)
    if head is None:
        return "no head word"
    reason = rejection_reason(name)
    if reason:
        return reason
    stem = name[: -len(head)]
    if len(head) == 1 and len(stem) < 4:
        return "too short before a one-character head"
    if head in _TOPIC_HEADS:
        return "an unquoted topic (…研究), not a named study"
    if head in _COMMON_HEADS and len(stem) < 3:
        return "too short before a head that ends ordinary phrases"
    if stem.startswith(_VAGUE_STARTS) or stem in name_rules()["proper_prefixes"]:
        return "a vague or bare prefix before the head"
    return None


# Heads that also end ordinary phrases (培育公司, 社區中心, 創科平台, 加速計劃): before one of
# them a proposal needs a stem of three characters or more.
_COMMON_HEADS = frozenset(name_rules()["ner_common_heads"])
# An unquoted "…研究" names a topic (人工智能研究), not a study: the rules find quoted study names.
_TOPIC_HEADS = frozenset(name_rules()["ner_topic_heads"])
# What a stem does not start with to be a name: 政府…, 相關…, 該… (name_rules.json "ner_vague_starts").
_VAGUE_STARTS = tuple(name_rules()["ner_vague_starts"])



# --- training --------------------------------------------------------------------------------

def weak_examples(documents: Iterable[Document], unknown_names: bool = False) -> list[tuple[str, list[str]]]:
    """Each candidate sentence with its BILUO tags from the rule extractors (``-`` = unknown).

    With ``unknown_names``, unlabelled stretches that look like names are left unknown rather
    than taught as non-names (:func:`_leave_unlabelled_names_unknown`).
    """
    from legco_kg.extractors import get
    from legco_kg.extractors.overlaps import without_overlaps

    examples = []
    for doc in documents:
        found = [m for name in (*LABELLING, *UNLABELLED) for m in get(name)(doc)]
        kept = without_overlaps(found, [*LABELLING, *UNLABELLED])
        by_part: dict[tuple, list[Mention]] = {}
        for mention in kept:
            if mention.kind in LABELS:
                by_part.setdefault((mention.reply, mention.section), []).append(mention)
        for sentence in candidate_sentences(doc):
            text = sentence.part.text
            tags = ["O"] * len(sentence.text)
            for mention in by_part.get((sentence.part.reply, sentence.part.section), ()):
                start = _local(text.offsets, mention.start)
                end = _local(text.offsets, mention.end - 1) + 1
                if not start < end <= len(text.offsets) or text.offsets[start] != mention.start or text.offsets[end - 1] != mention.end - 1:
                    continue  # another paragraph's
                start -= sentence.start
                end -= sentence.start
                if end <= 0 or start >= len(tags):
                    continue  # outside this stretch
                if start < 0 or end > len(tags):  # cut by the stretch's edge: unknown
                    start, end = max(start, 0), min(end, len(tags))
                    tags[start:end] = ["-"] * (end - start)
                    continue
                if mention.extractor in UNLABELLED:
                    tags[start:end] = ["-"] * (end - start)
                    continue
                tags[start:end] = _biluo(end - start, LABELS[mention.kind])
            if unknown_names:
                _leave_unlabelled_names_unknown(sentence.text, tags)
            examples.append((sentence.text, tags))
    return examples


_NAME_BOUNDARY = frozenset("，。、；：！？「」『』《》()（）\n 及和與或的之在由向為將並對以於把從到給讓請")
_UNKNOWN_REACH = 12


def _leave_unlabelled_names_unknown(text: str, tags: list[str]) -> None:
    """Where a head word ends a stretch that looks like a name (see :func:`_proposable`) but no
    rule labelled it, leave its characters unknown (``-``) rather than teach them as non-names.

    The rules miss many names (the reason the NER exists); taught as ``O`` they would teach the
    model that an unquoted name is not one.  Stretches that do not look like names (該計劃,
    相關基金) stay ``O``: they are the negatives.
    """
    for head in _head_pattern().finditer(text):
        end = head.end()
        if any(tag != "O" for tag in tags[head.start() : end]):
            continue
        start = head.start()
        while start > 0 and end - start < _UNKNOWN_REACH and tags[start - 1] == "O" and text[start - 1] not in _NAME_BOUNDARY:
            start -= 1
        vague = any(text.startswith(_VAGUE_STARTS, at) for at in range(start, head.start()))
        if not vague and _proposable(text[start:end]):  # 透過相關基金: a reference, not a name
            tags[start:end] = ["-"] * (end - start)


def _spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """The labelled ``(start, end, label)`` spans of a BILUO tag list."""
    spans, start = [], 0
    for i, tag in enumerate(tags):
        if tag.startswith(("B-", "U-")):
            start = i
        if tag.startswith(("L-", "U-")):
            spans.append((start, i + 1, tag[2:]))
    return spans


def with_names_swapped(examples: list[tuple[str, list[str]]], rng: random.Random) -> list[tuple[str, list[str]]]:
    """Each labelled example again, its names replaced by other names of the same label, and
    half of the 「」-quoted ones written without the quotes.

    The corpus names most schemes many times over, and quotes most of them; seeing the same
    contexts with other names, quoted or not, teaches the model what surrounds a name rather
    than the names themselves or the quote marks.
    """
    pool: dict[str, list[str]] = {}
    for text, tags in examples:
        for start, end, label in _spans(tags):
            pool.setdefault(label, []).append(text[start:end])
    names = {label: sorted(set(found)) for label, found in pool.items()}

    def swap(text: str, start: int, end: int, label: str, at: int) -> tuple[int, int, str]:
        name = rng.choice(names[label])
        quoted = start > 0 and text[start - 1] == "「" and text[end : end + 1] == "」"
        if quoted and start - 1 >= at and rng.random() < 0.5:
            return start - 1, end + 1, name  # the same sentence with the name written without quotes, as many are
        return start, end, name

    return _replace_names(examples, swap)


def with_invented_names(examples: list[tuple[str, list[str]]], rng: random.Random) -> list[tuple[str, list[str]]]:
    """Each labelled example again, its names replaced by names nobody has used: the head of a
    name of the same label after a stem spliced from pieces of other names' stems.

    The model then cannot lean on names it has seen (the gazetteer's, the rules'): it must read
    the context and the head, which is what it needs for names in text nobody tuned for.
    """
    heads = _longest_first("heads")
    stems: dict[str, list[str]] = {}
    endings: dict[str, list[str]] = {}
    for text, tags in examples:
        for start, end, label in _spans(tags):
            name = text[start:end]
            head = next((h for h in heads if name.endswith(h) and len(name) > len(h)), None)
            if head and _NAME_CHARS.fullmatch(name):
                stems.setdefault(label, []).append(name[: -len(head)])
                endings.setdefault(label, []).append(head)
    stems = {label: sorted(set(found)) for label, found in stems.items()}
    endings = {label: sorted(set(found)) for label, found in endings.items()}

    def invent(label: str) -> str | None:
        if label not in stems:
            return None
        first, second = rng.choice(stems[label]), rng.choice(stems[label])
        cut_first = rng.randint(1, max(1, len(first) // 2 + 1))
        cut_second = rng.randint(0, max(0, len(second) - 2))
        return first[:cut_first] + second[cut_second:] + rng.choice(endings[label])

    return _replace_names(examples, lambda text, start, end, label, at: (start, end, invent(label) or text[start:end]))


def _replace_names(examples: list[tuple[str, list[str]]], choose) -> list[tuple[str, list[str]]]:
    """Each example holding a name again, every name replaced: ``choose(text, start, end, label,
    at)`` gives the stretch to replace (it may take the name's quote marks with it) and the new
    name; the tags follow the new text."""
    replaced = []
    for text, tags in examples:
        spans = _spans(tags)
        if not spans:
            continue
        pieces, new_tags, at = [], [], 0
        for start, end, label in spans:
            start, end, name = choose(text, start, end, label, at)
            pieces.append(text[at:start])
            new_tags.extend(tags[at:start])
            pieces.append(name)
            new_tags.extend(_biluo(len(name), label))
            at = end
        pieces.append(text[at:])
        new_tags.extend(tags[at:])
        replaced.append(("".join(pieces), new_tags))
    return replaced


def _biluo(length: int, label: str) -> list[str]:
    if length == 1:
        return [f"U-{label}"]
    return [f"B-{label}", *[f"I-{label}"] * (length - 2), f"L-{label}"]


def _local(offsets: tuple[int, ...], original: int) -> int:
    return bisect_left(offsets, original)


def train(
    documents: list[Document], out: Path, epochs: int = EPOCHS, seed: int = SEED, log=print,
    invented_names: bool = False, unknown_names: bool = False,
) -> dict:
    """Train the NER on weak labels from ``documents`` and save it to ``out``.

    ``invented_names`` adds every labelled stretch again with invented names
    (:func:`with_invented_names`); ``unknown_names`` leaves unlabelled name-like stretches
    unknown.  Both raise recall on texts of other shapes and cost precision on the replies (the
    README's table); the shipped model is trained without them.

    Returns figures of the run: examples, labelled spans and the last epoch's loss.
    """
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = spacy.blank("zh")
    ner = nlp.add_pipe("ner", config=MODEL_CONFIG)
    for label in sorted(set(LABELS.values())):
        ner.add_label(label)
    examples = []
    spans = 0
    weak = weak_examples(documents, unknown_names)
    invented = with_invented_names(weak, rng) if invented_names else []
    for text, tags in weak + with_names_swapped(weak, rng) + invented:
        doc = char_doc(nlp.vocab, text)  # as at run time: one token per character, spaces folded
        token_tags = [tags[token.idx] for token in doc]
        spans += sum(tag[0] in "BU" for tag in token_tags)
        examples.append(Example.from_dict(doc, {"entities": token_tags}))
    optimizer = nlp.initialize(lambda: examples, sgd=None)
    losses: dict = {}
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        log(f"epoch {epoch + 1}/{epochs}: loss {losses.get('ner', 0.0):.1f}")
    out.mkdir(parents=True, exist_ok=True)
    nlp.meta.update({"name": "legco_ner", "version": "1.0.0", "description": "legco-kg weak-label NER"})
    nlp.to_disk(out)
    return {"examples": len(examples), "spans": spans, "loss": losses.get("ner", 0.0)}
