"""Amounts, and what each is of, in text of other shapes: press releases, news ledes, speeches,
fact sheets with bullets, Simplified Chinese.

Every sentence here is written for the test; none is taken from the corpus or the check set.
"""
from decimal import Decimal
from pathlib import Path

import pytest

from legco_kg.extractors import extract
from legco_kg.extractors.amounts import amounts, find_in_text
from legco_kg.extractors.parse import parse_document
from legco_kg.graph.kg import build_graph


def read(text: str, folder: Path):
    (folder / "case.txt").write_text(text, encoding="utf-8")
    doc = parse_document(folder / "case.txt")  # as a build reads it: Simplified is read as Traditional
    return build_graph([doc], extract(doc, skip=["ner", "amounts"]), amounts=list(amounts(doc)))


def subjects(text: str, folder: Path) -> list[tuple[str, str | None]]:
    kg = read(text, folder)
    return [(a.text, kg.entities[s].label_zh if s else None) for a, s in kg.amounts]


FIGURES = [
    # A figure of 億 and 萬 is one amount, not two (1億 and 8,000萬元).
    ("億-and-萬-arabic", "總承擔額為2億3,000萬元。", [("2億3,000萬元", "230000000", "HKD")]),
    ("億-and-千萬", "政府撥款4億5千萬元。", [("4億5千萬元", "450000000", "HKD")]),
    ("億-零-萬", "工程費用為3億零600萬元。", [("3億零600萬元", "306000000", "HKD")]),
    ("億-and-萬-港元", "基金規模為7億2,500萬港元。", [("7億2,500萬港元", "725000000", "HKD")]),
    ("億-and-萬-美元", "公司融資1億1000萬美元。", [("1億1000萬美元", "110000000", "USD")]),
    ("億-and-chinese-萬", "撥款6億四千萬元。", [("6億四千萬元", "640000000", "HKD")]),
    ("億-and-萬-no-元-money-clause", "項目預算約為5億2000萬。", [("5億2000萬", "520000000", "HKD")]),
    ("億-and-萬-a-count", "平台去年錄得1億2,000萬人次瀏覽。", []),
    ("億-and-too-much", "撥款1億30,000萬元。", []),
    (
        "range-to-億-and-萬",
        "每個項目可獲1億至1億5,000萬元。",
        [("1億", "100000000", "HKD"), ("1億5,000萬元", "150000000", "HKD")],
    ),
    # News writes large figures with 萬億, 千億, 百億, and round ones without a digit.
    ("萬億", "區內經濟規模達1.5萬億元。", [("1.5萬億元", "1500000000000", "HKD")]),
    ("千億-美元", "基金管理資產約3千億美元。", [("3千億美元", "300000000000", "USD")]),
    ("逾百億元", "項目吸引逾百億元的投資。", [("百億元", "10000000000", "HKD")]),
    ("近千億元", "去年成交額近千億元。", [("千億元", "100000000000", "HKD")]),
    ("數百億元-is-vague", "政府多年來投放數百億元。", []),
    ("百萬元-a-unit-alone", "開支以百萬元計。", []),
    ("千萬億次-a-count", "運算能力達每秒3000千萬億次。", []),
    ("千萬-in-a-money-clause", "計劃撥款5千萬。", [("5千萬", "50000000", "HKD")]),
    # Currencies of news about other places are theirs, never 港元.
    ("歐元", "歐盟撥款10億歐元支持研究。", [("10億歐元", "1000000000", "EUR")]),
    ("美金", "公司完成融資1億美金。", [("1億美金", "100000000", "USD")]),
    ("日圓", "雙方合共投資50億日圓。", [("50億日圓", "5000000000", "JPY")]),
    ("英鎊", "英國政府撥款3,000萬英鎊。", [("3,000萬英鎊", "30000000", "GBP")]),
    ("新台幣", "計劃資助200萬新台幣。", [("200萬新台幣", "2000000", "TWD")]),
    ("澳門元", "澳門特區政府撥款1億澳門元。", [("1億澳門元", "100000000", "MOP")]),
    ("新加坡元", "新加坡政府投資1億新加坡元。", [("1億新加坡元", "100000000", "SGD")]),
    # Headlines drop 元 after words of money a reply does not use.
    ("headline-撥", "政府撥5億推漁港科技計劃", [("5億", "500000000", "HKD")]),
    ("headline-斥資", "港府斥資3億建數據中心", [("3億", "300000000", "HKD")]),
    ("headline-估值", "本地初創估值逾10億", [("10億", "1000000000", "HKD")]),
    ("headline-a-count-stays", "旅客人數回升至4,000萬", []),
    # Counts of people and things in a money clause are not money.
    ("萬-市民", "撥款計劃涵蓋3千萬市民。", []),
    ("萬-住戶", "電費資助惠及全港250萬住戶。", []),
    ("萬-用戶-then-money", "平台資助已惠及80萬用戶，撥款共2億元。", [("2億元", "200000000", "HKD")]),
    ("萬-家-企業", "撥款500萬，惠及2萬家企業。", [("500萬", "5000000", "HKD")]),
    # A Chinese range shares the upper end's 萬 or 億 (五十至一百萬元: 50萬 to 100萬).
    ("chinese-range-萬", "資助額介乎五十至一百萬元。", [("五十", "500000", "HKD"), ("一百萬元", "1000000", "HKD")]),
    ("chinese-range-億", "總投資約三至五億元。", [("三", "300000000", "HKD"), ("五億元", "500000000", "HKD")]),
    ("chinese-range-own-unit", "資助介乎二十萬至八十萬元。", [("二十萬", "200000", "HKD"), ("八十萬元", "800000", "HKD")]),
    ("chinese-range-元", "每張門票售三百至五百元。", [("三百", "300", "HKD"), ("五百元", "500", "HKD")]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in FIGURES], ids=[c[0] for c in FIGURES])
