"""The trained NER: its weak labels, its training data, the shipped model, its place among the rules."""
import random

import pytest

from legco_kg.extractors.model import Mention
from legco_kg.extractors.ner import (
    _proposable, _spans, candidate_sentences, load_model, ner_mentions, weak_examples, with_names_swapped,
)
from legco_kg.extractors.overlaps import without_overlaps
from legco_kg.build import default_corpus

from helpers import names_found, paper, run


def test_the_shipped_model_loads_with_the_three_labels():
    assert set(load_model().get_pipe("ner").labels) == {"SCHEME", "INSTITUTION", "PLATFORM"}


@pytest.mark.parametrize(
    "sentence, name, kind",
    [
        ("創新科技署會透過智慧農業發展基金資助農場引入新技術。", "智慧農業發展基金", "scheme"),
        ("政府宣布推出智慧漁業科技先導計劃，資助漁民。", "智慧漁業科技先導計劃", "scheme"),
        ("我們會與嶺南大學合作，並設立生物醫藥研發中心。", "生物醫藥研發中心", "institution"),
    ],
)
def test_the_model_finds_a_name_the_corpus_never_uses(sentence, name, kind):
    corpus = "".join(path.read_text(encoding="utf-8").replace(" ", "") for path in default_corpus())
    assert name not in corpus  # a name the model cannot have seen
    found = names_found(ner_mentions, sentence)
    assert (name, kind) in found


def test_only_the_characters_before_a_head_word_are_read():
    doc = paper("今 年 天 氣 很 好 。 我 們 推 出 了 新 的 資 助 計 劃 ， 反 應 良 好 。")
    stretches = [s.text for s in candidate_sentences(doc)]
    assert stretches == ["我們推出了新的資助計劃，"]


def test_weak_labels_come_from_the_rules():
    doc = paper("政 府 推 出「 綠 色 科 技 試 驗 資 助 計 劃 」。")
    [(text, tags)] = weak_examples([doc])
    assert [(text[s:e], label) for s, e, label in _spans(tags)] == [("綠色科技試驗資助計劃", "SCHEME")]
    assert tags[: text.index("綠")] == ["O"] * text.index("綠")


def test_short_forms_are_left_unlabelled_not_taught_as_non_names():
    doc = paper("設 立 生 命 健 康 研 發 院 資 助 計 劃 (資 助 計 劃 )。 資 助 計 劃 已 推 出 。")
    tags_of = {text: tags for text, tags in weak_examples([doc])}
    later = next(tags for text, tags in tags_of.items() if text.startswith("資助計劃已"))
    assert later[:4] == ["-"] * 4


def test_swapped_names_keep_text_and_tags_aligned():
    examples = [("推出甲乙計劃。", ["O", "O", "B-SCHEME", "I-SCHEME", "I-SCHEME", "L-SCHEME", "O"]),
                ("由丙公司負責", ["O", "B-INSTITUTION", "I-INSTITUTION", "L-INSTITUTION", "O", "O"])]
    for text, tags in with_names_swapped(examples, random.Random(1)):
        assert len(text) == len(tags)
        assert {label for _, _, label in _spans(tags)} <= {"SCHEME", "INSTITUTION"}


@pytest.mark.parametrize(
    "name, kept",
    [("智慧農業發展基金", True), ("資助計劃", False), ("一般而言，研發中心", False), ("及創科計劃", False),
     ("中心", False), ("Wi-Fi連通城市計劃", True), ("沙嶺政府於2024年年底就沙嶺10公頃用作數據中心", False),
     ("資料處", False), ("香港園區", False), ("政府資助計劃", False)],
)
def test_proposals_must_look_like_names(name, kept):
    assert _proposable(name) is kept


def test_proposals_never_override_a_rule():
    rule = Mention("數碼港", "institution", 10, 13, "d", "gazetteer")
    proposal = Mention("香港數碼港公司", "institution", 8, 15, "d", "ner")
    kept = without_overlaps([rule, proposal], ["gazetteer", "ner"], proposers={"ner"})
    assert kept == [rule]


def test_build_without_the_ner(tmp_path, excerpt_path):
    result = run("build", excerpt_path, "--out", tmp_path, "--quiet", "--without", "ner")
    assert result.exit_code == 0, result.output
    assert '"extractor":"ner"' not in (tmp_path / "export.jsonl").read_text(encoding="utf-8")
    unknown = run("build", "--out", tmp_path, "--without", "neural")
    assert unknown.exit_code == 2 and "valid: estimates-header" in unknown.output


def test_train_saves_to_the_user_data_folder_never_the_package(tmp_path, monkeypatch):
    from legco_kg.extractors.ner import MODEL_DIR

    shipped = {p: p.stat().st_mtime_ns for p in MODEL_DIR.rglob("*") if p.is_file()}
    source = tmp_path / "paper.txt"
    source.write_text("政府推出「綠色科技試驗資助計劃」，並由香港科技園公司管理「創科實驗中心」。\n", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = run("train", source, "--epochs", "1")
    assert result.exit_code == 0, result.output
    saved = tmp_path / "data" / "legco-kg" / "ner_model"
    assert (saved / "config.cfg").is_file() and "LEGCO_KG_NER_MODEL" in result.output
    assert {p: p.stat().st_mtime_ns for p in MODEL_DIR.rglob("*") if p.is_file()} == shipped
    monkeypatch.setenv("LEGCO_KG_NER_MODEL", str(saved))
    from legco_kg.extractors.ner import model_dir

    assert model_dir() == saved


@pytest.mark.parametrize(
    "text, unknown",
    [
        ("計劃交由晨曦創新中心營運。", "晨曦創新中心"),  # (…有限公司 is a rule hit now: a name, not unknown)
        ("該公司表示會跟進。", ""),
        ("透過相關基金資助。", ""),
        ("向「海港創新計劃」申請，", ""),  # labelled by the rules: a name, not unknown
    ],
    ids=["unlabelled-centre", "generic-company", "vague-fund", "rule-labelled"],
)
def test_unlabelled_names_are_left_unknown_not_taught_as_non_names(text, unknown):
    [(stretch, tags)] = weak_examples([paper(text)], unknown_names=True)
    assert "".join(c for c, t in zip(stretch, tags) if t == "-") == unknown
    [(_, plain)] = weak_examples([paper(text)])
    assert "-" not in plain


def test_invented_names_replace_every_name_with_one_of_the_same_label_and_head():
    from legco_kg.extractors.names import head_kind
    from legco_kg.extractors.ner import with_invented_names

    examples = [("推出海港創新計劃。", ["O", "O", "B-SCHEME", *["I-SCHEME"] * 4, "L-SCHEME", "O"]),
                ("由星河數碼公司及青山科技大學合作", ["O", *["B-INSTITUTION"], *["I-INSTITUTION"] * 4, "L-INSTITUTION", "O",
                                            "B-INSTITUTION", *["I-INSTITUTION"] * 4, "L-INSTITUTION", "O", "O"])]
    invented = with_invented_names(examples, random.Random(3))
    assert len(invented) == 2
    for (text, tags), (old_text, old_tags) in zip(invented, examples):
        assert len(text) == len(tags)
        names = [(text[s:e], label) for s, e, label in _spans(tags)]
        assert [label for _, label in names] == [label for _, _, label in _spans(old_tags)]
        assert all(head_kind(name) == {"SCHEME": "scheme", "INSTITUTION": "institution"}[label] for name, label in names)
