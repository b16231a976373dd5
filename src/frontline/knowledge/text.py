"""Search text normalisation: the one function both articles and queries go through.

Pure: strings in, tokens out. Russian words are reduced to Snowball stems, Latin words
(English and Vietnamese) lose their diacritics (``đ`` becomes ``d``) and then get the
English Snowball stem. Both sides of a search use the same steps, so a query typed
without diacritics or in another inflection meets the article's tokens.

>>> search_tokens("Налоговая декларация")
('налогов', 'декларац')
>>> search_tokens("Hóa đơn điện tử")
('hoa', 'don', 'dien', 'tu')
>>> search_tokens("Refunds are processed")
('refund', 'process')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Words too common to tell articles apart; bm25 would weigh them near zero anyway, and
# leaving them out keeps OR queries from touching every row.
STOP_WORDS = frozenset(
    """
    a an and are as at be by can do for from how i if in into is it my of on or our so
    that the their this to was we what when where which who why will with you your
    а без в во да для до же за и из или как ли на не нет но о об от по при с со то у
    что чтобы это я мы вы он она они мой наш ваш как где когда
    và của là có cho các những được không
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Letters, digits and the joiners inside a word ("54-фз" stays one token).
WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
CYRILLIC = re.compile(r"[а-яё]")
MIN_STEMMED_LENGTH = 3


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def fold_diacritics(text: str) -> str:
    """Strip combining marks (Vietnamese tones, é...) and map ``đ`` to ``d``; keeps ``й``, ``ё``.

    >>> fold_diacritics("Tiền thuế đã nộp")
    'Tien thue da nop'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    for char in decomposed:
        # Cyrillic й and ё decompose too; folding them would merge different words.
        keep = not unicodedata.combining(char) or bool(kept and CYRILLIC.match(kept[-1].lower()))
        if keep:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def words(text: str) -> list[str]:
    """Lower-cased NFKC words, ``ё`` read as ``е`` (Russian texts spell both)."""
    normal = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    return WORD.findall(normal)


def stem(word: str) -> str:
    """One word's search token: a Russian or English Snowball stem of the folded word."""
    if CYRILLIC.search(word):
        return str(_stemmer("russian").stemWord(word))
    folded = fold_diacritics(word)
    if len(folded) < MIN_STEMMED_LENGTH or not folded.isascii() or not folded.isalpha():
        return folded
    return str(_stemmer("english").stemWord(folded))


def search_tokens(text: str) -> tuple[str, ...]:
    """The tokens of ``text`` as the index stores them, stop words left out, order kept."""
    tokens = []
    for word in words(text):
        # Only the exact spelling: folded, "so" would also drop Vietnamese "số".
        if word in STOP_WORDS:
            continue
        for part in word.replace("'", "-").split("-"):
            if part:
                tokens.append(stem(part))
    return tuple(token for token in tokens if token)


def search_document(text: str) -> str:
    """``text`` as one space-separated line of tokens, the form stored for the index."""
    return " ".join(search_tokens(text))
