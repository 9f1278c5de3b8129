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
from protokit.compile.sources import block_comments

# What follows a block comment's end on its line when it is code (or another comment), not the line's end.
_SOMETHING_AFTER = re.compile(rb"[ \t\f\v]*[^ \t\f\v\r\n]")


def _shared_lines(content: bytes) -> dict[int, int]:
    """The 0-based lines where a block comment's end is followed by something, with the byte column just after
    the first such comment on the line ("*/" in a string or a line comment ends nothing)."""
    shared: dict[int, int] = {}
    line = offset = 0
    for _, end in block_comments(content):
        if _SOMETHING_AFTER.match(content, end):
            line += content.count(b"\n", offset, end)
            offset = end
            shared.setdefault(line, end - (content.rfind(b"\n", 0, end) + 1))
    return shared


def drop_shared_line_comments(proto: Any, content: bytes) -> bool:
    """Clear the leading and detached comments of elements that follow a block comment on their line.

    Spans are read in protoc's columns (call this before converting them).
    Returns whether any comment was dropped.
    """
    if b"/*" not in content:
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
        if line in shared and shared[line] <= byte_offset(lines[line], location.span[1]):
            location.ClearField("leading_comments")
            location.ClearField("leading_detached_comments")
            dropped = True
    return dropped