def test_figures(text, expected):
    assert [(f.text, str(f.value), f.currency) for f in find_in_text(text)] == expected


YEARS = [
    ("span-至", "政府將於2025至2028年向「漁農科技計劃」投放6億元。", "2025..2028"),
    ("span-年至年", "由2022年至2024年，「社區科技計劃」共批出9,000萬元。", "2022..2024"),
    ("span-年間-simplified", "「渔农科技计划」在2026至2029年间合共拨款4亿元。", "2026..2029"),
    ("financial-year-in-full", "2026-2027年的撥款為3億元。", "2026-27"),
    ("span-hyphen", "「社區科技計劃」2024-2027年的總預算為6億元。", "2024..2027"),
    ("calendar-year-of-the-giving", "政府在2026年撥款4億元推行「社區科技計劃」。", "2026"),
    ("calendar-year-亦於-批出", "委員會亦於2022年批出約2億元。", "2022"),
    ("calendar-year-far-from-the-verb", "「社區科技計劃」於2021年推出，政府撥款4億元。", None),
    ("a-launch-year-is-not-the-money's", "「社區科技計劃」自2019年推出至今，已批出3億元。", None),
    ("financial-year-stays", "「社區科技計劃」2025-26年度的預算為1億元。", "2025-26"),
    ("financial-year-slash", "「社區科技計劃」2024/25年度的預算為1億元。", "2024-25"),
    ("financial-year-full-width-slash", "「社區科技計劃」在2025／26年度的撥款為2億元。", "2025-26"),
    ("financial-year-至", "「社區科技計劃」在2023至24年度的實際開支為8,000萬元。", "2023-24"),
    ("financial-year-chinese-numerals", "「社區科技計劃」二〇二五至二六年度的預算為1億元。", "2025-26"),
    ("financial-year-chinese-零", "「社區科技計劃」二零二六／二七年度的預算為1億元。", "2026-27"),
    ("slash-not-a-financial-year", "「社區科技計劃」2024/27年度的預算為1億元。", None),
    (
        "a-change-is-of-the-year-compared",
        "「社區科技計劃」2025-26年度的撥款較2024-25年度增加3,000萬元。",
        "2025-26",
    ),
    (
        "the-figure-compared-with",
        "「社區科技計劃」2025-26年度的預算為4億元，較2024-25年度的3億元為多。",
        ["2025-26", "2024-25"],
    ),
]


@pytest.mark.parametrize("text, year", [c[1:] for c in YEARS], ids=[c[0] for c in YEARS])
def test_year_of_an_amount(text, year, tmp_path):
    assert [a.year for a, _ in read(text, tmp_path).amounts] == (year if isinstance(year, list) else [year])


