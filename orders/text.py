"""Text normalisation shared by the checks: Traditional to Simplified, full-width to ASCII, spacing.

The seeds mix Simplified and Traditional Chinese (大厦/大廈, 学校/學校), and buyers type full-width
digits (１２３) from Chinese input methods. Comparisons and keyword matches run on the output of
``normalise_text`` so that those variants compare equal.
"""

import functools
import re
import unicodedata

from zhconv import zhconv

_SPACES = re.compile(r"[\s\u3000]+")
# Refused in every text a person types: they break pick lists and SMS gateways.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@functools.cache
def _traditional_to_simplified() -> dict[int, str]:
    """A character table built once from zhconv's dictionary (single characters only: fast ``str.translate``)."""
    mapping: dict[int, str] = {}
    for source, target in zhconv.getdict("zh-hans").items():
        if len(source) == 1 and len(target) == 1 and source != target:
            mapping[ord(source)] = target
    return mapping


def to_simplified(text: str) -> str:
    """Traditional characters to Simplified, character by character."""
    return text.translate(_traditional_to_simplified())


@functools.lru_cache(maxsize=8192)
def normalise_text(text: str | None) -> str:
    """NFKC (full-width to ASCII), Simplified characters, lower case, no white space.

    Cached: the same provinces, cities and streets come back with every order of a buyer."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return _SPACES.sub("", text).lower()
