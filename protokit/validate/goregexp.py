"""Go's ``regexp.Compile`` error texts, from a Python port of the parser in Go's ``regexp/syntax`` (flags ``Perl``).

Buf's PROTOVALIDATE rule reports a ``string.pattern`` that Go cannot compile with the text of Go's
``*syntax.Error``: ``error parsing regexp: <code>: `<fragment>```. Only what decides those texts is ported:
the parse itself, with its stack of partial expressions, literal-string merging and alternation factoring,
and the limits Go enforces while parsing (repeat counts, nesting depth, compiled size).

Character classes are kept as range lists as Go keeps them, with two approximations that only matter near
the size and depth limits: a ``\\p{...}`` class stands for its table by an opaque token range instead of
the table's real ranges, and case folding outside ASCII follows Python's case mappings rather than Go's
``unicode.SimpleFold`` tables. The limit on the total number of class runes (over 26,000 ``\\pL`` in one
pattern) is not checked.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

# Error codes (Go's syntax.ErrorCode values).
_INVALID_CHAR_CLASS = "invalid character class"
_INVALID_CHAR_RANGE = "invalid character class range"
_INVALID_ESCAPE = "invalid escape sequence"
_INVALID_NAMED_CAPTURE = "invalid named capture"
_INVALID_PERL_OP = "invalid or unsupported Perl syntax"
_INVALID_REPEAT_OP = "invalid nested repetition operator"
_INVALID_REPEAT_SIZE = "invalid repeat count"
_INVALID_UTF8 = "invalid UTF-8"
_MISSING_BRACKET = "missing closing ]"
_MISSING_PAREN = "missing closing )"
_MISSING_REPEAT_ARGUMENT = "missing argument to repetition operator"
_TRAILING_BACKSLASH = "trailing backslash at end of expression"
_UNEXPECTED_PAREN = "unexpected )"
_NESTING_DEPTH = "expression nests too deeply"
_LARGE = "expression too large"

# Parse flags.
_FOLD_CASE = 1
_CLASS_NL = 4
_DOT_NL = 8
_ONE_LINE = 16
_NON_GREEDY = 32
_PERL_X = 64
_UNICODE_GROUPS = 128
_WAS_DOLLAR = 256
_PERL = _CLASS_NL | _ONE_LINE | _PERL_X | _UNICODE_GROUPS

# Ops, in Go's order (the parser compares them).
(
    _NO_MATCH,
    _EMPTY_MATCH,
    _LITERAL,
    _CHAR_CLASS,
    _ANY_CHAR_NOT_NL,
    _ANY_CHAR,
    _BEGIN_LINE,
    _END_LINE,
    _BEGIN_TEXT,
    _END_TEXT,
    _WORD_BOUNDARY,
    _NO_WORD_BOUNDARY,
    _CAPTURE,
    _STAR,
    _PLUS,
    _QUEST,
    _REPEAT,
    _CONCAT,
    _ALTERNATE,
) = range(1, 20)
_PSEUDO = 128
_LEFT_PAREN = 128
_VERTICAL_BAR = 129

_MAX_RUNE = 0x10FFFF
_RUNE_ERROR = 0xFFFD
_MAX_HEIGHT = 1000
_MAX_SIZE = (128 << 20) // 40
_MAX_REPEAT = 1000
_MIN_FOLD = 0x41
_MAX_FOLD = 0x1E943
# Opaque stand-ins for Unicode tables live above every real rune.
_OPAQUE_BASE = 0x200000

_CATEGORIES = (
    "C Cc Cf Cn Co Cs L Lc Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs"
).split()
_CATEGORY_ALIASES = (
    "Other Control Cntrl Format Unassigned Privateuse Surrogate Letter Casedletter Lowercaseletter Modifierletter"
    " Otherletter Titlecaseletter Uppercaseletter Mark Combiningmark Spacingmark Enclosingmark Nonspacingmark Number"
    " Decimalnumber Digit Letternumber Othernumber Punctuation Punct Connectorpunctuation Dashpunctuation"
    " Closepunctuation Finalpunctuation Initialpunctuation Otherpunctuation Openpunctuation Symbol Currencysymbol"
    " Modifiersymbol Mathsymbol Othersymbol Separator Lineseparator Paragraphseparator Spaceseparator"
).split()
_SCRIPTS = (
    "Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Beria_Erfe"
    " Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham"
    " Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra"
    " Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Garay Georgian Glagolitic Gothic Grantha Greek Gujarati"
    " Gunjala_Gondi Gurmukhi Gurung_Khema Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic"
    " Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li"
    " Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Kirat_Rai Lao Latin Lepcha Limbu Linear_A Linear_B Lisu"
    " Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek"
    " Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean"
    " Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Ol_Onal Old_Hungarian"
    " Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya"
    " Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan"
    " Saurashtra Sharada Shavian Siddham Sidetic SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Sunuwar"
    " Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Tai_Yo Takri Tamil Tangsa Tangut Telugu Thaana"
    " Thai Tibetan Tifinagh Tirhuta Todhri Tolong_Siki Toto Tulu_Tigalari Ugaritic Vai Vithkuqi Wancho Warang_Citi"
    " Yezidi Yi Zanabazar_Square"
).split()

_DIGIT = [0x30, 0x39]
_WORD = [0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A]
_PERL_GROUPS = {
    b"d": _DIGIT,
    b"s": [0x09, 0x0A, 0x0C, 0x0D, 0x20, 0x20],
    b"w": _WORD,
}
_POSIX_GROUPS = {
    b"alnum": [0x30, 0x39, 0x41, 0x5A, 0x61, 0x7A],
    b"alpha": [0x41, 0x5A, 0x61, 0x7A],
    b"ascii": [0x00, 0x7F],
    b"blank": [0x09, 0x09, 0x20, 0x20],
    b"cntrl": [0x00, 0x1F, 0x7F, 0x7F],
    b"digit": _DIGIT,
    b"graph": [0x21, 0x7E],
    b"lower": [0x61, 0x7A],
    b"print": [0x20, 0x7E],
    b"punct": [0x21, 0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B, 0x7E],
    b"space": [0x09, 0x0D, 0x20, 0x20],
    b"upper": [0x41, 0x5A],
    b"word": _WORD,
    b"xdigit": [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
}


def _canonical_name(name: bytes) -> bytes:
    """Go's ``canonicalName``: separators dropped, the first byte upper-cased, the other ASCII letters lower-cased."""
    out = bytearray()
    first = True
    for byte in name:
        if byte in b"_- ":
            continue
        if first:
            out.append(byte - 32 if 0x61 <= byte <= 0x7A else byte)
            first = False
        else:
            out.append(byte + 32 if 0x41 <= byte <= 0x5A else byte)
    return bytes(out)


