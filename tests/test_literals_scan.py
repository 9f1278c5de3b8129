"""The literal option scanner finds what trying the option patterns at every place outside strings and comments
finds: a straightforward reference (one alternation, a match per string and comment) on tricky sources."""

from __future__ import annotations

import random
import re

import pytest

from protokit.compile import literals
from protokit.compile.sources import STRINGS_AND_COMMENTS

# Strings and comments first, so that the option alternatives are tried only in code.
_REFERENCE = re.compile(STRINGS_AND_COMMENTS + rb"|" + literals._LITERAL_OPTION.pattern, re.S)

_TRICKY = [
    b'syntax = "proto3";\noption (a.b) = { c: 1 };\n',
    b"// option (a) = {\noption (b) = {};\n",
    b"/* option (a) = {\n  spans lines */ option (b).c = { d: [1, 2] };",
    b"option (a) = { s: \"= {\" t: '} = {' };",
    b"message M { int32 f = 1 [features = { field_presence: EXPLICIT }, (buf.validate.field).string = {min_len: 1}]; }",
    b"// it's\noption features = {};",
    b'/* "unterminated */ option x = {};',
    b"\toption\t(a)\t=\t{\t};\n\t\tfeatures\t=\n{}",
    b"option (a) = { b { c: 1 } d < e: 2 > };\noption (f) = {};",
    b"/* no end\noption (a) = {};",
    b'"no end\noption (a) = {};',
    b"x// comment\n(a).b = {}",
    b"option  = {};option\n(a)\n.b\n=\n{}",
    b"optionfeatures = {} .features = {} a.option (b) = {} (c)(d) = {}",
    b"( .buf.validate.field ).repeated.items = {}; foo=={};",
    b"/**/features={}/*/ (a) = {} */",
    b'"a\\"b = {" (c) = {} \'\\\\\' (d) = {}',
]

# Pieces of sources, "|"-separated.
_PIECES = (
    b"option|option |features|(buf.validate.field)|(foo).bar|( .a.b )| = {|={|=\n{|=|{|}|:|;|[|]|\"|'|\\|/|*|/*|*/|//"
    b'|\n| |\t|x|a.b|1|"s = {"|/* option x = { */|// option y = {\n|(|)|\xc3\xa9'
).split(b"|")


def _reference(content: bytes) -> list[tuple]:
    return [_key(m) for m in _REFERENCE.finditer(content) if m.lastgroup in ("brace", "bracketed_brace")]


def _key(match: re.Match[bytes]) -> tuple:
    return match.span(), match.lastgroup, match.span("name"), match.span("bracketed")


def _random_sources(count: int) -> list[bytes]:
    rng = random.Random(7)
    return [b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 30))) for _ in range(count)]


@pytest.mark.parametrize("content", _TRICKY)
def test_scanner_finds_the_references_literal_options(content: bytes) -> None:
    assert [_key(m) for m in literals._literal_options(content)] == _reference(content)


def test_scanner_matches_the_reference_on_random_sources() -> None:
    for content in _random_sources(1500):
        assert [_key(m) for m in literals._literal_options(content)] == _reference(content), content


def test_positions_count_lines_in_any_order() -> None:
    content = b"a\n\tbc\n\n\t\tx\ny"
    lines = literals._Lines(content)
    for offset in [9, 0, 12, 3, 3, 7, 1, 11, 5]:
        line = content.count(b"\n", 0, offset)
        prefix = content[content.rfind(b"\n", 0, offset) + 1 : offset]
        assert lines.position(offset) == (line, len(prefix.expandtabs(8)))


def test_the_validate_extension_names_are_the_schemas() -> None:
    """Option names are checked against protovalidate's schema only when they end in one of its extensions'
    names (the schema is loaded only then): those names are the schema's."""
    from protokit.compile.literals import VALIDATE_EXTENSIONS
    from protokit.validate.schema import rules_schema

    extensions, _ = rules_schema()
    assert {name.rsplit(".", 1)[-1].encode() for name in extensions} == VALIDATE_EXTENSIONS


@pytest.mark.parametrize(
    "literal",
    [
        b"{}",
        b"{ a: 1 }",
        b'{ get: "/v1/{name=projects/*}" body: "*" }',
        b"{ a: '}' b { c: \"{\" } }",
        b"{ a /* } */ : 1 // }\n b < c: { d: 2 } > }",
        b'{ rules: [{ id: "x" expression: "this.size() > 0 ? \'}\' : \'{\'" }, { id: "y" }] }',
        b'{ a: "one" "two}" b: [1, 2] c: -inf [x.y]: { z: 1 } }',
        b"{\n\tnested { deeper { deepest: true } }\n}",
    ],
)
def test_literal_end_is_where_the_entries_end(literal: bytes) -> None:
    """literal_end (braces outside strings and comments) ends a literal where reading its entries does."""
    content = b"option (a) = " + literal + b"; message M {}"
    brace = content.index(b"{")
    assert literals.literal_end(content, brace) == literals.literal_entries(content, brace)[1]
    assert literals.literal_end(b"option (a) = { b { c: 1 }", 13) is None
