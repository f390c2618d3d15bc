from nlu.tokenization import tokenize


def words(text, language=None):
    return [w for w, _ in tokenize(text, language)]


def test_chinese_is_segmented_with_jieba_and_keeps_numeral_classifiers():
    assert words("我想买两个手机壳") == ["我", "想", "买", "两个", "手机", "壳"]


def test_mixed_chinese_latin_and_numbers():
    assert words("我要买3个iPhone 15，预算5000元以下") == [
        "我", "要", "买", "3", "个", "iPhone", "15", "预算", "5000", "元", "以下"
    ]


def test_offsets_point_into_the_original_text():
    text = "订单12345到哪了"
    for word, start in tokenize(text):
        assert text[start:start + len(word)] == word


def test_space_separated_languages_keep_prices_and_symbols():
    assert words("quiero 2 fundas por menos de $20") == ["quiero", "2", "fundas", "por", "menos", "de", "$", "20"]
    assert words("l'iphone à 1.299,50 €") == ["l", "iphone", "à", "1.299,50", "€"]
    assert words("R$50 reais") == ["R$", "50", "reais"]


def test_hyphenated_words_stay_together():
    assert words("t-shirt quatre-vingt") == ["t-shirt", "quatre-vingt"]