_TABLE_NAMES = {
    _canonical_name(name.encode()): index
    for index, name in enumerate([*_CATEGORIES, *_CATEGORY_ALIASES, *_SCRIPTS, "Ascii", "Assigned"])
}


class _GoError(Exception):
    """A ``*syntax.Error``: its code and the offending fragment (bytes of the pattern)."""

    def __init__(self, code: str, expr: bytes) -> None:
        super().__init__(code)
        self.code = code
        self.expr = expr


@dataclass(eq=False)
class _Re:
    """A node of the parse (Go's ``*Regexp``), with the size and height caches Go keeps in maps by pointer."""

    op: int
    flags: int = 0
    subs: list[_Re] = field(default_factory=list)
    runes: list[int] = field(default_factory=list)
    min: int = 0
    max: int = 0
    cap: int = 0
    name: bytes = b""
    size: int | None = None
    height: int | None = None


def _decode_rune(data: bytes, i: int) -> tuple[int, int]:
    """Go's ``utf8.DecodeRuneInString(data[i:])``: the rune and its width (``RuneError``, 1 when invalid)."""
    if i >= len(data):
        return _RUNE_ERROR, 0
    lead = data[i]
    if lead < 0x80:
        return lead, 1
    width = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
    try:
        return ord(data[i : i + width].decode("utf-8")), width
    except (UnicodeDecodeError, TypeError):
        return _RUNE_ERROR, 1


def _next_rune(data: bytes, i: int, end: int | None = None) -> tuple[int, int]:
    """Go's ``nextRune`` on ``data[i:end]``: the rune and the index after it, or an invalid UTF-8 error."""
    stop = len(data) if end is None else end
    rune, width = _decode_rune(data[:stop], i)
    if rune == _RUNE_ERROR and width == 1:
        raise _GoError(_INVALID_UTF8, data[i:stop])
    return rune, i + width


def _check_utf8(data: bytes) -> None:
    """Go's ``checkUTF8``: an invalid UTF-8 error from the first bad byte on."""
    i = 0
    while i < len(data):
        _, i = _next_rune(data, i)


def _fold_orbit(rune: int) -> list[int]:
    """The runes simple case folding makes equivalent to ``rune``, sorted (Python's mappings stand in for Go's)."""
    orbit = {rune}
    todo = [rune]
    while todo:
        char = chr(todo.pop())
        for other in (char.lower(), char.upper()):
            if len(other) == 1 and ord(other) not in orbit:
                orbit.add(ord(other))
                todo.append(ord(other))
    for extra in ({0x4B, 0x6B, 0x212A}, {0x53, 0x73, 0x17F}):
        if orbit & extra:
            orbit |= extra
    return sorted(orbit)


def _simple_fold(rune: int) -> int:
    """Go's ``unicode.SimpleFold``: the next larger rune of the fold orbit, wrapping to the smallest."""
    if rune < 0 or rune > _MAX_RUNE:
        return rune
    orbit = _fold_orbit(rune)
    larger = [other for other in orbit if other > rune]
    return larger[0] if larger else orbit[0]


def _append_range(runes: list[int], lo: int, hi: int) -> list[int]:
    """Go's ``appendRange``: extend one of the last two ranges when it touches lo-hi, else append."""
    count = len(runes)
    for back in (2, 4):
        if count >= back:
            rlo, rhi = runes[count - back], runes[count - back + 1]
            if lo <= rhi + 1 and rlo <= hi + 1:
                runes[count - back] = min(lo, rlo)
                runes[count - back + 1] = max(hi, rhi)
                return runes
    runes += [lo, hi]
    return runes


def _append_folded_range(runes: list[int], lo: int, hi: int) -> list[int]:
    """Go's ``appendFoldedRange``: lo-hi and every rune case folding makes equivalent to one in it."""
    if (lo <= _MIN_FOLD and hi >= _MAX_FOLD) or hi < _MIN_FOLD or lo > _MAX_FOLD:
        return _append_range(runes, lo, hi)
    if lo < _MIN_FOLD:
        _append_range(runes, lo, _MIN_FOLD - 1)
        lo = _MIN_FOLD
    if hi > _MAX_FOLD:
        _append_range(runes, _MAX_FOLD + 1, hi)
        hi = _MAX_FOLD
    for rune in range(lo, hi + 1):
        for other in [rune, *(r for r in _fold_orbit(rune) if r != rune)]:
            _append_range(runes, other, other)
    return runes


def _append_class(runes: list[int], other: list[int]) -> list[int]:
    """Go's ``appendClass``."""
    for i in range(0, len(other), 2):
        _append_range(runes, other[i], other[i + 1])
    return runes


def _append_negated_class(runes: list[int], other: list[int]) -> list[int]:
    """Go's ``appendNegatedClass`` (``other`` clean)."""
    next_lo = 0
    for i in range(0, len(other), 2):
        if next_lo <= other[i] - 1:
            _append_range(runes, next_lo, other[i] - 1)
        next_lo = other[i + 1] + 1
    if next_lo <= _MAX_RUNE:
        _append_range(runes, next_lo, _MAX_RUNE)
    return runes