SUBJECTS = [
    # A speech quotes its speaker; a name inside the quotation is in 『』.
    (
        "speech-『』",
        "局長致辭時表示：「我們會推出『漁港數碼化計劃』，撥款3億元，協助漁民轉型。」",
        [("3億元", "漁港數碼化計劃")],
    ),
    (
        "speech-『』-simplified",
        "局长致辞时表示：「我们会推出『渔港数码化计划』，拨款3亿元。」",
        [("3億元", "漁港數碼化計劃")],
    ),
    # Simplified text quotes names in “”.
    (
        "curly-quotes-simplified",
        "广东省科学技术厅将与创新科技署联合推出“湾区海洋创新基金”，总规模为人民币10亿元。",
        [("人民幣10億元", "灣區海洋創新基金")],
    ),
    (
        "curly-quotes-launched-platform",
        "数字政策办公室推出“医健通+”平台，开发费用约为7,000万元。",
        [("7,000萬元", "醫健通+")],
    ),
    (
        "curly-quotes-an-unknown-name-in-the-clause",
        "创新科技署表示，“研究人才库”今年的预算为5亿元，而“博士后专才通”则为3亿元。",
        [("5億元", "研究人才庫"), ("3億元", None)],
    ),
    (
        "curly-quotes-a-network-name-in-the-clause",
        "创新科技署表示，“研究人才库”今年的预算为5亿元，而“博士后专才网”则为3亿元。",
        [("5億元", "研究人才庫"), ("3億元", "博士後專才網")],
    ),
    (
        "curly-quotes-a-phrase-is-no-name",
        "局长表示，政府会坚持“先立后破”，今年拨款3亿元。",
        [("3億元", None)],
    ),
    # 透過 X 資助 Y: X is the channel, the money is Y's.
    (
        "透過-fund-資助-scheme",
        "政府透過「創新及科技基金」資助「海濱照明改善計劃」，涉及款項1,800萬元。",
        [("1,800萬元", "海濱照明改善計劃")],
    ),
    ("透過-the-scheme-alone", "政府去年推出「海濱照明改善計劃」。今年透過該計劃撥款2億元。", [("2億元", "海濱照明改善計劃")]),
    # Who runs or builds a thing, or works with whoever does, is not what it costs.
    (
        "由-runner-unrecognised-thing",
        "「城市噪音監測」由環境保護署負責，第一期工程費用為4,200萬元。",
        [("4,200萬元", None)],
    ),
    (
        "由-runner-the-named-network-is-the-subject",
        "「城市噪音監測網」由環境保護署負責，第一期工程費用為4,200萬元。",
        [("4,200萬元", "城市噪音監測網")],
    ),
    ("由-runner-after-the-figure", "該項目的總成本為6億元，由土木工程拓展署負責推行。", [("6億元", None)]),
    (
        "由-a-described-runner",
        "系統由本地公司海訊科技有限公司開發，整個項目的開支約為2,600萬元。",
        [("2,600萬元", None)],
    ),
    ("與-partner", "當局預留9,000萬元推行第二階段，並會與香港生產力促進局合作。", [("9,000萬元", None)]),
    (
        "由-not-由於",
        "由於「長者科技租賃計劃」反應理想，政府再撥款5,000萬元。",
        [("5,000萬元", "長者科技租賃計劃")],
    ),
    # A quoted name no extractor knows, in the figure's clause: the figure is its.
    (
        "unrecognised-quote-in-clause",
        "創新科技署表示，「研究人才庫」今年的預算為5億元，而「博士後專才通」則為3億元。",
        [("5億元", "研究人才庫"), ("3億元", None)],
    ),
    (
        "a-quoted-network-in-the-clause-is-the-subject",
        "創新科技署表示，「研究人才庫」今年的預算為5億元，而「博士後專才網」則為3億元。",
        [("5億元", "研究人才庫"), ("3億元", "博士後專才網")],
    ),
    # Launched before the figure, in the sentence of a clause that names nothing.
    (
        "launched-platform",
        "數字政策辦公室推出「醫健通+」平台，開發費用約為7,000萬元。",
        [("7,000萬元", "醫健通+")],
    ),
    (
        "set-up-after-the-figure-is-part-only",
        "政府預留20億元推動海洋科技，並在將軍澳設立「海洋科技研究中心」及引進香港生產力促進局的專家。",
        [("20億元", None)],
    ),
    # A head noun opening the sentence, naming what cannot be told: no subject, not who runs it.
    (
        "head-unknown-新服務",
        "新一代「公共圖書館電子」已啟用。新服務由香港電訊有限公司營運，五年合約總額約為6億元。",
        [("6億元", None)],
    ),
    (
        "head-新服務-is-the-service-just-named",
        "新一代「公共圖書館電子服務」已啟用。新服務由香港電訊有限公司營運，五年合約總額約為6億元。",
        [("6億元", "公共圖書館電子服務")],
    ),
    (
        "a-head-inside-another-word-is-no-head",
        "服務業界代表與香港貿易發展局會面，雙方同意投放3億元。",
        [("3億元", "香港貿易發展局")],
    ),
    (
        "a-head-inside-another-word-refers-to-nothing",
        "「海洋科技中心」今日開幕。中心區的道路工程費用為3億元。",
        [("3億元", None)],
    ),
    # A head after two names: the one the sentence introduces (擴展至, 推出).
    (
        "head-the-one-extended-to",
        "水務署宣布，「智能水錶平台」將擴展至「管網滲漏監測系統」。項目由水務署與香港城市大學合作開發，成本約為2,800萬元。",
        [("2,800萬元", "管網滲漏監測系統")],
    ),
    (
        "head-two-names-neither-introduced",
        "「智能水錶平台」與「管網滲漏監測系統」運作良好。項目由水務署負責，成本約為2,800萬元。",
        [("2,800萬元", None)],
    ),
    # Speakers: a body's name before a person's title names who speaks, not what the money is of.
    (
        "speaker-label-long",
        "政府推出「漁港科技計劃」。創新科技及工業局局長：計劃為每個項目提供最高50萬元。",
        [("50萬元", "漁港科技計劃")],
    ),
    (
        "speaker-title-and-a-scheme",
        "漁農自然護理署署長表示，「漁船更新計劃」至今已批出逾1億元。",
        [("1億元", "漁船更新計劃")],
    ),
    (
        "speaker-title-and-a-body",
        "漁農自然護理署署長表示，香港生產力促進局今年會額外撥款4,000萬元。",
        [("4,000萬元", "香港生產力促進局")],
    ),
    (
        "speaker's-body-alone-gives",
        "漁農自然護理署署長表示，今年會額外撥款4,000萬元，資助漁民更換設備。",
        [("4,000萬元", "漁農自然護理署")],
    ),
    # A part of a figure (當中, 其中) is of what its own clause names, not the whole.
    (
        "part-of-the-whole",
        "政府預留50億元推動智能製造，當中20億元用於「智能生產線配對計劃」。",
        [("50億元", None), ("20億元", "智能生產線配對計劃")],
    ),
    # A numbered item opening with a head noun refers back to the heading's name.
    (
        "item-mark-then-head",
        "一、「漁港科技計劃」\n（一）計劃總撥款2億元；",
        [("2億元", "漁港科技計劃")],
    ),
    # A launch of two names: a figure of "both" is neither's alone.
    (
        "launched-two",
        "政府推出「漁港科技計劃」及「海洋牧場計劃」，兩項計劃合共撥款3億元。",
        [("3億元", None)],
    ),
    # A later phase is of what the sentence before says finished its first.
    (
        "phase-two-of-the-first",
        "民政事務總署轄下的社區數碼辦公室已完成首階段工作。當局預留6,000萬元推行第二階段，並會與香港生產力促進局合作。",
        [("6,000萬元", "社區數碼辦公室")],
    ),
    (
        "phase-two-without-a-first",
        "社區數碼辦公室今日開幕。當局預留6,000萬元推行第二階段，並會與香港生產力促進局合作。",
        [("6,000萬元", None)],
    ),
    # A fund named as the parent of the scheme: X下的Y.
    (
        "parent-下的",
        "創新及科技基金下的「海洋科技支援計劃」今年批出2億元。",
        [("2億元", "海洋科技支援計劃")],
    ),
    # Who gives is named, and what it is for besides.
    (
        "giver-and-what-for",
        "為支持「漁港科技計劃」，特區政府將撥款3億港元。",
        [("3億港元", "漁港科技計劃")],
    ),
    (
        "investor-and-what-it-builds-simplified",
        "深圳市政府将投资5亿元人民币建设「前海海洋科创中心」。",
        [("5億元人民幣", "前海海洋科創中心")],
    ),
    (
        "recipient-after-where-it-is",
        "國家自然科學基金委員會今年向港澳地區的「青年海洋科學計劃」撥款1.2億元。",
        [("1.2億元", "青年海洋科學計劃")],
    ),
    (
        "a-scheme-that-grants-is-no-giver",
        "「漁港科技計劃」今年批出1.5億元，較去年多。",
        [("1.5億元", "漁港科技計劃")],
    ),
    ("giver-alone", "香港貿易發展局明年會投放1億元推廣本地品牌。", [("1億元", "香港貿易發展局")]),
    ("recipient-not-giver", "為推動創科，政府已向數碼港撥款8億元。", [("8億元", "數碼港")]),
    # 分別: each figure in the place of its name.
    (
        "respectively",
        "「漁港科技計劃」與「海洋牧場計劃」分別獲撥款2億元及1億元。",
        [("2億元", "漁港科技計劃"), ("1億元", "海洋牧場計劃")],
    ),
    (
        "respectively-counts-differ",
        "「漁港科技計劃」與「海洋牧場計劃」分別獲撥款2億元。",
        [("2億元", None)],
    ),
    # A frame opening the sentence names what it is about, up to another name.
    (
        "frame-在X下",
        "在「漁港科技計劃」下，每個項目的資助上限為100萬元，而在「海洋牧場計劃」下則為50萬元。",
        [("100萬元", "漁港科技計劃"), ("50萬元", "海洋牧場計劃")],
    ),
    (
        "frame-naming-two",
        "在數碼港與香港科技園公司合作下，每間初創最多可獲50萬元。",
        [("50萬元", None)],
    ),
    (
        "partners-signing",
        "香港科技園公司與深圳市政府簽署合作備忘錄，雙方將合共投資20億元。",
        [("20億元", None)],
    ),
    (
        "partners-launch-a-scheme",
        "創新科技署與香港生產力促進局合作推出「中小企數碼化計劃」，撥款5億元。",
        [("5億元", "中小企數碼化計劃")],
    ),
    # A launch beside another scheme: the figure may be of both.
    (
        "launched-beside-another",
        "政府推出「漁港科技計劃」，並優化「海洋牧場計劃」，涉及款項共4億元。",
        [("4億元", None)],
    ),
    # A sentence turning to something else is not about the article's one scheme.
    (
        "另外-a-new-topic",
        "政府推出「漁港科技計劃」。另外，擴建污水處理設施的工程費用為30億元。",
        [("30億元", None)],
    ),
    (
        "此外-with-a-head-still-refers",
        "政府推出「漁港科技計劃」。此外，計劃會為每艘漁船提供最高8萬元資助。",
        [("8萬元", "漁港科技計劃")],
    ),
    # Numbered items naming nothing go on about the one scheme of the words introducing them.
    (
        "question-sub-items",
        "政府於2023年推出「院舍科技租賃計劃」。就此，政府可否告知本會：\n(一)會否把資助上限由每間院舍20萬元提高至40萬元；及\n(二)當局有否評估增加撥款1億元的成效？",
        [("20萬元", "院舍科技租賃計劃"), ("40萬元", "院舍科技租賃計劃"), ("1億元", "院舍科技租賃計劃")],
    ),
    (
        "question-sub-items-two-schemes",
        "政府推出「院舍科技租賃計劃」及「社區照顧科技計劃」。就此，政府可否告知本會：\n(一)會否把資助上限提高至40萬元？",
        [("40萬元", None)],
    ),
    (
        "items-after-a-new-paragraph",
        "政府推出「院舍科技租賃計劃」。\n\n其他措施包括：\n(一)增撥1億元改善街市設施。",
        [("1億元", None)],
    ),
    # Points of a list: a point naming nothing is about the point before it; else unclear.
    (
        "bullet-head-of-the-point-before-simplified",
        "•「渔港科技计划」于今年推出\n• 计划总拨款2亿元\n• 每个项目资助上限为50万元\n",
        [("2億元", "漁港科技計劃"), ("50萬元", "漁港科技計劃")],
    ),
    (
        "bullet-point-before",
        "● 年內推出「中小企數碼轉型先導計劃」\n● 按一比一配對，向每家企業提供最高十萬元資助\n",
        [("十萬元", "中小企數碼轉型先導計劃")],
    ),
    (
        "bullet-not-two-points-back",
        "● 年內推出「中小企數碼轉型先導計劃」\n● 計劃為期兩年。\n● 預期新園區每年可為經濟帶來二百億元\n",
        [("二百億元", None)],
    ),
    (
        "bullet-ends-the-sentence",
        "● 已預留三億元構建港口數據平台\n● 香港科技園公司正進行規劃研究\n",
        [("三億元", None)],
    ),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in SUBJECTS], ids=[c[0] for c in SUBJECTS])
