"""Mentions of the header facts of each reply: member, bureau (head), programmes, officer."""
from __future__ import annotations

import re
from typing import Iterator

from legco_kg.extractors.model import Document, Mention, Reply
from legco_kg.extractors.text import Text

NAME = "estimates-header"
_CODE = re.compile(r"^\((?P<code>[^)]*)\)")


def _mention(reply: Reply, doc: Document, kind: str, text: Text, key: str | None) -> Mention:
    start, end = text.span()
    return Mention(text.text, kind, start, end, doc.doc_id, NAME, reply.reply, None, key)


def _find(field: Text, value: str) -> Text | None:
    at = field.text.find(value)
    return field[at : at + len(value)] if at >= 0 and value else None


def header_mentions(doc: Document) -> Iterator[Mention]:
    """The member who asked, the head's bureau, each programme and the controlling officer."""
    for reply in doc.replies:
        asker = _find(reply.fields.get("提問人", Text("", ())), reply.member)
        if asker is not None:
            yield _mention(reply, doc, "member", asker, None)
        head_field = reply.fields["總目"]
        bureau = bureau_name(reply.head_name)
        found = _find(head_field, bureau)
        if found is not None:
            yield _mention(reply, doc, "bureau", found, reply.head)
        programme_field = reply.fields.get("綱領", Text("", ()))
        for programme in reply.programmes:
            found = _find(programme_field, programme.replace("\n", ""))
            code = _CODE.match(programme)
            if found is not None and code:
                yield _mention(reply, doc, "programme", found, f"{reply.head}-{code['code']}")
        officer = _find(reply.fields.get("管制人員", Text("", ())), reply.officer_title)
        if officer is not None:
            yield _mention(reply, doc, "officer", officer, None)


def bureau_name(head_name: str) -> str:
    """``政府總部：創新科技署`` → ``創新科技署`` (the body the head funds)."""
    return head_name.rsplit("：", 1)[-1].strip()
