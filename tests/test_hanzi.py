"""Traditional characters read as simplified, one character for one (indexer/hanzi.py)."""
from hypothesis import given
from hypothesis import strategies as st

from indexer.hanzi import CONVERTER, looks_traditional, simplified, unfold
from indexer.normalize import normalize

from .traditional import SIMPLIFIED, TRADITIONAL


def test_traditional_characters_become_simplified_in_place():
    assert simplified("區政府第十二次常務會議紀要") == "区政府第十二次常务会议纪要"
    assert simplified("由區財政局牽頭，會同市發改委（PPP）2023年") == "由区财政局牵头，会同市发改委（PPP）2023年"
    assert simplified("区政府常务会议纪要") == "区政府常务会议纪要"
    assert simplified("ASCII only, 2023") == "ASCII only, 2023"
    assert simplified("") == ""


def test_words_convert_in_context():
    # OpenCC converts words, not only characters: 乾隆 keeps its 乾, 乾燥 is 干燥.
    assert simplified("乾隆年間") == "乾隆年间"
    assert simplified("乾燥") == "干燥"


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9fff), max_size=60))
def test_the_fold_keeps_every_length(text):
    assert len(simplified(text)) == len(text)
    assert [c for c in simplified(text) if c.isascii()] == [c for c in text if c.isascii()]


def test_a_normalized_shadow_gets_the_original_characters_back():
    raw = "區政府 〔2020〕的43號\u200b文件\n\n\n會議(yì)紀要"
    shadow = normalize(simplified(raw))
    assert shadow == "区政府〔2020〕43号文件\n会议纪要\n"  # spaces, 的, a zero-width space, a gloss dropped
    assert unfold(shadow, raw) == "區政府〔2020〕43號文件\n會議紀要\n"
    assert unfold(normalize(SIMPLIFIED), SIMPLIFIED) == normalize(SIMPLIFIED)


def test_traditional_text_is_told_from_simplified_text_with_a_variant():
    assert looks_traditional(TRADITIONAL)
    assert not looks_traditional(SIMPLIFIED)
    # A name written with a variant character does not make a simplified text traditional.
    assert not looks_traditional("出席：李文、王颺、张峰、赵刚、孙梅、陈晨、刘洋、马超、何平、周涛、吴敏、郑伟、朱军、胡斌")
    assert looks_traditional("會議")


def test_the_converter_is_named_with_its_version():
    import opencc

    assert CONVERTER == f"opencc-{opencc.__version__}-t2s"