def test_subject_of_an_amount(text, expected, tmp_path):
    assert subjects(text, tmp_path) == expected


def test_a_figure_of_億_and_萬_keeps_its_span(tmp_path):
    text = "政府今日宣布，「海濱照明改善計劃」總承擔額為1億8,000萬元。"
    [(amount, _)] = read(text, tmp_path).amounts
    assert text[amount.start : amount.end] == "1億8,000萬元" and amount.value == Decimal(180000000)


ROLES = [
    ("不得超過-is-a-cap", "「社區科技計劃」每家企業累計資助不得超過80萬元。", "at-most", "cap"),
    ("不可超過-is-a-cap", "「社區科技計劃」每宗申請的資助不可超過30萬元。", "at-most", "cap"),
    ("不少於-is-at-least", "「社區科技計劃」的企業須投入不少於2億元。", "at-least", None),
    ("最少為-is-at-least", "「社區科技計劃」每個項目的總成本最少為3億元。", "at-least", None),
    ("超過-is-more-than", "「社區科技計劃」已批出超過3億元。", "over", "approved"),
    ("the-noun-after-investment", "「社區科技計劃」預計可帶來約50億元的直接投資。", "about", "investment"),
    ("the-noun-after-benefit", "「社區科技計劃」每年可帶來20億元經濟效益。", None, "revenue"),
    ("the-noun-after-simplified", "「社区科技计划」预计每年带来20亿元经济效益。", None, "revenue"),
    ("investment-ending-the-clause", "「社區科技計劃」已為香港帶來約80億元投資，並創造2,000個職位。", "about", "investment"),
    ("投資-a-verb-after-the-figure", "政府會預留3億元投資於「社區科技計劃」的設施。", None, "allocation"),
    ("a-cap-wins-over-the-noun-after", "「社區科技計劃」為每家企業提供最高100萬元投資。", "at-most", "cap"),
    ("no-noun-after-the-cue-before", "「社區科技計劃」的預算為4億元。", None, "estimate"),
]


