"""Case conversions with Buf's exact word splitting, so checks and suggestions match ``buf lint``."""

from __future__ import annotations

import re
from functools import lru_cache

# Names already in the target case come back unchanged from the conversions; most names are.
_LOWER_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
_UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\Z")
_DELIMITERS = frozenset(".-_ \t\n\r")
_PLAIN = re.compile(r"[^.\-_ \t\n\r]*")  # no delimiter


def _new_word(char: str, on_digits: bool) -> bool:
    return char.isupper() or (on_digits and char.isdigit())


@lru_cache(maxsize=65536)
def _snake(text: str, on_digits: bool) -> str:
    text = text.strip("".join(_DELIMITERS))
    out = ""
    for i, char in enumerate(text):
        if char in _DELIMITERS:
            char = "_"
        if i == 0:
            out += char
        elif (
            _new_word(char, on_digits)
            and out[-1] != "_"
            and (
                (i < len(text) - 1 and not _new_word(text[i + 1], True) and text[i + 1] not in _DELIMITERS)
                or (on_digits and char.isdigit())
                or text[i - 1].islower()
            )
        ):
            out += "_" + char
        elif not (char == "_" and out[-1] == "_"):
            out += char
    return out


def lower_snake(text: str, *, new_word_on_digits: bool = False) -> str:
    """``FooBar`` -> ``foo_bar``."""
    if not new_word_on_digits and _LOWER_SNAKE.match(text):
        return text
    return _snake(text, new_word_on_digits).lower()


def upper_snake(text: str, *, new_word_on_digits: bool = False) -> str:
    """``FooBar`` -> ``FOO_BAR``."""
    if not new_word_on_digits and _UPPER_SNAKE.match(text):
        return text
    return _snake(text, new_word_on_digits).upper()


def pascal(text: str) -> str:
    """``foo_bar`` -> ``FooBar``; a letter after a digit is no new word (``get2fast`` -> ``Get2fast``), as in Buf."""
    if text[:1].isupper() and text.isascii() and _PLAIN.fullmatch(text):  # most names: kept as they are
        return text
    out = ""
    previous = ""
    for i, char in enumerate(text.strip()):
        if char not in _DELIMITERS:
            if i == 0 or previous in _DELIMITERS or char.isupper():
                out += char.upper()
            else:
                out += char.lower()
        previous = char
    return out
