"""PROTOVALIDATE: protovalidate's ``(buf.validate.*)`` rules are consistent and their CEL compiles."""

from __future__ import annotations

from collections.abc import Iterator

from protokit.checks.registry import Finding, rule
from protokit.diagnostics import ProtokitError
from protokit.index.elements import NO_SPAN, FileView, Span, location_span
from protokit.lint.context import Context


@rule("PROTOVALIDATE", "file")
def protovalidate(ctx: Context, file: FileView) -> Iterator[Finding]:
    """protovalidate rules can be satisfied, fit their fields, and their CEL expressions compile, as Buf checks
    them: rules of the wrong type for a field (``string.min_len`` on an ``int32``),
    minimums above maximums (reported at both), ``const`` beside other rules, ``required`` with ``ignore``,
    patterns Go's regexp package rejects, invalid duration and timestamp bounds, repeated and map rules on
    other fields, ``(buf.validate.message).oneof`` entries naming unknown or repeated fields; every CEL
    expression type-checks (with ``this``, ``rules``, ``rule`` and ``now``) to a bool or a string, ids are
    unique; every ``example`` value satisfies the field's other rules.  Each finding is at the option it is
    about.  Files that do not import ``buf/validate/validate.proto`` cost nothing.

    Why: a rule that can never be satisfied rejects every request at run time, and one that does not compile
    fails every validation; both are only found by the first caller.
    Bad: ``string name = 1 [(buf.validate.field).string = {min_len: 5, max_len: 2}];``
    Good: ``string name = 1 [(buf.validate.field).string = {min_len: 2, max_len: 5}];``
    Fix: correct the rule the message names (at the location given), or remove the redundant one.
    """
    from protokit.validate.check import uses_protovalidate

    if not uses_protovalidate(ctx.imported(file.name)):
        return
    proto = file.proto
    from google.protobuf.message import DecodeError

    from protokit.validate.check import check_file, locate, options_path_of

    try:
        found = check_file(proto, ctx.closure(file.name))
    except DecodeError as exc:  # an option numbered as protovalidate's whose value is something else
        problem = f"its (buf.validate.*) options do not decode as protovalidate's: {exc}"
        raise ProtokitError(f"{file.shown}: {problem}") from None
    except TypeError as exc:  # the file and its imports do not make one descriptor pool with validate.proto
        problem = f"cannot check its protovalidate rules: {str(exc).splitlines()[0]}"
        raise ProtokitError(f"{file.shown}: {problem}") from None
    locations = proto.source_code_info.location
    reported: set[tuple[Span, str]] = set()
    for path, message in found:
        location = locate(locations, options_path_of(path), path)
        span = location_span(location) if location is not None else NO_SPAN
        if (span, message) not in reported:
            reported.add((span, message))
            yield Finding(file, span, message, path)
