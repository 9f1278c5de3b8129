"""Buf's attribution of block comments that share a line with the code after them.

protoc makes ``/* doc */ message A {}`` a leading comment of ``A`` (and keeps
the comments before it as detached ones); Buf's compiler attaches nothing to
an element whose line has a comment before it, so its COMMENT_* rules ask for
a comment there and a ``buf:lint:ignore`` in it silences nothing.  Only files
where a block comment is followed by code on its line are looked at.
"""

from __future__ import annotations

import re
from typing import Any

from protokit.compile.columns import byte_offset

# The end of a block comment followed by something other than a newline on its line.
_SHARED_LINE = re.compile(rb"\*/[ \t\f\v]*[^ \t\f\v\r\n]")


def _shared_lines(content: bytes) -> set[int]:
    """The 0-based lines where a block comment's end is followed by something (newlines counted between them)."""
    shared = set()
    line = offset = 0
    for match in _SHARED_LINE.finditer(content):
        line += content.count(b"\n", offset, match.start())
        offset = match.start()
        shared.add(line)
    return shared


def drop_shared_line_comments(proto: Any, content: bytes) -> bool:
    """Clear the leading and detached comments of elements that follow a block comment on their line.

    Spans are read in protoc's columns (call this before converting them).
    Returns whether any comment was dropped.
    """
    if b"*" not in content or b"*/" not in content:  # one memchr first: "*/" alone is a slower search
        return False
    shared = _shared_lines(content)
    if not shared:
        return False
    lines = content.split(b"\n")
    dropped = False
    for location in proto.source_code_info.location:
        if not (location.leading_comments or location.leading_detached_comments):
            continue
        line = location.span[0]
        if line in shared and b"*/" in lines[line][: byte_offset(lines[line], location.span[1])]:
            location.ClearField("leading_comments")
            location.ClearField("leading_detached_comments")
            dropped = True
    return dropped
