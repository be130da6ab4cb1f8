from aimak.legal.text import fold, index_terms, kyrgyz_stem, russian_stem


def test_russian_word_forms_share_a_stem():
    assert russian_stem("бюджета") == russian_stem("бюджет") == russian_stem("Бюджету")
    assert russian_stem("самоуправления") == russian_stem("самоуправление")


def test_kyrgyz_letters_fold_and_endings_are_stripped():
    assert fold("Өз алдынча ЖЕРГИЛИКТҮҮ кеңеш") == "оз алдынча жергиликтуу кенеш"
    assert kyrgyz_stem("мыйзамынын") == "мыйзамы"
    assert kyrgyz_stem("кеңештердин") == kyrgyz_stem("кенештердин") == "кенештер"
    # a stem keeps at least three letters
    assert kyrgyz_stem("ага") == "ага"


def test_index_terms_hold_both_stems_padded():
    terms = index_terms("Бюджетный кодекс", "мыйзамдары")
    assert terms.startswith(" ") and terms.endswith(" ")
    assert " бюджетн " in terms and " кодекс " in terms and " мыйзамдар" in terms