@pytest.mark.parametrize("text, qualifier, role", [c[1:] for c in ROLES], ids=[c[0] for c in ROLES])
def test_role_of_an_amount(text, qualifier, role, tmp_path):
    assert [(a.qualifier, a.role) for a, _ in read(text, tmp_path).amounts] == [(qualifier, role)]


ORGANISERS = [
    (
        "舉辦的-event",
        "香港貿易發展局舉辦的「國際海洋科技博覽」吸引逾2萬名買家，現場成交額約6億元。",
        [("6億元", "國際海洋科技博覽")],
        "revenue",
    ),
    (
        "舉辦的-an-event-not-recognised",
        "香港貿易發展局舉辦的「國際海洋科技展」吸引逾2萬名買家，現場成交額約6億元。",
        [("6億元", None)],
        "revenue",
    ),
    (
        "推出的-scheme",
        "香港生產力促進局推出的「食品廠自動化計劃」已有40家廠商參加，涉及資助額約3,000萬元。",
        [("3,000萬元", "食品廠自動化計劃")],
        "approved",
    ),
]


@pytest.mark.parametrize("text, expected, role", [c[1:] for c in ORGANISERS], ids=[c[0] for c in ORGANISERS])
def test_an_organiser_yields_to_what_it_organises(text, expected, role, tmp_path):
    kg = read(text, tmp_path)
    assert [(a.text, kg.entities[s].label_zh if s else None) for a, s in kg.amounts] == expected
    assert [a.role for a, _ in kg.amounts] == [role]
