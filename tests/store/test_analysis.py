"""The tokenizers follow Whoosh's contract: positions by token, offsets by character."""
import pytest

from indexer.store import wordtable
from indexer.store.wordtable import MappedWords
from indexer.store import segmenter
from indexer.store.analysis import bigram_analyzer, join_analyzer, join_terms, phrase_bigrams, word_analyzer

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
    # The same tokens as ever; positions leave a place for each join across punctuation
    # (5: 意由 across ，; 12: 头第 across 。). 第 is covered by 头第: its unigram shares 12.
    assert tokens(bigram_analyzer(), TEXT) == [
        ("会议", 0, 0, 2), ("议原", 1, 1, 3), ("原则", 2, 2, 4), ("则同", 3, 3, 5), ("同意", 4, 4, 6),
        ("由市", 6, 7, 9), ("市发", 7, 8, 10), ("发改", 8, 9, 11), ("改委", 9, 10, 12), ("委牵", 10, 11, 13),
        ("牵头", 11, 12, 14),
        ("第", 12, 15, 16), ("128", 13, 16, 19), ("次", 14, 19, 20), ("5g", 15, 21, 23),
    ]


def test_joins_fill_the_places_of_punctuation():
    # A join is two halves at one place: 意| and |由 at 5 (across ，), 头| and |第 at 12 (across 。).
    assert tokens(join_analyzer(), TEXT) == [("意|", 5, 5, 6), ("|由", 5, 7, 8), ("头|", 12, 13, 14), ("|第", 12, 15, 16)]
    # 县 between punctuation is covered by two joins and keeps its unigram (at the place of
    # the join before it); a number meeting text across punctuation gets a mark at the next
    # token's place, and no gap; a space counts as punctuation between CJK characters, not
    # next to a number or Latin word (as before); nothing runs across a blank line, which
    # leaves an empty place (6). Where a run of CJK characters meets a number or Latin
    # word, its edge character is noted at its first or last bigram (#以, 上#, #网).
    text = "市、县、区 95%以上 5G网络\n\n标题"
    assert tokens(bigram_analyzer(), text) == [
        ("市", 0, 0, 1), ("县", 0, 2, 3), ("区", 1, 4, 5), ("95", 2, 6, 8), ("以上", 3, 9, 11),
        ("5g", 4, 12, 14), ("网络", 5, 14, 16), ("标题", 7, 18, 20),
    ]
    assert tokens(join_analyzer(), text) == [
        ("市|", 0, 0, 1), ("|县", 0, 2, 3), ("县|", 1, 2, 3), ("|区", 1, 4, 5), ("|", 3, 8, 9),
        ("#以", 3, 9, 10), ("上#", 3, 10, 11), ("#网", 5, 14, 15),
    ]
    # A quoted phrase's places, and which of them the phrase itself holds across punctuation.
    assert phrase_bigrams("“市、县、区 95%以上”") == [("市县", True), ("县区", True), ("95", False), ("以上", False)]
    assert [w for w, _ in phrase_bigrams("市县区95以上")] == ["市县", "县区", "95", "以上"]


def test_other_ways_a_quoted_phrases_places_stand_in_the_joins_field():
    places = ["第", "23", "次常", "常务", "2021", "年"]
    assert [join_terms(places, i) for i in range(len(places))] == [
        [("第#",)], [], [("次|", "|常")], [("常|", "|务")], [], [("#年",)]]
    assert join_terms(["县"], 0) == [] and join_terms(["5", "县", "5"], 1) == []


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


@pytest.mark.slow
def test_word_table_cache_gives_the_same_segmenter(tmp_path):


    index_dir = tmp_path / "ix"
    index_dir.mkdir()
    segmenter.use_cache_folder(index_dir / "cache")
    (index_dir / "cache").mkdir()
    (index_dir / "cache" / "jieba-0000000000000000.words").write_bytes(b"another fingerprint's table")
    segmenter._segmenter.cache_clear()
    try:
        built = segmenter._segmenter()  # no cache file yet: built from jieba's dictionary, then saved
        path = segmenter._dictionary_cache()
        assert path.is_file() and path.parent == index_dir / "cache"
        assert list((index_dir / "cache").iterdir()) == [path]  # one table per index
        segmenter._segmenter.cache_clear()
        loaded = segmenter._segmenter()
        assert isinstance(loaded.FREQ, MappedWords)  # mapped, not built
        assert loaded is not built and loaded.FREQ.as_dict() == built.FREQ and loaded.total == built.total
        text = "市发改委牵头研究电梯安全，会同市住建局落实老旧小区改造。"
        assert list(loaded.tokenize(text)) == list(built.tokenize(text))
        path.write_bytes(b"damaged")
        segmenter._segmenter.cache_clear()
        assert segmenter._segmenter().FREQ == built.FREQ  # a damaged file: built again
        segmenter.use_cache_folder(tmp_path / "nowhere" / "cache")
        segmenter._segmenter.cache_clear()
        assert segmenter._segmenter().FREQ == built.FREQ
        assert not (tmp_path / "nowhere").exists()  # no index folder: no cache, and no folder made for one
    finally:
        segmenter.use_cache_folder(None)
        segmenter._segmenter.cache_clear()