def _clean_class(runes: list[int]) -> list[int]:
    """Go's ``cleanClass``: ranges sorted (lo up, hi down) and merged, in place."""
    pairs = sorted(zip(runes[::2], runes[1::2], strict=True), key=lambda pair: (pair[0], -pair[1]))
    merged: list[int] = []
    for lo, hi in pairs:
        if merged and lo <= merged[-1] + 1:
            merged[-1] = max(merged[-1], hi)
        else:
            merged += [lo, hi]
    runes[:] = merged
    return runes


def _is_char_class(re: _Re) -> bool:
    """Go's ``isCharClass``: a single-rune literal, a class, or a dot."""
    return (re.op == _LITERAL and len(re.runes) == 1) or re.op in (_CHAR_CLASS, _ANY_CHAR_NOT_NL, _ANY_CHAR)


def _match_rune(re: _Re, rune: int) -> bool:
    """Go's ``matchRune``."""
    if re.op == _LITERAL:
        return len(re.runes) == 1 and re.runes[0] == rune
    if re.op == _CHAR_CLASS:
        return any(re.runes[i] <= rune <= re.runes[i + 1] for i in range(0, len(re.runes), 2))
    return re.op == _ANY_CHAR or (re.op == _ANY_CHAR_NOT_NL and rune != 0x0A)


def _append_literal(runes: list[int], rune: int, flags: int) -> list[int]:
    """Go's ``appendLiteral``."""
    if flags & _FOLD_CASE:
        return _append_folded_range(runes, rune, rune)
    return _append_range(runes, rune, rune)


def _merge_char_class(dst: _Re, src: _Re) -> None:
    """Go's ``mergeCharClass``: dst becomes dst|src (dst the more complex)."""
    if dst.op == _ANY_CHAR_NOT_NL and _match_rune(src, 0x0A):
        dst.op = _ANY_CHAR
    elif dst.op == _CHAR_CLASS:
        if src.op == _LITERAL:
            _append_literal(dst.runes, src.runes[0], src.flags)
        else:
            _append_class(dst.runes, src.runes)
    elif dst.op == _LITERAL and not (src.runes[0] == dst.runes[0] and src.flags == dst.flags):
        dst.op = _CHAR_CLASS
        first = dst.runes[0]
        dst.runes = _append_literal([], first, dst.flags)
        _append_literal(dst.runes, src.runes[0], src.flags)


def _clean_alt(re: _Re) -> None:
    """Go's ``cleanAlt``: a class about to join an alternation, cleaned (or turned into a dot)."""
    if re.op != _CHAR_CLASS:
        return
    _clean_class(re.runes)
    if re.runes == [0, _MAX_RUNE]:
        re.runes, re.op = [], _ANY_CHAR
    elif re.runes == [0, 0x09, 0x0B, _MAX_RUNE]:
        re.runes, re.op = [], _ANY_CHAR_NOT_NL


def _equal(x: _Re | None, y: _Re | None) -> bool:
    """Go's ``(*Regexp).Equal``."""
    if x is None or y is None:
        return x is y
    if x.op != y.op:
        return False
    if x.op == _END_TEXT:
        return x.flags & _WAS_DOLLAR == y.flags & _WAS_DOLLAR
    if x.op in (_LITERAL, _CHAR_CLASS):
        return x.runes == y.runes
    if x.op in (_ALTERNATE, _CONCAT):
        return len(x.subs) == len(y.subs) and all(_equal(a, b) for a, b in zip(x.subs, y.subs, strict=True))
    if x.op in (_STAR, _PLUS, _QUEST, _REPEAT):
        same = x.flags & _NON_GREEDY == y.flags & _NON_GREEDY and (x.min, x.max) == (y.min, y.max)
        return same and _equal(x.subs[0], y.subs[0])
    if x.op == _CAPTURE:
        return x.cap == y.cap and x.name == y.name and _equal(x.subs[0], y.subs[0])
    return True


def _repeat_is_valid(re: _Re, limit: int) -> bool:
    """Go's ``repeatIsValid``: nested counted repetitions make at most ``limit`` copies of anything."""
    if re.op == _REPEAT:
        count = re.max
        if count == 0:
            return True
        if count < 0:
            count = re.min
        if count > limit:
            return False
        if count > 0:
            limit //= count
    return all(_repeat_is_valid(sub, limit) for sub in re.subs)


def _parse_int(data: bytes, i: int) -> tuple[int, int] | None:
    """Go's ``parseInt`` at ``data[i:]``: the value (-1 when too big) and the index after the digits."""
    if i >= len(data) or not 0x30 <= data[i] <= 0x39:
        return None
    if data[i] == 0x30 and i + 1 < len(data) and 0x30 <= data[i + 1] <= 0x39:
        return None
    end = i
    while end < len(data) and 0x30 <= data[end] <= 0x39:
        end += 1
    value = 0
    for byte in data[i:end]:
        if value >= 100_000_000:
            value = -1
            break
        value = value * 10 + byte - 0x30
    return value, end


def _unhex(byte: int) -> int:
    """A hex digit's value, or -1."""
    char = chr(byte) if byte < 0x80 else ""
    return int(char, 16) if char and char in "0123456789abcdefABCDEF" else -1


def _isalnum(rune: int) -> bool:
    """ASCII letter or digit."""
    return rune < 0x80 and chr(rune).isalnum()


