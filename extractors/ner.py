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
MODEL_DIR = Path(__file__).with_name("ner_model")
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

@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_DIR):
    """The shipped model (``extractors/ner_model``)."""
    import spacy

    from legco_kg.errors import LegcoError

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
    end many ordinary words: 資料處, 機制處)."""
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
    if stem.startswith(_VAGUE_STARTS) or stem in name_rules()["proper_prefixes"]:
        return "a vague or bare prefix before the head"
    return None


_VAGUE_STARTS = ("政府", "指定", "傑出", "本地", "有關", "相關", "其他", "不同", "多個", "各", "該", "此", "上述", "國家及")



# --- training --------------------------------------------------------------------------------

def weak_examples(documents: Iterable[Document]) -> list[tuple[str, list[str]]]:
    """Each candidate sentence with its BILUO tags from the rule extractors (``-`` = unknown)."""
    from legco_kg.extractors import get
    from legco_kg.graph.kg import without_overlaps

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
            examples.append((sentence.text, tags))
    return examples


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
    swapped = []
    for text, tags in examples:
        spans = _spans(tags)
        if not spans:
            continue
        pieces, new_tags, at = [], [], 0
        for start, end, label in spans:
            name = rng.choice(names[label])
            quoted = start > 0 and text[start - 1] == "「" and text[end : end + 1] == "」"
            if quoted and start - 1 >= at and rng.random() < 0.5:
                # The same sentence with the name written without quotes, as many are.
                pieces.append(text[at : start - 1])
                new_tags.extend(tags[at : start - 1])
                end += 1
            else:
                pieces.append(text[at:start])
                new_tags.extend(tags[at:start])
            pieces.append(name)
            new_tags.extend(_biluo(len(name), label))
            at = end
        pieces.append(text[at:])
        new_tags.extend(tags[at:])
        swapped.append(("".join(pieces), new_tags))
    return swapped


def _biluo(length: int, label: str) -> list[str]:
    if length == 1:
        return [f"U-{label}"]
    return [f"B-{label}", *[f"I-{label}"] * (length - 2), f"L-{label}"]


def _local(offsets: tuple[int, ...], original: int) -> int:
    return bisect_left(offsets, original)


def train(documents: list[Document], out: Path, epochs: int = EPOCHS, seed: int = SEED, log=print) -> dict:
    """Train the NER on weak labels from ``documents`` and save it to ``out``.

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
    weak = weak_examples(documents)
    for text, tags in weak + with_names_swapped(weak, rng):
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
