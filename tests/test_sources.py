"""The import scanner that keys the cache: it must find every real import and nothing else."""

from __future__ import annotations

from protokit.compile.sources import Import, scan_imports, scan_package


def names(text: str) -> list[str]:
    return [i.name for i in scan_imports(text.encode())]


def test_plain_public_weak_and_option_imports() -> None:
    text = (
        'syntax = "proto3";\nimport "a.proto";\nimport public "b.proto";\n'
        'import weak "c.proto";\nimport option "d.proto";\n'
    )
    assert names(text) == ["a.proto", "b.proto", "c.proto", "d.proto"]


def test_positions_are_one_based() -> None:
    assert scan_imports(b'syntax = "proto3";\n\n   import "a.proto";\n') == [Import("a.proto", 3, 4)]


def test_import_after_another_statement_on_the_same_line() -> None:
    assert names('syntax = "proto3"; import "a.proto"; import \'b.proto\';\n') == ["a.proto", "b.proto"]


def test_commented_out_imports_are_not_imports() -> None:
    text = '// import "a.proto";\n/* import "b.proto";\n import "c.proto"; */\nimport "d.proto"; // import "e.proto";\n'
    assert names(text) == ["d.proto"]


def test_identifiers_containing_import_are_not_imports() -> None:
    assert names("message reimport { string import_path = 1; }\n") == []


def test_a_slash_star_in_a_line_comment_or_a_string_starts_no_block_comment() -> None:
    text = (
        "// name: projects/*/locations/*\n"
        'import "a.proto";\n'
        'option (x) = "/v1/{name=projects/*}";\n'
        'import "b.proto"; // ends */ nothing\n'
        'x; /* c */ import public "c.proto";\n'
        'string s = "*/ import \\"no.proto\\"; /*";\n'
        '/* unterminated import "no2.proto";\n'
    )
    assert names(text) == ["a.proto", "b.proto", "c.proto"]


def test_the_package_is_read_outside_block_comments() -> None:
    assert scan_package(b"// a/*\n/* package x;\n*/ package y;\n") == "y"
    assert scan_package(b'syntax = "proto3";\n// package z;\n') == ""
