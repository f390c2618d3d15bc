from nlu.vocabulary import fold, nothing_known, vocabulary

KNOWN = vocabulary(["Hola", "busco", "un", "suéter", "毛衣", "👍"])


def test_fold_ignores_case_and_accents():
    assert fold("SUÉTER") == "sueter" and fold("Straße") == "strasse"


def test_a_message_of_only_unseen_words_is_unknown():
    assert nothing_known(["asdf"], KNOWN)
    assert nothing_known(["blorp", "glimf", "snark"], KNOWN)
    assert nothing_known(["🙃🙃🙃"], KNOWN)


def test_one_known_word_or_a_number_is_enough():
    assert not nothing_known(["busco", "blorp"], KNOWN)
    assert not nothing_known(["sueter"], KNOWN)  # accents missing: still known
    assert not nothing_known(["毛衣"], KNOWN)
    assert not nothing_known(["👍"], KNOWN)
    assert not nothing_known(["77881"], KNOWN)
    assert not nothing_known(["#4411"], KNOWN)


def test_nothing_to_judge_is_not_unknown():
    assert not nothing_known([], KNOWN)
    assert not nothing_known([" "], KNOWN)
    assert not nothing_known(["asdf"], set())  # an untrained guard never interferes
