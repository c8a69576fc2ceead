"""Structure of the LegCo "Examination of Estimates of Expenditure" replies.

The document opens with an index table (答覆編號 問題編號 議員姓名 總目 綱領), then the replies,
each a header (答覆編號 - often missing -, 問題編號, 總目, 分目, 綱領, 管制人員, 局長), 問題,
提問人, 答覆, closed by "– 完 –".  Everything is parsed from cleaned lines
(:func:`legco_kg.extractors.text.clean_lines`), so every value keeps its original offsets.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

from legco_kg.extractors.model import ESTIMATES, Document, IndexRow, Reply
from legco_kg.extractors.reading import SourceText
from legco_kg.extractors.text import Text, clean_lines
from legco_kg.errors import LayoutError

_REPLY_NO = re.compile(r"^[A-Z]{2,6}\d{3}$")
_INDEX_HEADER = re.compile(r"^答覆編號問題編號議員姓名總目綱領")
_INDEX_ROW = re.compile(
    r"^(?P<reply>[A-Z]{2,6}\d{3}) (?P<question>\d{4})(?P<member>[^\d\s()]+?)(?P<head>\d{1,3})(?: (?P<programmes>\(.*))?$"
)
_QUESTION_NO = re.compile(r"\(問題編號：(?P<question>\d{4})\)")
_END = re.compile(r"^[–—-]+完[–—-]+$")
_BODY_START = re.compile(r"^(?:審核\d{4}-\d{2}年度|開支預算$|管制人員的答覆|\(問題編號：)")
_YEAR = re.compile(r"^審核(?P<year>\d{4}-\d{2})年度")
_LABEL = re.compile(r"^(?P<label>總目|分目|綱領|管制人員|局長|問題|提問人|答覆)：")
_CODE_NAME = re.compile(r"^\((?P<code>[0-9A-Za-z]*)\)(?P<name>.*)$")
_PROGRAMME_SPLIT = re.compile(r"(?:[，,、] ?|\n)(?=\(\d+\))")
_MEMBER = re.compile(r"^(?P<name>.+?)議員(?:\(立法會內部參考編號：(?P<ref>\d+)\))?")
_OFFICER = re.compile(r"^(?P<title>.+?)\((?P<name>[^()]+)\)$")
_UNSPECIFIED = "沒有指定"


def looks_like_estimates(lines: Sequence[Text]) -> bool:
    """Recognise the layout by its structure: question numbers, askers and answers."""
    has = Counter()
    for line in lines:
        if _QUESTION_NO.search(line.text):
            has["question"] += 1
        elif line.text.startswith("提問人："):
            has["member"] += 1
        elif line.text.startswith("答覆："):
            has["answer"] += 1
        elif _INDEX_HEADER.match(line.text):
            has["index"] += 1
        if len(has) == 4 or (has["question"] and has["member"] and has["answer"]):
            return True
    return False


_PARTS = {"question": "question numbers (問題編號)", "member": "askers (提問人)", "answer": "answers (答覆)"}


def missing_parts(lines: Sequence[Text]) -> list[str]:
    """The parts of an estimates-replies document that ``lines`` lack, if they open like one
    (its index table first), else ``[]``: a file cut inside its index table must not pass for
    a paper.

    >>> from extractors.text import clean_lines
    >>> missing_parts(list(clean_lines("答覆編號 問題編號 議員姓名 總目 綱領\\nITIB001 0001 李 明 155")))
    ['question numbers (問題編號)', 'askers (提問人)', 'answers (答覆)']
    """
    first = next((line.text for line in lines if line.text.strip()), "")
    if not (_INDEX_HEADER.match(first) or _INDEX_ROW.match(first)):
        return []
    has = set()
    for line in lines:
        if _QUESTION_NO.search(line.text):
            has.add("question")
        elif line.text.startswith("提問人："):
            has.add("member")
        elif line.text.startswith("答覆："):
            has.add("answer")
    return [label for part, label in _PARTS.items() if part not in has]


def parse_index(lines: Iterable[Text]) -> list[IndexRow]:
    """Parse the index table: rows continue on following lines and programme names wrap.

    >>> from extractors.text import clean_lines
    >>> rows = parse_index(clean_lines("ITIB091 1580 洪 雯 155 (1) 支 援 研 究 及 發 展\\n(2) 推 動"))
    >>> rows[0].member, rows[0].programmes
    ('洪雯', ('(1)支援研究及發展', '(2)推動'))
    """
    rows: list[IndexRow] = []
    current: dict | None = None

    def flush() -> None:
        if current is not None:
            rows.append(IndexRow(programmes=tuple(current.pop("programmes")), **current))

    for line in lines:
        text = line.text
        if _INDEX_HEADER.match(text):
            continue
        match = _INDEX_ROW.match(text)
        if match:
            flush()
            current = {
                "reply": match["reply"],
                "question": match["question"],
                "member": match["member"],
                "head": match["head"],
                "programmes": split_programmes(match["programmes"] or ""),
                "start": line.offsets[0],
                "end": line.offsets[-1] + 1,
            }
        elif current is not None:
            # A further programme of the same row, or the wrapped end of a programme name.
            if text.startswith("(") or not current["programmes"]:
                current["programmes"].extend(split_programmes(text))
            else:
                current["programmes"][-1] += text
            current["end"] = line.offsets[-1] + 1
    flush()
    return rows


def split_programmes(value: str) -> list[str]:
    """``"(1)數字政府，(2)數據治理"`` → both; ``沒有指定`` (not specified) → none."""
    value = value.strip()
    if not value or value == _UNSPECIFIED:
        return []
    return [part.strip() for part in _PROGRAMME_SPLIT.split(value) if part.strip()]


def parse_estimates(source: SourceText, lines: list[Text] | None = None) -> Document:
    """Parse the whole estimates-replies document into its index and replies."""
    name = source.path.name
    lines = list(clean_lines(source.text)) if lines is None else lines
    body_at = next((i for i, line in enumerate(lines) if _BODY_START.match(line.text)), len(lines))
    index = parse_index(lines[:body_at])
    by_question: dict[str, list[IndexRow]] = {}
    for row in index:
        by_question.setdefault(row.question, []).append(row)

    warnings: list[str] = []
    replies: list[Reply] = []
    year = None
    for chunk in _chunks(lines[body_at:], name):
        for line in chunk[:4]:
            found = _YEAR.match(line.text)
            if found:
                year = year or found["year"]
        reply = _parse_reply(chunk, by_question, name)
        warnings.extend(_cross_check(reply, by_question.get(reply.question, [])))
        replies.append(reply)
    if not replies:
        raise LayoutError(name, "estimates layout but no complete reply (no '– 完 –' end marker)")
    duplicates = [n for n, count in Counter(r.reply for r in replies).items() if count > 1]
    if duplicates:
        raise LayoutError(name, f"reply numbers used twice: {', '.join(sorted(duplicates))}")
    indexed = {row.reply for row in index}
    missing = sorted(indexed - {r.reply for r in replies})
    if missing:
        warnings.append(f"{name}: index lists replies with no body: {', '.join(missing)}")

    span = f"{replies[0].reply}–{replies[-1].reply}"
    title = f"審核{year}年度開支預算 管制人員的答覆 {span}" if year else f"管制人員的答覆 {span}"
    return Document(
        doc_id=source.doc_id,
        source=name,
        kind=ESTIMATES,
        title=title,
        text=source.text,
        encoding=source.encoding,
        replies=tuple(replies),
        index=tuple(index),
        warnings=tuple(warnings),
    )


def _chunks(lines: Sequence[Text], name: str) -> Iterable[list[Text]]:
    """Split the body at the end markers; a reply with no end marker is truncated."""
    chunk: list[Text] = []
    for line in lines:
        if _END.match(line.text):
            yield chunk
            chunk = []
        else:
            chunk.append(line)
    for line in chunk:
        found = _QUESTION_NO.search(line.text)
        if found:
            raise LayoutError(name, f"truncated reply (question {found['question']}): no '– 完 –' end marker")


def _parse_reply(chunk: list[Text], by_question: dict[str, list[IndexRow]], name: str) -> Reply:
    reply_no = None
    question = None
    at = 0
    for at, line in enumerate(chunk):
        if _REPLY_NO.match(line.text):
            reply_no = line.text
        found = _QUESTION_NO.search(line.text)
        if found:
            question = found["question"]
            break
    if question is None:
        where = f"near offset {chunk[0].offsets[0]}" if chunk else "at the end"
        raise LayoutError(name, f"a reply {where} has no question number (問題編號)")

    fields: dict[str, list[Text]] = {}
    label = None
    for line in chunk[at + 1 :]:
        found = _LABEL.match(line.text)
        if found and (found["label"] not in fields) and not (label == "答覆"):
            label = found["label"]
            rest = line[found.end() :]
            fields[label] = [rest] if rest.text else []
        elif label is not None:
            fields[label].append(line)
    for required in ("總目", "問題", "提問人", "答覆"):
        if required not in fields:
            raise LayoutError(name, f"truncated reply (question {question}): no {required} section")

    def value(label: str) -> Text:
        return Text.join(fields.get(label, []))

    head = _CODE_NAME.match(value("總目").text)
    if not head:
        raise LayoutError(name, f"reply to question {question}: unreadable 總目 {value('總目').text!r}")
    subhead = _CODE_NAME.match(value("分目").text)
    officer = value("管制人員")
    officer_match = _OFFICER.match(officer.text)
    member_line = value("提問人")
    member = _MEMBER.match(member_line.text)
    if not member:
        raise LayoutError(name, f"reply to question {question}: unreadable 提問人 {member_line.text!r}")

    recovered = reply_no is None
    if recovered:
        candidates = [row for row in by_question.get(question, []) if row.head == head["code"]]
        if len(candidates) != 1:
            raise LayoutError(
                name,
                f"reply to question {question} has no reply number and the index "
                f"{'lists it ' + str(len(candidates)) + ' times' if candidates else 'does not list it'}",
            )
        reply_no = candidates[0].reply

    answer_lines = fields["答覆"]
    member_name = member["name"]
    return Reply(
        reply=reply_no,
        question=question,
        member=member_name,
        member_ref=member["ref"],
        head=head["code"],
        head_name=head["name"],
        subhead=(subhead["code"] or None) if subhead else None,
        programmes=tuple(split_programmes(value("綱領").text)),
        officer_title=officer_match["title"] if officer_match else officer.text,
        officer_name=officer_match["name"] if officer_match else None,
        start=chunk[0].offsets[0],
        end=chunk[-1].offsets[-1] + 1,
        question_text=value("問題"),
        answer_text=Text.join(answer_lines),
        fields={label: value(label) for label in fields},
        number_recovered=recovered,
    )


def _cross_check(reply: Reply, rows: list[IndexRow]) -> list[str]:
    rows = [row for row in rows if row.reply == reply.reply]
    if not rows:
        return [f"{reply.reply}: not in the index table"]
    row = rows[0]
    problems = []
    for label, mine, theirs in (
        ("member", reply.member, row.member),
        ("head", reply.head, row.head),
        ("programmes", reply.programmes, row.programmes),
    ):
        if mine != theirs:
            problems.append(f"{reply.reply}: {label} {mine!r} in the reply, {theirs!r} in the index")
    return problems