class _Parser:
    """Go's ``parser``, over the pattern's UTF-8 bytes; positions are indexes where Go keeps suffixes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.flags = _PERL
        self.stack: list[_Re] = []
        self.free: list[_Re] = []
        self.num_cap = 0
        self.num_regexp = 0
        self.repeats = 0
        self.height_on = False
        self.size_on = False
        self.opaque = 0

    # Allocation and limits.

    def new(self, op: int) -> _Re:
        """Go's ``newRegexp``: a node from the free list, or a freshly counted one."""
        if self.free:
            re = self.free.pop()
            re.op, re.flags, re.subs, re.runes = op, 0, [], []
            re.min = re.max = re.cap = 0
            re.name, re.height = b"", None
            return re
        self.num_regexp += 1
        return _Re(op)

    def reuse(self, re: _Re) -> None:
        """Go's ``reuse``: back onto the free list, forgetting its height."""
        re.height = None
        self.free.append(re)

    def check_limits(self, re: _Re) -> None:
        """Go's ``checkLimits`` (but for the rune count)."""
        self.check_size(re)
        self.check_height(re)

    def check_size(self, re: _Re) -> None:
        """Go's ``checkSize``: cheap until repeats times nodes could exceed the budget, then exact."""
        if not self.size_on:
            self.repeats = self.repeats or 1
            if re.op == _REPEAT:
                count = re.max if re.max != -1 else re.min
                count = max(count, 1)
                self.repeats = _MAX_SIZE if count > _MAX_SIZE // self.repeats else self.repeats * count
            if self.num_regexp < _MAX_SIZE // self.repeats:
                return
            self.size_on = True
            for item in list(self.stack):
                self.check_size(item)
        if self.calc_size(re, force=True) > _MAX_SIZE:
            raise _GoError(_LARGE, self.data)

    def calc_size(self, re: _Re, force: bool) -> int:
        """Go's ``calcSize``: the instructions the node compiles to, pessimistically."""
        if not force and re.size is not None:
            return re.size
        size = 0
        if re.op == _LITERAL:
            size = len(re.runes)
        elif re.op in (_CAPTURE, _STAR):
            size = 2 + self.calc_size(re.subs[0], False)
        elif re.op in (_PLUS, _QUEST):
            size = 1 + self.calc_size(re.subs[0], False)
        elif re.op in (_CONCAT, _ALTERNATE):
            size = sum(self.calc_size(sub, False) for sub in re.subs)
            if re.op == _ALTERNATE and len(re.subs) > 1:
                size += len(re.subs) - 1
        elif re.op == _REPEAT:
            sub = self.calc_size(re.subs[0], False)
            if re.max == -1:
                size = 2 + sub if re.min == 0 else 1 + re.min * sub
            else:
                size = re.max * sub + (re.max - re.min)
        re.size = max(1, size)
        return re.size

    def check_height(self, re: _Re) -> None:
        """Go's ``checkHeight``: only once a thousand nodes exist."""
        if self.num_regexp < _MAX_HEIGHT:
            return
        if not self.height_on:
            self.height_on = True
            for item in list(self.stack):
                self.check_height(item)
        if self.calc_height(re, force=True) > _MAX_HEIGHT:
            raise _GoError(_NESTING_DEPTH, self.data)

    def calc_height(self, re: _Re, force: bool) -> int:
        """Go's ``calcHeight``."""
        if not force and re.height is not None:
            return re.height
        re.height = 1 + max((self.calc_height(sub, False) for sub in re.subs), default=0)
        return re.height

    # Stack manipulation.

    def push(self, re: _Re) -> _Re | None:
        """Go's ``push``: single runes become literals, merged into strings as they come."""
        runes = re.runes
        if re.op == _CHAR_CLASS and len(runes) == 2 and runes[0] == runes[1]:
            if self.maybe_concat(runes[0], self.flags & ~_FOLD_CASE):
                return None
            re.op, re.runes, re.flags = _LITERAL, runes[:1], self.flags & ~_FOLD_CASE
        elif re.op == _CHAR_CLASS and self.is_fold_pair(runes):
            if self.maybe_concat(runes[0], self.flags | _FOLD_CASE):
                return None
            re.op, re.runes, re.flags = _LITERAL, runes[:1], self.flags | _FOLD_CASE
        else:
            self.maybe_concat(-1, 0)
        self.stack.append(re)
        self.check_limits(re)
        return re

    @staticmethod
    def is_fold_pair(runes: list[int]) -> bool:
        """A class like ``[Aa]``: one rune and its case-folded other, nothing else."""
        if len(runes) == 4 and runes[0] == runes[1] and runes[2] == runes[3]:
            return _simple_fold(runes[0]) == runes[2] and _simple_fold(runes[2]) == runes[0]
        if len(runes) == 2 and runes[0] + 1 == runes[1]:
            return _simple_fold(runes[0]) == runes[1] and _simple_fold(runes[1]) == runes[0]
        return False

    def maybe_concat(self, rune: int, flags: int) -> bool:
        """Go's ``maybeConcat``: fold the top literal into the one below; reports whether ``rune`` was pushed."""
        if len(self.stack) < 2:
            return False
        re1, re2 = self.stack[-1], self.stack[-2]
        if re1.op != _LITERAL or re2.op != _LITERAL or re1.flags & _FOLD_CASE != re2.flags & _FOLD_CASE:
            return False
        re2.runes = re2.runes + re1.runes
        if rune >= 0:
            re1.runes, re1.flags = [rune], flags
            return True
        self.stack.pop()
        self.reuse(re1)
        return False

    def literal(self, rune: int) -> None:
        """Go's ``literal``."""
        re = self.new(_LITERAL)
        re.flags = self.flags
        if self.flags & _FOLD_CASE and _MIN_FOLD <= rune <= _MAX_FOLD:
            rune = min(_fold_orbit(rune))
        re.runes = [rune]
        self.push(re)

    def op(self, op: int) -> _Re:
        """Go's ``op``: push a node of that op (never merged away)."""
        re = self.new(op)
        re.flags = self.flags
        self.push(re)
        return re

    def repeat(self, op: int, lo: int, hi: int, before: int, after: int, last_repeat: int | None) -> int:
        """Go's ``repeat``: the top of the stack repeated; returns the index after the operator."""
        flags = self.flags
        if self.flags & _PERL_X:
            if after < len(self.data) and self.data[after] == 0x3F:
                after += 1
                flags ^= _NON_GREEDY
            if last_repeat is not None:
                raise _GoError(_INVALID_REPEAT_OP, self.data[last_repeat:after])
        if not self.stack or self.stack[-1].op >= _PSEUDO:
            raise _GoError(_MISSING_REPEAT_ARGUMENT, self.data[before:after])
        re = self.new(op)
        re.min, re.max, re.flags, re.subs = lo, hi, flags, [self.stack[-1]]
        self.stack[-1] = re
        self.check_limits(re)
        if op == _REPEAT and (lo >= 2 or hi >= 2) and not _repeat_is_valid(re, _MAX_REPEAT):
            raise _GoError(_INVALID_REPEAT_SIZE, self.data[before:after])
        return after

    def split_top(self) -> list[_Re]:
        """Pop and return the nodes above the topmost pseudo-operator."""
        i = len(self.stack)
        while i > 0 and self.stack[i - 1].op < _PSEUDO:
            i -= 1
        subs = self.stack[i:]
        del self.stack[i:]
        return subs

    def concat(self) -> None:
        """Go's ``concat``."""
        self.maybe_concat(-1, 0)
        subs = self.split_top()
        self.push(self.collapse(subs, _CONCAT) if subs else self.new(_EMPTY_MATCH))

    def alternate(self) -> None:
        """Go's ``alternate``."""
        subs = self.split_top()
        if subs:
            _clean_alt(subs[-1])
        self.push(self.collapse(subs, _ALTERNATE) if subs else self.new(_NO_MATCH))

    def collapse(self, subs: list[_Re], op: int) -> _Re:
        """Go's ``collapse``: op over subs, flattening nested ops of the same kind (and factoring alternations)."""
        if len(subs) == 1:
            return subs[0]
        re = self.new(op)
        for sub in subs:
            if sub.op == op:
                re.subs += sub.subs
                self.reuse(sub)
            else:
                re.subs.append(sub)
        if op == _ALTERNATE:
            re.subs = self.factor(re.subs)
            if len(re.subs) == 1:
                old, re = re, re.subs[0]
                self.reuse(old)
        return re

    # Alternation factoring.

    def factor(self, subs: list[_Re]) -> list[_Re]:
        """Go's ``factor``: common literal prefixes, common leading classes, runs of classes, runs of empties."""
        if len(subs) < 2:
            return subs
        subs = self.factor_strings(subs)
        subs = self.factor_leading(subs)
        subs = self.factor_classes(subs)
        return [
            sub for i, sub in enumerate(subs) if not (i + 1 < len(subs) and sub.op == subs[i + 1].op == _EMPTY_MATCH)
        ]

    def factor_strings(self, subs: list[_Re]) -> list[_Re]:
        """Round 1: factor out common leading literal strings."""
        out: list[_Re] = []
        start, prefix_flags = 0, 0
        prefix: list[int] = []
        for i in range(len(subs) + 1):
            runes: list[int] = []
            flags = 0
            if i < len(subs):
                runes, flags = self.leading_string(subs[i])
                if flags == prefix_flags:
                    same = 0
                    while same < min(len(prefix), len(runes)) and prefix[same] == runes[same]:
                        same += 1
                    if same > 0:
                        prefix = prefix[:same]
                        continue
            if i == start + 1:
                out.append(subs[start])
            elif i > start + 1:
                head = self.new(_LITERAL)
                head.flags, head.runes = prefix_flags, list(prefix)
                for j in range(start, i):
                    subs[j] = self.remove_leading_string(subs[j], len(prefix))
                    self.check_limits(subs[j])
                out.append(self.factored(head, self.collapse(subs[start:i], _ALTERNATE)))
            start, prefix, prefix_flags = i, runes, flags
        return out

    def factor_leading(self, subs: list[_Re]) -> list[_Re]:
        """Round 2: factor out a common leading class (or fixed repeat of one)."""
        out: list[_Re] = []
        start, first = 0, None
        for i in range(len(subs) + 1):
            leading = None
            if i < len(subs):
                leading = self.leading_regexp(subs[i])
                if first is not None and _equal(first, leading) and self.factorable(first):
                    continue
            if i == start + 1:
                out.append(subs[start])
            elif i > start + 1 and first is not None:
                for j in range(start, i):
                    subs[j] = self.remove_leading_regexp(subs[j], reuse=j != start)
                    self.check_limits(subs[j])
                out.append(self.factored(first, self.collapse(subs[start:i], _ALTERNATE)))
            start, first = i, leading
        return out

    @staticmethod
    def factorable(first: _Re) -> bool:
        """A class, or a fixed repeat of one: safe to factor out of alternatives."""
        fixed = first.op == _REPEAT and first.min == first.max and _is_char_class(first.subs[0])
        return _is_char_class(first) or fixed

    def factor_classes(self, subs: list[_Re]) -> list[_Re]:
        """Round 3: runs of single runes and classes become one class."""
        out: list[_Re] = []
        start = 0
        for i in range(len(subs) + 1):
            if i < len(subs) and _is_char_class(subs[i]):
                continue
            if i == start + 1:
                out.append(subs[start])
            elif i > start + 1:
                best = start
                for j in range(start + 1, i):
                    if (subs[best].op, len(subs[best].runes)) < (subs[j].op, len(subs[j].runes)):
                        best = j
                subs[start], subs[best] = subs[best], subs[start]
                for j in range(start + 1, i):
                    _merge_char_class(subs[start], subs[j])
                    self.reuse(subs[j])
                _clean_alt(subs[start])
                out.append(subs[start])
            if i < len(subs):
                out.append(subs[i])
            start = i + 1
        return out

    def factored(self, prefix: _Re, suffix: _Re) -> _Re:
        """The concatenation prefix-then-suffix a factoring round builds."""
        re = self.new(_CONCAT)
        re.subs = [prefix, suffix]
        return re

    @staticmethod
    def leading_string(re: _Re) -> tuple[list[int], int]:
        """Go's ``leadingString``: the literal a node starts with, and its fold flag."""
        if re.op == _CONCAT and re.subs:
            re = re.subs[0]
        if re.op != _LITERAL:
            return [], 0
        return re.runes, re.flags & _FOLD_CASE

    def remove_leading_string(self, re: _Re, count: int) -> _Re:
        """Go's ``removeLeadingString``."""
        if re.op == _CONCAT and re.subs:
            sub = self.remove_leading_string(re.subs[0], count)
            re.subs[0] = sub
            if sub.op == _EMPTY_MATCH:
                self.reuse(sub)
                if len(re.subs) <= 1:
                    re.op, re.subs = _EMPTY_MATCH, []
                elif len(re.subs) == 2:
                    old, re = re, re.subs[1]
                    self.reuse(old)
                else:
                    del re.subs[0]
            return re
        if re.op == _LITERAL:
            re.runes = re.runes[count:]
            if not re.runes:
                re.op = _EMPTY_MATCH
        return re

    @staticmethod
    def leading_regexp(re: _Re) -> _Re | None:
        """Go's ``leadingRegexp``."""
        if re.op == _EMPTY_MATCH:
            return None
        if re.op == _CONCAT and re.subs:
            return None if re.subs[0].op == _EMPTY_MATCH else re.subs[0]
        return re

    def remove_leading_regexp(self, re: _Re, reuse: bool) -> _Re:
        """Go's ``removeLeadingRegexp``."""
        if re.op == _CONCAT and re.subs:
            if reuse:
                self.reuse(re.subs[0])
            del re.subs[0]
            if not re.subs:
                re.op = _EMPTY_MATCH
            elif len(re.subs) == 1:
                old, re = re, re.subs[0]
                self.reuse(old)
            return re
        if reuse:
            self.reuse(re)
        return self.new(_EMPTY_MATCH)

    # Parsing.

    def parse(self) -> None:
        """Go's ``parse``: raises ``_GoError`` where Go returns an error."""
        data = self.data
        i = 0
        last_repeat: int | None = None
        while i < len(data):
            repeat: int | None = None
            char = data[i : i + 1]
            if char in b"*+?":
                op = {b"*": _STAR, b"+": _PLUS, b"?": _QUEST}[char]
                repeat, i = i, self.repeat(op, 0, 0, i, i + 1, last_repeat)
            elif char == b"{":
                repeat, i = self.parse_brace(i, last_repeat)
            else:
                i = self.parse_atom(i)
            last_repeat = repeat
        self.concat()
        if self.swap_vertical_bar():
            self.stack.pop()
        self.alternate()
        if len(self.stack) != 1:
            raise _GoError(_MISSING_PAREN, data)

    def parse_brace(self, i: int, last_repeat: int | None) -> tuple[int | None, int]:
        """A ``{``: a counted repetition, or a literal brace; returns (repeat start or None, next index)."""
        parsed = self.parse_repeat(i)
        if parsed is None:
            self.literal(0x7B)
            return None, i + 1
        lo, hi, after = parsed
        if lo < 0 or lo > _MAX_REPEAT or hi > _MAX_REPEAT or (hi >= 0 and lo > hi):
            raise _GoError(_INVALID_REPEAT_SIZE, self.data[i:after])
        return i, self.repeat(_REPEAT, lo, hi, i, after, last_repeat)

    def parse_atom(self, i: int) -> int:
        """Everything but repetition operators: returns the index after it."""
        data = self.data
        char = data[i : i + 1]
        if char == b"(":
            if data[i + 1 : i + 2] == b"?":
                return self.parse_perl_flags(i)
            self.num_cap += 1
            self.op(_LEFT_PAREN).cap = self.num_cap
        elif char == b"|":
            self.parse_vertical_bar()
        elif char == b")":
            self.parse_right_paren()
        elif char == b"^":
            self.op(_BEGIN_TEXT if self.flags & _ONE_LINE else _BEGIN_LINE)
        elif char == b"$":
            if self.flags & _ONE_LINE:
                self.op(_END_TEXT).flags |= _WAS_DOLLAR
            else:
                self.op(_END_LINE)
        elif char == b".":
            self.op(_ANY_CHAR if self.flags & _DOT_NL else _ANY_CHAR_NOT_NL)
        elif char == b"[":
            return self.parse_class(i)
        elif char == b"\\":
            return self.parse_backslash(i)
        else:
            rune, i = _next_rune(data, i)
            self.literal(rune)
            return i
        return i + 1

    def parse_backslash(self, i: int) -> int:
        """A backslash outside a class: assertion, ``\\Q...\\E``, class escape or single-rune escape."""
        data = self.data
        simple = {b"A": _BEGIN_TEXT, b"b": _WORD_BOUNDARY, b"B": _NO_WORD_BOUNDARY, b"z": _END_TEXT}
        second = data[i + 1 : i + 2]
        if second in simple:
            self.op(simple[second])
            return i + 2
        if second == b"C":
            raise _GoError(_INVALID_ESCAPE, data[i : i + 2])
        if second == b"Q":
            end = data.find(b"\\E", i + 2)
            stop = len(data) if end < 0 else end
            j = i + 2
            while j < stop:
                rune, j = _next_rune(data, j, stop)
                self.literal(rune)
            return len(data) if end < 0 else end + 2
        re = self.new(_CHAR_CLASS)
        re.flags = self.flags
        if second in (b"p", b"P"):
            runes, rest = self.parse_unicode_class(i, [])
            re.runes = runes
            self.push(re)
            return rest
        perl = self.parse_perl_class_escape(i, [])
        if perl is not None:
            re.runes = perl
            self.push(re)
            return i + 2
        self.reuse(re)
        rune, i = self.parse_escape(i)
        self.literal(rune)
        return i

    def parse_repeat(self, i: int) -> tuple[int, int, int] | None:
        """Go's ``parseRepeat`` at a ``{``: (min, max, index after ``}``); min -1 when a count is too big."""
        data = self.data
        parsed = _parse_int(data, i + 1)
        if parsed is None:
            return None
        lo, i = parsed
        if i >= len(data):
            return None
        hi = lo
        if data[i] == 0x2C:
            i += 1
            if i >= len(data):
                return None
            if data[i] == 0x7D:
                hi = -1
            else:
                parsed = _parse_int(data, i)
                if parsed is None:
                    return None
                hi, i = parsed
                if hi < 0:
                    lo = -1
        if i >= len(data) or data[i] != 0x7D:
            return None
        return lo, hi, i + 1

    def parse_perl_flags(self, i: int) -> int:
        """Go's ``parsePerlFlags`` at ``(?``: a named capture, flag setting or non-capturing group."""
        data = self.data
        rest = len(data) - i
        if (rest > 4 and data[i + 2 : i + 4] == b"P<") or (rest > 3 and data[i + 2] == 0x3C):
            return self.parse_named_capture(i, 4 if data[i + 2] == 0x50 else 3)
        flags, sign, saw_flag = self.flags, 1, False
        j = i + 2
        while j < len(data):
            rune, j = _next_rune(data, j)
            if rune in b"imsU":
                # Perl's m is multi-line: it clears OneLine where the others set their flag.
                if rune == 0x6D:
                    flags &= ~_ONE_LINE
                else:
                    flags |= {0x69: _FOLD_CASE, 0x73: _DOT_NL, 0x55: _NON_GREEDY}[rune]
                saw_flag = True
            elif rune == 0x2D and sign > 0:
                sign, flags, saw_flag = -1, ~flags, False
            elif rune in (0x3A, 0x29) and (sign > 0 or saw_flag):
                if sign < 0:
                    flags = ~flags
                if rune == 0x3A:
                    self.op(_LEFT_PAREN)
                self.flags = flags
                return j
            else:
                break
        raise _GoError(_INVALID_PERL_OP, data[i:j])

    def parse_named_capture(self, i: int, name_start: int) -> int:
        """``(?P<name>`` or ``(?<name>``: a capture with a name of ASCII letters, digits and underscores."""
        data = self.data
        end = data.find(b">", i)
        if end < 0:
            _check_utf8(data[i:])
            raise _GoError(_INVALID_NAMED_CAPTURE, data[i:])
        name = data[i + name_start : end]
        _check_utf8(name)
        if not name or not all(byte == 0x5F or _isalnum(byte) for byte in name):
            raise _GoError(_INVALID_NAMED_CAPTURE, data[i : end + 1])
        self.num_cap += 1
        re = self.op(_LEFT_PAREN)
        re.cap, re.name = self.num_cap, name
        return end + 1

    def parse_vertical_bar(self) -> None:
        """Go's ``parseVerticalBar``."""
        self.concat()
        if not self.swap_vertical_bar():
            self.op(_VERTICAL_BAR)

    def swap_vertical_bar(self) -> bool:
        """Go's ``swapVerticalBar``: move the top below a vertical bar, merging classes on both sides."""
        stack = self.stack
        if len(stack) >= 3 and stack[-2].op == _VERTICAL_BAR and _is_char_class(stack[-1]):
            if _is_char_class(stack[-3]):
                re1, re3 = stack[-1], stack[-3]
                if re1.op > re3.op:
                    re1, re3 = re3, re1
                    stack[-3] = re3
                _merge_char_class(re3, re1)
                self.reuse(re1)
                stack.pop()
                return True
        if len(stack) >= 2 and stack[-2].op == _VERTICAL_BAR:
            if len(stack) >= 3:
                _clean_alt(stack[-3])
            stack[-2], stack[-1] = stack[-1], stack[-2]
            return True
        return False

    def parse_right_paren(self) -> None:
        """Go's ``parseRightParen``."""
        self.concat()
        if self.swap_vertical_bar():
            self.stack.pop()
        self.alternate()
        if len(self.stack) < 2 or self.stack[-2].op != _LEFT_PAREN:
            raise _GoError(_UNEXPECTED_PAREN, self.data)
        re2, re1 = self.stack[-2], self.stack[-1]
        del self.stack[-2:]
        self.flags = re2.flags
        if re2.cap == 0:
            self.push(re1)
        else:
            re2.op, re2.subs = _CAPTURE, [re1]
            self.push(re2)

    def parse_escape(self, i: int) -> tuple[int, int]:
        """Go's ``parseEscape`` at a backslash: the rune and the index after the escape."""
        data = self.data
        if i + 1 >= len(data):
            raise _GoError(_TRAILING_BACKSLASH, b"")
        rune, j = _next_rune(data, i + 1)
        if rune < 0x80 and not _isalnum(rune):
            return rune, j
        if 0x31 <= rune <= 0x37 and not (j < len(data) and 0x30 <= data[j] <= 0x37):
            raise _GoError(_INVALID_ESCAPE, data[i:j])
        if 0x30 <= rune <= 0x37:
            value = rune - 0x30
            for _ in range(2):
                if j >= len(data) or not 0x30 <= data[j] <= 0x37:
                    break
                value, j = value * 8 + data[j] - 0x30, j + 1
            return value, j
        if rune == 0x78:
            return self.parse_hex_escape(i, j)
        controls = {0x61: 0x07, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09, 0x76: 0x0B}
        if rune in controls:
            return controls[rune], j
        raise _GoError(_INVALID_ESCAPE, data[i:j])

    def parse_hex_escape(self, i: int, j: int) -> tuple[int, int]:
        """The rest of ``\\x``: two hex digits or ``{hex digits}``; ``j`` is after the ``x``."""
        data = self.data
        if j >= len(data):
            raise _GoError(_INVALID_ESCAPE, data[i:j])
        rune, j = _next_rune(data, j)
        if rune == 0x7B:
            value, digits = 0, 0
            while True:
                if j >= len(data):
                    raise _GoError(_INVALID_ESCAPE, data[i:j])
                rune, j = _next_rune(data, j)
                if rune == 0x7D:
                    break
                digit = _unhex(rune) if rune < 0x80 else -1
                if digit < 0:
                    raise _GoError(_INVALID_ESCAPE, data[i:j])
                value = value * 16 + digit
                if value > _MAX_RUNE:
                    raise _GoError(_INVALID_ESCAPE, data[i:j])
                digits += 1
            if digits == 0:
                raise _GoError(_INVALID_ESCAPE, data[i:j])
            return value, j
        high = _unhex(rune) if rune < 0x80 else -1
        rune, j = _next_rune(data, j)
        low = _unhex(rune) if rune < 0x80 else -1
        if high < 0 or low < 0:
            raise _GoError(_INVALID_ESCAPE, data[i:j])
        return high * 16 + low, j

    def parse_perl_class_escape(self, i: int, runes: list[int]) -> list[int] | None:
        """Go's ``parsePerlClassEscape``: ``\\d``, ``\\s``, ``\\w`` and negations, appended to ``runes``."""
        letter = self.data[i + 1 : i + 2]
        if self.data[i : i + 1] != b"\\" or letter.lower() not in _PERL_GROUPS:
            return None
        return self.append_group(runes, _PERL_GROUPS[letter.lower()], negate=letter.isupper())

    def append_group(self, runes: list[int], group: list[int], negate: bool) -> list[int]:
        """Go's ``appendGroup``: a (folded, negated) group appended to a class."""
        if self.flags & _FOLD_CASE:
            folded: list[int] = []
            for k in range(0, len(group), 2):
                _append_folded_range(folded, group[k], group[k + 1])
            group = _clean_class(folded)
        return _append_negated_class(runes, group) if negate else _append_class(runes, group)

    def parse_unicode_class(self, i: int, runes: list[int]) -> tuple[list[int], int]:
        """Go's ``parseUnicodeClass`` at ``\\p``/``\\P``: the class and the index after it."""
        data = self.data
        negate = data[i + 1] == 0x50
        _, j = _next_rune(data, i + 2) if i + 2 < len(data) else (0, i + 2)
        if data[i + 2 : i + 3] != b"{":
            seq, name = data[i:j], data[i + 2 : j]
        else:
            end = data.find(b"}", i)
            if end < 0:
                _check_utf8(data[i:])
                raise _GoError(_INVALID_CHAR_RANGE, data[i:])
            seq, name, j = data[i : end + 1], data[i + 3 : end], end + 1
            _check_utf8(name)
        if name.startswith(b"^"):
            negate, name = not negate, name[1:]
        canonical = _canonical_name(name)
        if canonical == b"Any":
            table = [0, _MAX_RUNE]
        elif canonical in _TABLE_NAMES:
            token = _OPAQUE_BASE + 4 * _TABLE_NAMES[canonical]
            table = [token, token, token + 2, token + 2]
        else:
            raise _GoError(_INVALID_CHAR_RANGE, seq)
        return (_append_negated_class if negate else _append_class)(runes, table), j

    def parse_named_class(self, i: int, runes: list[int]) -> tuple[list[int], int] | None:
        """Go's ``parseNamedClass`` at ``[:``: a POSIX class like ``[:alpha:]`` appended to ``runes``."""
        data = self.data
        end = data.find(b":]", i + 2)
        if end < 0:
            return None
        name = data[i : end + 2]
        inner = name[2:-2]
        negate = inner.startswith(b"^")
        group = _POSIX_GROUPS.get(inner[1:] if negate else inner)
        if group is None:
            raise _GoError(_INVALID_CHAR_RANGE, name)
        return self.append_group(runes, group, negate), end + 2

    def parse_class(self, i: int) -> int:
        """Go's ``parseClass`` at ``[``: pushes the class; returns the index after ``]``."""
        data = self.data
        start = i
        i += 1
        re = self.new(_CHAR_CLASS)
        re.flags = self.flags
        negate = data[i : i + 1] == b"^"
        i += negate
        runes: list[int] = []
        first = True
        while i >= len(data) or data[i] != 0x5D or first:
            first = False
            i, runes = self.parse_class_item(start, i, runes)
        re.runes = _clean_class(runes)
        if negate:
            re.runes = _append_negated_class([], re.runes)
        self.push(re)
        return i + 1

    def parse_class_item(self, start: int, i: int, runes: list[int]) -> tuple[int, list[int]]:
        """One item of a class: named class, Unicode or Perl class, character or range."""
        data = self.data
        if data[i : i + 2] == b"[:" and len(data) - i > 2:
            named = self.parse_named_class(i, runes)
            if named is not None:
                return named[1], named[0]
        if data[i : i + 2] in (b"\\p", b"\\P"):
            runes, i = self.parse_unicode_class(i, runes)
            return i, runes
        perl = self.parse_perl_class_escape(i, runes)
        if perl is not None:
            return i + 2, perl
        lo, j = self.parse_class_char(start, i)
        hi = lo
        if len(data) - j >= 2 and data[j] == 0x2D and data[j + 1] != 0x5D:
            hi, j = self.parse_class_char(start, j + 1)
            if hi < lo:
                raise _GoError(_INVALID_CHAR_RANGE, data[i:j])
        if self.flags & _FOLD_CASE:
            return j, _append_folded_range(runes, lo, hi)
        return j, _append_range(runes, lo, hi)

    def parse_class_char(self, start: int, i: int) -> tuple[int, int]:
        """Go's ``parseClassChar``: a rune or escape inside a class."""
        if i >= len(self.data):
            raise _GoError(_MISSING_BRACKET, self.data[start:])
        if self.data[i] == 0x5C:
            return self.parse_escape(i)
        return _next_rune(self.data, i)


def go_regexp_error(pattern: str) -> str | None:
    """The error Go's regexp.Compile(pattern) returns, as its text, or None when Go compiles it.

    The parse errors are Go's exactly; "expression too large" and "expression nests too deeply" follow Go's
    size and height accounting, approximated where the module docstring says.
    """
    data = pattern.encode("utf-8", "surrogatepass")
    limit = sys.getrecursionlimit()
    # The tree walks recurse once a level, and Go allows a thousand levels.
    sys.setrecursionlimit(max(limit, 4 * _MAX_HEIGHT + 1000))
    try:
        _Parser(data).parse()
    except _GoError as error:
        return f"error parsing regexp: {error.code}: `{error.expr.decode('utf-8', 'replace')}`"
    finally:
        sys.setrecursionlimit(limit)
    return None
