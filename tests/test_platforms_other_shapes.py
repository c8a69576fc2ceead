"""Systems, services, networks and channels named in news, press releases and questions."""
import pytest

from legco_kg.extractors.names import bare_name_mentions, rule_mentions

from helpers import names_found


def _platforms(extractor, text):
    return [name for name, kind in names_found(extractor, text) if kind == "platform"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("屋宇署宣布推出「樓宇維修預約服務」，業主可網上預約。", ["樓宇維修預約服務"]),
        ("消防處的「山火熱點監察網絡」已覆蓋新界西。", ["山火熱點監察網絡"]),
        ("兩地海關將推出“跨境鮮活食品快速通關通道”。", ["跨境鮮活食品快速通關通道"]),
        ("市民可登入「綠悠網」查閱回收點。", ["綠悠網"]),
        ("承辦商須透過「工程人員資歷申請平台」遞交文件。", ["工程人員資歷申請平台"]),
        ("衞生署設立「藥物安全資料庫」供醫生查閱。", ["藥物安全資料庫"]),
    ],
    ids=["service-after-a-launch", "network-of-a-department", "channel-in-curly-quotes", "coined-name-in-wang",
         "application-platform", "database"],
)
def test_a_quoted_name_ending_in_a_service_word_is_a_platform(text, expected):
    assert _platforms(rule_mentions, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "市民可使用「專題服務」分頁查閱資訊。",
        "園區設有「綠色通道」，加快審批。",
        "數字辦推行「精簡政府服務」計劃，簡化申請手續。",
        "當局會提升「相關網上服務」的質素。",
        "局方會檢視「申請資助計劃」的程序。",
    ],
    ids=["two-characters-make-a-phrase", "a-mechanism-in-two-characters", "the-scheme-after-it-is-the-name",
         "generic-modifier", "apply-is-still-a-verb-outside-a-platform"],
)
def test_a_quoted_phrase_is_not_a_service_name(text):
    assert _platforms(rule_mentions, text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("屋宇署今日宣布，全港首個樓宇外牆檢測系統將於明年啟用。", ["樓宇外牆檢測系統"]),
        ("警方正研究引入交通違例偵測系統，打擊違泊。", ["交通違例偵測系統"]),
        ("議員問及深圳市氣象局的颱風路徑預測平台。", ["颱風路徑預測平台"]),
        ("機管局推出了旅客行李追蹤系統，方便旅客。", ["旅客行李追蹤系統"]),
        ("康文署下月啟用場地預訂輪候系統。", ["場地預訂輪候系統"]),
        ("政府將設立中小企融資轉介平台。", ["中小企融資轉介平台"]),
    ],
    ids=["first-of-its-kind", "introduced", "owned-by-a-named-body", "launched", "put-into-use", "set-up"],
)
def test_an_unquoted_system_the_text_introduces_is_a_platform(text, expected):
    assert _platforms(bare_name_mentions, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "部門會定期檢查相關資訊系統的保安。",
        "政府會升級部門的電腦系統。",
        "中心是一個博物館導覽及資訊平台，介紹展品。",
        "香港海關利用擴增實境及衛星定位系統提升效率。",
        "資科辦推出網上學習平台「樂齡數碼站」。",
        "部門會為現有客戶服務及發單系統進行保養。",
        "機構引入電子支付系統。",
        "數字辦會協助部門開發區塊鏈應用系統。",
        "政府會構建數據共享交換系統。",
    ],
    ids=["generic-modifier", "two-character-system", "described-not-named", "a-technology-in-use",
         "descriptor-before-the-quoted-name", "not-introduced", "too-short-to-be-specific",
         "developing-a-kind-of-system", "building-a-kind-of-system"],
)
def test_a_system_the_text_only_describes_is_not_a_name(text):
    assert _platforms(bare_name_mentions, text) == []


@pytest.mark.parametrize(
    "text, extractor, expected",
    [
        ("商會將舉辦「綠色建築科技周」，展示本地產品。", rule_mentions, ["綠色建築科技周"]),
        ("科學館下月舉行「太空探索嘉年華」。", rule_mentions, ["太空探索嘉年華"]),
        ("學生在亞洲機械人設計大賽中奪得冠軍。", bare_name_mentions, ["亞洲機械人設計大賽"]),
    ],
    ids=["quoted-week", "quoted-carnival", "unquoted-contest"],
)
def test_events_of_other_shapes_are_platforms(text, extractor, expected):
    assert _platforms(extractor, text) == expected


@pytest.mark.parametrize(
    "text, extractor",
    [
        ("學校會在「科技周」展示作品。", rule_mentions),
        ("公司參加亞洲機械人設計大賽香港區選拔賽。", bare_name_mentions),
        ("學生參加多項大型國際大賽。", bare_name_mentions),
    ],
    ids=["two-characters-before-the-week", "a-leg-of-the-contest-runs-on", "contests-in-general"],
)
def test_events_in_general_or_cut_short_are_not_names(text, extractor):
    assert _platforms(extractor, text) == []
