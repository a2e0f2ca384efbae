"""The tokenizers follow Whoosh's contract: positions by token, offsets by character."""
from indexer.analysis import bigram_analyzer, word_analyzer

TEXT = "会议原则同意，由市发改委牵头。第128次 5G"


def tokens(analyzer, text, **flags):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True, **flags)]


def test_word_tokens_positions_and_offsets():
    # Punctuation takes a position but emits no token, so phrases never cross it;
    # the gazetteer keeps 市发改委 whole; Latin is lower-cased; spaces are skipped.
    assert tokens(word_analyzer(), TEXT) == [
        ("会议", 0, 0, 2),
        ("原则同意", 1, 2, 6),
        ("由", 3, 7, 8),
        ("市发改委", 4, 8, 12),
        ("牵头", 5, 12, 14),
        ("第", 7, 15, 16),
        ("128", 8, 16, 19),
        ("次", 9, 19, 20),
        ("5g", 10, 21, 23),
    ]


def test_bigram_tokens_positions_and_offsets():
    assert tokens(bigram_analyzer(), TEXT) == [
        ("会议", 0, 0, 2), ("议原", 1, 1, 3), ("原则", 2, 2, 4), ("则同", 3, 3, 5), ("同意", 4, 4, 6),
        ("由市", 6, 7, 9), ("市发", 7, 8, 10), ("发改", 8, 9, 11), ("改委", 9, 10, 12), ("委牵", 10, 11, 13),
        ("牵头", 11, 12, 14),
        ("第", 13, 15, 16), ("128", 14, 16, 19), ("次", 15, 19, 20), ("5g", 16, 21, 23),
    ]


def test_full_width_letters_fold_without_moving_offsets():
    assert tokens(word_analyzer(), "预算工作ＡＢＣ") == [("预算", 0, 0, 2), ("工作", 1, 2, 4), ("abc", 2, 4, 7)]


def test_start_pos_and_start_char_are_honoured():
    got = tokens(word_analyzer(), "电梯安全", start_pos=10, start_char=100)
    assert got == [("电梯安全", 10, 100, 104)]


def test_flags_off_record_nothing():
    token = next(iter(word_analyzer()("会议纪要")))
    assert not hasattr(token, "pos")
    assert not hasattr(token, "startchar")


def test_tokenize_false_yields_the_whole_value():
    got = [(t.text, t.pos, t.startchar, t.endchar)
           for t in word_analyzer()("市发改委", tokenize=False, positions=True, chars=True)]
    assert got == [("市发改委", 0, 0, 4)]


def test_one_token_object_is_reused():
    ids = {id(t) for t in word_analyzer()("会议 原则 同意")}
    assert len(ids) == 1


def test_word_table_cache_gives_the_same_segmenter(tmp_path, monkeypatch):
    from indexer import analysis

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    analysis._segmenter.cache_clear()
    try:
        built = analysis._segmenter()  # no cache file yet: built from jieba's dictionary, then saved
        path = analysis._dictionary_cache()
        assert path.is_file() and path.parent.parent == tmp_path
        analysis._segmenter.cache_clear()
        loaded = analysis._segmenter()
        assert loaded is not built and loaded.FREQ == built.FREQ and loaded.total == built.total
        text = "市发改委牵头研究电梯安全，会同市住建局落实老旧小区改造。"
        assert list(loaded.tokenize(text)) == list(built.tokenize(text))
        path.write_bytes(b"damaged")
        analysis._segmenter.cache_clear()
        assert analysis._segmenter().FREQ == built.FREQ  # a damaged file: built again
    finally:
        analysis._segmenter.cache_clear()