@pytest.fixture
def mapped_and_built(tmp_path):
    """(a tokenizer on the mapped word table, one on the dict built from jieba's dictionary)."""

    (tmp_path / "ix").mkdir()
    segmenter.use_cache_folder(tmp_path / "ix" / "cache")
    segmenter._segmenter.cache_clear()
    try:
        built = segmenter._segmenter()
        segmenter._segmenter.cache_clear()
        yield segmenter._segmenter(), built
    finally:
        segmenter.use_cache_folder(None)
        segmenter._segmenter.cache_clear()


def test_the_mapped_word_table_segments_the_real_corpus_as_the_dict_does(mapped_and_built, real_docs, monkeypatch):
    """Every text of the real corpus (its first 2,000 characters: the mapped table is
    slow per lookup, which is why long work promotes it), both ways the analyzers
    segment (``cut`` for keywords, ``tokenize`` for the fields), before the table is
    promoted to a dict."""
    monkeypatch.setattr(wordtable, "PROMOTE_AFTER", 10 ** 12)
    mapped, built = mapped_and_built
    texts = [t[:2000] for doc in real_docs.values() for t in (doc.title, doc.preamble, *(i.text for i in doc.items)) if t]
    assert len(texts) > 800
    for text in texts:
        assert list(mapped.tokenize(text)) == list(built.tokenize(text)), text[:40]
    for text in texts[::10]:
        assert mapped.lcut(text) == built.lcut(text), text[:40]
    assert isinstance(mapped.FREQ, MappedWords)


@pytest.mark.slow
def test_the_mapped_word_table_becomes_a_dict_for_long_work(mapped_and_built, monkeypatch):
    monkeypatch.setattr(wordtable, "PROMOTE_AFTER", 500)
    mapped, built = mapped_and_built
    text = "市发改委牵头研究电梯安全，会同市住建局落实老旧小区改造。" * 20
    assert isinstance(mapped.FREQ, MappedWords)
    assert list(mapped.tokenize(text)) == list(built.tokenize(text))
    assert type(mapped.FREQ) is dict and mapped.FREQ == built.FREQ  # promoted on the way, the same table
    assert list(mapped.tokenize(text)) == list(built.tokenize(text))


@pytest.mark.slow
def test_a_segmenter_built_before_indexing_still_leaves_the_word_table_in_the_index(tmp_path):
    """A process that segments before it indexes (a script, the benchmark) built its table
    without a cache folder; indexing writes the file anyway, for the searchers to map."""
    from indexer.store.lifecycle import cache_dir

    import indexer

    from ..conftest import CORPUS

    segmenter.use_cache_folder(None)
    segmenter._segmenter.cache_clear()
    try:
        indexer.warm_up()
        indexer.index_paths([CORPUS], tmp_path / "ix")
        assert [p.name for p in cache_dir(tmp_path / "ix").iterdir()] == [segmenter._dictionary_cache().name]
    finally:
        segmenter.use_cache_folder(None)
        segmenter._segmenter.cache_clear()


@pytest.mark.slow
def test_indexes_written_by_one_process_get_the_same_word_table_and_never_a_damaged_copy(tmp_path):
    """A process that writes several indexes (the tests, the benchmark) derives the word table's
    file once and copies it for the next index: the same bytes; a file changed since it was
    written is not copied, the table is derived again."""
    from indexer.store.lifecycle import cache_dir

    import indexer

    from ..conftest import MINUTES_2021_9

    def table(name: str) -> bytes:
        indexer.index_paths([MINUTES_2021_9], tmp_path / name)
        [path] = cache_dir(tmp_path / name).iterdir()
        return path.read_bytes()

    segmenter.use_cache_folder(None)
    segmenter._segmenter.cache_clear()
    try:
        indexer.warm_up()  # a table built from jieba's dictionary, in memory
        first = table("a")
        assert table("b") == first
        next(cache_dir(tmp_path / "a").iterdir()).write_bytes(b"damaged")
        assert table("c") == first
    finally:
        segmenter.use_cache_folder(None)
        segmenter._segmenter.cache_clear()


def test_traditional_text_gives_the_tokens_of_its_simplified_twin_at_its_own_offsets():
    # 會議原則同意，由市發改委牽頭 is TEXT in traditional characters: the same terms, positions and offsets.
    traditional = "會議原則同意，由市發改委牽頭。第128次 5G"
    for analyzer in (word_analyzer(), bigram_analyzer(), join_analyzer()):
        assert tokens(analyzer, traditional) == tokens(analyzer, TEXT)
    assert phrase_bigrams("原則同意") == phrase_bigrams("原则同意")
