"""The Go formatting Buf's PROTOVALIDATE messages embed: ``%q`` (``strconv.Quote``) and ``%v`` of values."""

from __future__ import annotations

import math
import struct
import unicodedata

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_quote(value: str | bytes) -> str:
    """Go's ``%q`` of a string or ``[]byte``: printable runes (non-ASCII too) literal, the rest escaped,
    invalid UTF-8 bytes as ``\\xNN``."""
    data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else bytes(value)
    out = ['"']
    i = 0
    while i < len(data):
        char = _rune_at(data, i)
        if char is None:
            out.append(f"\\x{data[i]:02x}")
            i += 1
            continue
        i += len(char.encode("utf-8"))
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == " " or (code >= 0x20 and unicodedata.category(char)[0] in "LMNPS"):
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _rune_at(data: bytes, start: int) -> str | None:
    """The UTF-8 character starting at ``start``, or None where the bytes there are not valid UTF-8."""
    for size in (1, 2, 3, 4):
        try:
            char = data[start : start + size].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return char if len(char) == 1 else None
    return None


def go_float(value: float, bits: int = 64) -> str:
    """Go's ``%v`` of a float64 (or float32, ``bits=32``): ``strconv.FormatFloat(v, 'g', -1, bits)``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"
    digits, point = _shortest_digits(abs(value), bits)
    exponent = point - 1
    if exponent < -4 or exponent >= 6:  # Go's shortest 'g' switches to an exponent at these
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    return sign + _positional(digits, point)


def _positional(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * (-point) + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def _shortest_digits(value: float, bits: int) -> tuple[str, int]:
    """The shortest decimal digits that round-trip ``value`` (as float64 or float32) and the position of
    the decimal point (``0.DIGITS × 10**point``)."""
    if bits == 64:
        mantissa, _, exponent = f"{value!r}".partition("e")
        whole, _, fraction = mantissa.partition(".")
        joined = whole + fraction
        stripped = joined.lstrip("0")
        point = len(whole) - (len(joined) - len(stripped)) + int(exponent or 0)
        return stripped.rstrip("0") or "0", point
    single = struct.unpack("f", struct.pack("f", value))[0]
    for precision in range(1, 18):
        text = f"{single:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            mantissa, _, exponent = text.partition("e")
            return mantissa.replace(".", "").rstrip("0") or "0", int(exponent) + 1
    raise ValueError(f"no shortest form of {value}")


def go_bytes(value: bytes) -> str:
    """Go's ``%v`` of a ``[]byte``: the decimal bytes in brackets, ``[1 255]``."""
    return "[" + " ".join(str(b) for b in value) + "]"
