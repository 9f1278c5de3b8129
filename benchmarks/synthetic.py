"""A deterministic, googleapis-scale synthetic contracts tree for benchmarks.

``generate_tree(dest)`` writes a protokit module (``protokit.yaml`` plus
``synth/<area>/<service>/v1/*.proto``) whose shape follows googleapis: several
hundred ``v1`` packages of 5-15 files each, a shared ``synth/type/v1`` package
of common types (money, date, lat/lng, ...) that many files import, imports of
earlier sibling files and, now and then, of an earlier package of the same area
(so there are never import cycles), well-known types used by fields, and
services with unary and streaming RPCs.  Messages have nested messages and
enums, oneofs, repeated and map fields, and comments.  Names follow Buf's
STANDARD lint rules, and a file imports exactly the files whose types it uses.

Generation has two phases.  A sequential *plan* decides the layout: packages,
files, the top-level names each file defines and which files each file
imports.  The *contents* of each package (fields, nested types, services) then
come from a random generator seeded with the seed and the package name, so
packages are generated, rendered and written in parallel, and the same seed
writes the same bytes whatever the number of worker processes.

The element count reported is counted from the model that was written, with the
meaning it has in the compiled descriptors: messages (nested ones and map
entries included), fields, oneofs, enums, enum values, services and methods.

With ``findings=True`` (``--findings``) a third phase changes the model of
each package, with a random generator of its own, so that Buf's STANDARD lint
rules find about ten things per file, as in googleapis (camelCase fields,
unprefixed enum values, RPCs returning ``google.protobuf.Empty``, services
without the ``Service`` suffix, unused imports, ...), silences a few of them
with ``buf:lint:ignore`` comments and writes a ``buf.yaml`` v2 whose
``lint.ignore_only`` lists some files as a baseline.  The first two phases
are the same, so a findings tree is the clean tree of the same seed, changed.

Run as a script: ``python benchmarks/synthetic.py DEST [--files N] [--seed S] [--findings]``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CONFIG = "version: v1\nmodules:\n  - path: .\n"
ROOT = "synth"
TYPE_PACKAGE = f"{ROOT}.type.v1"
ELEMENT_KINDS = ("messages", "fields", "oneofs", "enums", "enum_values", "services", "methods")
TOUCH_PREFIX = "BenchEdit"
TOUCH_GLOB = f"{ROOT}/*/*/v1/*.proto"  # the files touch_one_file chooses from

AREAS = (
    "ads analytics billing catalog cloud commerce compute content data devices finance fleet geo health identity "
    "logistics media messaging network payments retail security storage support travel"
).split()
SERVICE_WORDS = (
    "accounts alerts archive assets audit booking budgets cache calendar campaigns cart checkout claims config "
    "contracts coupons dispatch documents events exports feeds forecast gateway imports insights inventory invoices "
    "jobs ledger loyalty metrics notices orders partners pricing profiles quotas ratings records refunds registry "
    "reports routing schedules search sessions shipments signals tickets tokens transfers vault workflows"
).split()
NOUNS = (
    "account address agent alert amount asset attempt balance batch bid bucket budget bundle campaign card carrier "
    "channel charge claim client cluster comment contact container contract coupon credit customer dataset deadline "
    "device discount document domain draft driver endpoint export feature feed filter flight forecast grant handle "
    "host image incident invoice item job label layer ledger line listing locale lot manifest member merchant metric "
    "model node note notice offer order owner page parcel partner payment payout period plan policy pool price "
    "product profile project promotion quota rating receipt record refund region release report reservation "
    "resource review role route rule schedule segment seller session shipment signal sku slot snapshot stage store "
    "subscription summary target task tax tenant ticket token topic trace transfer trip user vehicle vendor "
    "volume voucher warehouse window zone"
).split()
# Names of resource files ("order_line.proto"); service files are named after their service.
FILE_STEMS = [f"{a}_{b}" if a != b else a for a in NOUNS[::3] for b in NOUNS[1::7]]
# Nested messages have one-word names; top-level ones have two, so a nested name never shadows a top-level one.
NESTED_NOUNS = "Detail Metadata Settings Limits Summary Window Breakdown Usage Status Origin Audit Options".split()
ENUM_SUFFIXES = "State Kind Mode Level Category Tier Phase Channel Source Reason".split()
ENUM_WORDS = (
    "ACTIVE INACTIVE PENDING APPROVED REJECTED ARCHIVED DELETED DRAFT PUBLISHED SUSPENDED EXPIRED FAILED SUCCEEDED "
    "RUNNING QUEUED CANCELLED PAUSED BLOCKED LOW MEDIUM HIGH CRITICAL MANUAL AUTOMATIC INTERNAL EXTERNAL PRIMARY "
    "SECONDARY STANDARD PREMIUM BASIC ADVANCED DAILY WEEKLY MONTHLY YEARLY ONLINE OFFLINE READY PARTIAL"
).split()
ONEOF_NAMES = "selector scope payload origin destination trigger schedule_spec billing_target content".split()
QUALIFIERS = "primary secondary source target parent previous current default fallback linked".split()
SCALAR_ATTRS = (
    "id:string name:string title:string description:string uri:string etag:string count:int32 total:int64 "
    "size_bytes:int64 score:double weight:float ratio:double enabled:bool visible:bool payload:bytes checksum:bytes "
    "position:uint32 sequence:uint64 priority:int32 revision:int64 region_code:string language_code:string "
    "display_name:string note:string tag:string reason:string quantity:int32 offset:sint64 flags:fixed32 "
    "fingerprint:fixed64"
).split()
# Scalar fields as (name, type): each attribute alone and after each noun ("id", "order_id", ...).
SCALAR_FIELDS: tuple[tuple[str, str], ...] = tuple(
    (f"{prefix}{attr}", type_name)
    for attr, type_name in (spec.split(":") for spec in SCALAR_ATTRS)
    for prefix in ["", *(f"{noun}_" for noun in NOUNS)]
)
MAP_NAMES = "labels annotations attributes properties tags counters weights".split()
MAP_KEYS = ("string", "string", "string", "int64", "int32")
MAP_VALUES = ("string", "int64", "double", "bool")

TIMESTAMP = "google.protobuf.Timestamp"
DURATION = "google.protobuf.Duration"
FIELD_MASK = "google.protobuf.FieldMask"
WELL_KNOWN = {
    TIMESTAMP: "google/protobuf/timestamp.proto",
    DURATION: "google/protobuf/duration.proto",
    FIELD_MASK: "google/protobuf/field_mask.proto",
}
# Field names that read naturally for a type; other types give fields named after them.
TYPE_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    TIMESTAMP: ("create_time", "update_time", "delete_time", "expire_time", "start_time", "end_time", "publish_time"),
    DURATION: ("ttl", "timeout", "retention_period", "grace_period", "max_age", "poll_interval"),
    "Money": ("price", "amount", "cost", "fee", "unit_price", "budget_amount"),
    "Date": ("effective_date", "birth_date", "due_date", "start_date", "end_date"),
    "LatLng": ("location", "origin_point", "destination_point", "center"),
    "PostalAddress": ("postal_address", "billing_address", "shipping_address"),
    "PhoneNumber": ("phone_number", "contact_phone", "support_phone"),
    "Interval": ("validity", "active_interval", "reporting_interval"),
    "LocalizedText": ("localized_title", "localized_description", "localized_name"),
    "Decimal": ("exact_amount", "exchange_rate", "tax_rate"),
    "Color": ("brand_color", "background_color", "accent_color"),
    "TimeZone": ("time_zone", "local_time_zone"),
    "DayOfWeek": ("day_of_week", "start_day", "closing_day"),
}
# RPC shapes: verb, client streaming, server streaming.
RPC_VERBS: tuple[tuple[str, bool, bool], ...] = (
    ("Get", False, False),
    ("List", False, False),
    ("Create", False, False),
    ("Update", False, False),
    ("Delete", False, False),
    ("Search", False, False),
    ("Watch", False, True),
    ("Upload", True, False),
    ("Sync", True, True),
    ("Validate", False, False),
)
PACKAGE_FILES = (5, 15)
FILES_PER_SERVICE = 6
RESOURCE_FILE_MESSAGES = (12, 16)
SERVICE_FILE_MESSAGES = (2, 4)
MESSAGE_FIELDS = (6, 16)


# ---------------------------------------------------------------------------
# The model of a file


@dataclass(slots=True)
class Field:
    """A field; ``map_key`` makes it a ``map<map_key, type>``.  Its comment is made when rendered.

    ``ignore`` is a rule that a ``buf:lint:ignore`` line in that comment silences (findings trees only).
    """

    name: str
    type: str
    number: int
    repeated: bool = False
    map_key: str | None = None
    ignore: str = ""


@dataclass(slots=True)
class Oneof:
    """A oneof and its fields."""

    name: str
    comment: str
    fields: list[Field] = field(default_factory=list)


@dataclass(slots=True)
class Enum:
    """An enum; ``values[i]`` has number ``i`` (the first is the ``_UNSPECIFIED`` zero value).

    ``ignores`` maps a value's number to a rule a ``buf:lint:ignore`` comment line above it silences.
    """

    name: str
    comment: str
    values: list[str]
    ignores: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True)
class Message:
    """A message with its nested messages, enums, fields and oneofs."""

    name: str
    comment: str
    fields: list[Field] = field(default_factory=list)
    oneofs: list[Oneof] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    enums: list[Enum] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)  # field and oneof names, without underscores
    last_number: int = 0  # of the fields of the message and of its oneofs


@dataclass(slots=True)
class Rpc:
    """An RPC of a service; its request and response types are ``<name>Request`` and ``<name>Response`` unless set."""

    name: str
    comment: str
    client_streaming: bool
    server_streaming: bool
    request: str = ""
    response: str = ""


@dataclass(slots=True)
class Service:
    """A service; RPC ``X`` takes ``XRequest`` and returns ``XResponse``."""

    name: str
    comment: str
    rpcs: list[Rpc] = field(default_factory=list)


@dataclass(slots=True)
class ProtoFile:
    """One ``.proto`` file: its path relative to the module root and its contents (``go_package`` if not the usual)."""

    path: str
    package: str
    go_package: str = ""
    imports: set[str] = field(default_factory=set)
    messages: list[Message] = field(default_factory=list)
    enums: list[Enum] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A type another file may use: its package, its name in that package and the file defining it."""

    package: str
    name: str
    path: str
    is_enum: bool = False

    def spelled_in(self, package: str) -> str:
        """How a file of ``package`` writes this type."""
        return self.name if package == self.package else f"{self.package}.{self.name}"


@dataclass
class TreeStats:
    """What ``generate_tree`` wrote: counts of files, packages and elements by kind, and bytes of ``.proto``.

    A findings tree also has the lint findings made and those silenced by ``buf:lint:ignore`` comments, by file
    and rule, and the ``ignore_only`` baseline of its ``buf.yaml`` (rule -> files).
    """

    files: int = 0
    packages: int = 0
    bytes: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    findings: dict[str, Counter[str]] = field(default_factory=dict)
    ignored: dict[str, Counter[str]] = field(default_factory=dict)
    baseline: dict[str, list[str]] = field(default_factory=dict)

    @property
    def comment_ignores(self) -> int:
        """The findings silenced by ``buf:lint:ignore`` comments."""
        return sum(rules.total() for rules in self.ignored.values())

    @property
    def elements(self) -> int:
        """Descriptor elements: messages, fields, oneofs, enums, enum values, services and methods."""
        return sum(self.kinds.values())

    def add(self, other: TreeStats) -> None:
        """Add the counts of ``other`` to these."""
        self.files += other.files
        self.packages += other.packages
        self.bytes += other.bytes
        self.kinds.update(other.kinds)
        self.findings.update(other.findings)
        self.ignored.update(other.ignored)


@cache
def snake(name: str) -> str:
    """``OrderLine`` -> ``order_line``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@cache
def pascal(name: str) -> str:
    """``order_line`` -> ``OrderLine``."""
    return "".join(part.capitalize() for part in name.split("_"))


@cache
def words(name: str) -> str:
    """``OrderLine`` or ``order_line`` -> ``order line``, for comments."""
    return snake(name).replace("_", " ")


def plural(noun: str) -> str:
    """A naive English plural, good enough for the nouns used here."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


# ---------------------------------------------------------------------------
# The shared types package

# name, comment, fields as (name, type, repeated)
TYPE_SPECS: tuple[tuple[str, str, tuple[tuple[str, str, bool], ...]], ...] = (
    ("Money", "An amount of money with its currency.",
     (("currency_code", "string", False), ("units", "int64", False), ("nanos", "int32", False))),
    ("Date", "A whole or partial calendar date.",
     (("year", "int32", False), ("month", "int32", False), ("day", "int32", False))),
    ("LatLng", "A latitude/longitude pair in degrees.",
     (("latitude", "double", False), ("longitude", "double", False))),
    ("PostalAddress", "A postal address for deliveries and payments.",
     (("region_code", "string", False), ("postal_code", "string", False), ("locality", "string", False),
      ("address_lines", "string", True), ("recipients", "string", True), ("organization", "string", False))),
    ("PhoneNumber", "A telephone number in international format.",
     (("number", "string", False), ("extension", "string", False))),
    ("Interval", "A time interval: start inclusive, end exclusive.",
     (("start_time", TIMESTAMP, False), ("end_time", TIMESTAMP, False))),
    ("LocalizedText", "Text in a given language.", (("text", "string", False), ("language_code", "string", False))),
    ("Decimal", "An exact decimal number, as a string.", (("value", "string", False),)),
    ("Color", "A color in the RGBA space.",
     (("red", "float", False), ("green", "float", False), ("blue", "float", False), ("alpha", "float", False))),
    ("TimeZone", "A time zone from the IANA database.", (("id", "string", False), ("version", "string", False))),
)  # fmt: skip
DAYS = "MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY".split()


def type_package() -> list[ProtoFile]:
    """The hand-shaped ``synth.type.v1`` package of common types (like ``google.type``)."""
    files = []
    for name, comment, fields in TYPE_SPECS:
        message = Message(name, comment, last_number=len(fields))
        message.fields = [Field(f, t, number, repeated) for number, (f, t, repeated) in enumerate(fields, 1)]
        proto = ProtoFile(f"{ROOT}/type/v1/{snake(name)}.proto", TYPE_PACKAGE, messages=[message])
        proto.imports.update(WELL_KNOWN[t] for _, t, _ in fields if t in WELL_KNOWN)
        files.append(proto)
    day_of_week = Enum("DayOfWeek", "A day of the week.", [f"DAY_OF_WEEK_{d}" for d in ["UNSPECIFIED", *DAYS]])
    files.append(ProtoFile(f"{ROOT}/type/v1/day_of_week.proto", TYPE_PACKAGE, enums=[day_of_week]))
    return files


TYPE_EXPORTS: tuple[TypeRef, ...] = (
    *(TypeRef(TYPE_PACKAGE, name, f"{ROOT}/type/v1/{snake(name)}.proto") for name, _, _ in TYPE_SPECS),
    TypeRef(TYPE_PACKAGE, "DayOfWeek", f"{ROOT}/type/v1/day_of_week.proto", is_enum=True),
)


# ---------------------------------------------------------------------------
# Phase 1: the plan


@dataclass(slots=True)
class Skeleton:
    """The top-level names a file defines, decided before its contents."""

    path: str
    package: str
    messages: list[str]
    enums: list[str]

    def exports(self) -> list[TypeRef]:
        """The types of this file that other files may use."""
        return [TypeRef(self.package, name, self.path) for name in self.messages] + [
            TypeRef(self.package, name, self.path, is_enum=True) for name in self.enums
        ]


@dataclass(slots=True)
class FilePlan:
    """A file to generate: its names, its service (for a service file) and the files it imports.

    ``siblings`` are indexes of earlier files of the package, ``types`` indexes
    into ``TYPE_EXPORTS`` and ``other`` a file of an earlier package of the area.
    """

    skeleton: Skeleton
    service: str | None
    siblings: list[int]
    types: list[int]
    other: Skeleton | None


@dataclass(slots=True)
class PackagePlan:
    """A package to generate: its name and its files (resource files first, then service files)."""

    name: str
    files: list[FilePlan]

    def import_targets(self, plan: FilePlan) -> list[list[TypeRef]]:
        """The exports of each file ``plan`` imports."""
        targets = [self.files[i].skeleton.exports() for i in plan.siblings]
        targets += [[TYPE_EXPORTS[i]] for i in plan.types]
        if plan.other:
            targets.append(plan.other.exports())
        return targets


def package_sizes(rng: random.Random, files: int) -> list[int]:
    """``files`` split into packages of 5-15 files."""
    sizes = []
    while files > 0:
        size = min(rng.randint(*PACKAGE_FILES), files)
        sizes.append(size)
        files -= size
    return sizes


def service_components(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct service directory names: single words first, then ``word_word`` pairs."""
    singles = rng.sample(SERVICE_WORDS, len(SERVICE_WORDS))
    if count <= len(singles):
        return singles[:count]
    pairs = [f"{a}_{b}" for a in SERVICE_WORDS for b in SERVICE_WORDS if a != b]
    return singles + rng.sample(pairs, count - len(singles))


def unique_name(taken: set[str], make: Callable[[], str]) -> str:
    """A name from ``make()`` (a random name factory) that is not in ``taken``, then added to it."""
    for _ in range(100):
        name = make()
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("ran out of names; enlarge the word lists")


class Planner:
    """Plans the packages of a tree in order, so that every import points to an earlier file."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.area_files: dict[str, list[Skeleton]] = {area: [] for area in AREAS}

    def plan(self, files: int) -> list[PackagePlan]:
        """The packages of a tree of ``files`` files, besides the shared types package, round-robin over areas."""
        sizes = package_sizes(self.rng, files)
        per_area = -(-len(sizes) // len(AREAS))
        services = {area: service_components(self.rng, per_area) for area in AREAS}
        return [
            self.package(AREAS[i % len(AREAS)], services[AREAS[i % len(AREAS)]][i // len(AREAS)], size)
            for i, size in enumerate(sizes)
        ]

    def package(self, area: str, service: str, size: int) -> PackagePlan:
        """One package: ``size`` files, of which about one in six has a service."""
        rng = self.rng
        name = f"{ROOT}.{area}.{service}.v1"
        directory = name.replace(".", "/")
        taken: set[str] = set()
        services = max(1, round(size / FILES_PER_SERVICE))
        resources = size - services
        files = []
        for index, stem in enumerate(rng.sample(FILE_STEMS, resources)):
            messages = [self.message_name(taken) for _ in range(rng.randint(*RESOURCE_FILE_MESSAGES))]
            enums = [self.enum_name(taken) for _ in range(rng.randint(1, 2))]
            skeleton = Skeleton(f"{directory}/{stem}.proto", name, messages, enums)
            files.append(self.file(area, skeleton, None, index, 3))
        for index in range(services):
            service_name = self.service_name(service, index, taken)
            messages = [self.message_name(taken) for _ in range(rng.randint(*SERVICE_FILE_MESSAGES))]
            skeleton = Skeleton(f"{directory}/{snake(service_name)}.proto", name, messages, [])
            files.append(self.file(area, skeleton, service_name, resources, 4))
        self.area_files[area].extend(f.skeleton for f in files[:resources])
        return PackagePlan(name, files)

    def file(self, area: str, skeleton: Skeleton, service: str | None, earlier: int, most: int) -> FilePlan:
        """Plan a file's imports: up to ``most`` of the ``earlier`` siblings, shared types, maybe another package."""
        rng = self.rng
        siblings = rng.sample(range(earlier), min(earlier, rng.randint(1, most)))
        types = rng.sample(range(len(TYPE_EXPORTS)), rng.randint(1, 2)) if rng.random() < 0.8 else []
        other_packages = self.area_files[area]
        other = rng.choice(other_packages) if other_packages and rng.random() < 0.25 else None
        return FilePlan(skeleton, service, siblings, types, other)

    def message_name(self, taken: set[str]) -> str:
        """A package-unique two-noun message name such as ``OrderLine``."""
        choice = self.rng.choice
        return unique_name(taken, lambda: pascal(choice(NOUNS)) + pascal(choice(NOUNS)))

    def enum_name(self, taken: set[str]) -> str:
        """A package-unique enum name such as ``OrderState``."""
        choice = self.rng.choice
        return unique_name(taken, lambda: pascal(choice(NOUNS)) + choice(ENUM_SUFFIXES))

    def service_name(self, service: str, index: int, taken: set[str]) -> str:
        """``LedgerService`` for the first service of package ``ledger``, then ``LedgerOrderService`` and so on."""
        base = pascal(service)
        if index == 0 and f"{base}Service" not in taken:
            taken.add(f"{base}Service")
            return f"{base}Service"
        return unique_name(taken, lambda: f"{base}{pascal(self.rng.choice(NOUNS))}Service")


# ---------------------------------------------------------------------------
# Phase 2: the contents


class FileBuilder:
    """Fills in one planned file from the types it may use, recording the imports its fields need."""

    def __init__(self, rng: random.Random, proto: ProtoFile, taken: set[str], imported: list[TypeRef]) -> None:
        self.rng = rng
        self.random = rng.random
        self.proto = proto
        self.taken = taken  # top-level names of the package
        self.imported = imported
        self.service_words = words(proto.package.split(".")[2])
        self.local: list[str] = []
        self.local_enums: list[str] = []

    def pick(self, items: Sequence[T]) -> T:
        """A random item of ``items``: ``Random.choice``, faster (this runs for every field)."""
        return items[int(self.random() * len(items))]

    def use(self, ref: TypeRef) -> str:
        """Spell ``ref`` in this file, importing its file when it is another one."""
        if ref.path != self.proto.path:
            self.proto.imports.add(ref.path)
        return ref.spelled_in(self.proto.package)

    def use_well_known(self, type_name: str) -> str:
        """Spell a well-known type, importing its file."""
        self.proto.imports.add(WELL_KNOWN[type_name])
        return type_name

    # -- fields -------------------------------------------------------------

    @staticmethod
    def add_field(
        target: Message | Oneof,
        owner: Message,
        name: str,
        type_name: str,
        repeated: bool = False,
        map_key: str | None = None,
    ) -> bool:
        """Add ``name`` to ``target`` (``owner`` or one of its oneofs) unless its name (or JSON name) is taken."""
        key = name.replace("_", "")
        if key in owner.taken:
            return False
        owner.taken.add(key)
        owner.last_number += 1
        target.fields.append(Field(name, type_name, owner.last_number, repeated, map_key))
        return True

    def typed_field(self, target: Message | Oneof, owner: Message, ref: TypeRef | str, repeated: bool = False) -> bool:
        """A field of a message or enum type (a ``TypeRef``, or a well-known type's full name).

        The name is checked before the type is used, so a file imports only what its fields use.
        """
        name = self.ref_field_name(ref if isinstance(ref, str) else ref.name)
        if name.replace("_", "") in owner.taken:
            return False
        type_name = self.use_well_known(ref) if isinstance(ref, str) else self.use(ref)
        return self.add_field(target, owner, name, type_name, repeated)

    def scalar_field(self, target: Message | Oneof, owner: Message, repeated: bool = False) -> bool:
        """A string, number, bool or bytes field named after what it holds."""
        name, type_name = SCALAR_FIELDS[int(self.random() * len(SCALAR_FIELDS))]
        return self.add_field(target, owner, name, type_name, repeated)

    def ref_field_name(self, type_name: str) -> str:
        """A field name for a field of type ``type_name`` (short name or well-known full name)."""
        names = TYPE_FIELD_NAMES.get(type_name)
        if names:
            return self.pick(names)
        base = snake(type_name)
        return base if self.random() < 0.5 else f"{self.pick(QUALIFIERS)}_{base}"

    def random_ref(self) -> TypeRef:
        """A type this file may use: a local message or one of the imported files' types."""
        index = int(self.random() * (len(self.local) + len(self.imported)))
        if index < len(self.local):
            return TypeRef(self.proto.package, self.local[index], self.proto.path)
        return self.imported[index - len(self.local)]

    def random_field(self, message: Message) -> bool:
        """One field of a random shape: scalar, message, well-known, enum, repeated or map."""
        roll = self.random()
        repeated = self.random() < 0.15
        if roll < 0.55:
            return self.scalar_field(message, message, repeated)
        if roll < 0.8:
            return self.typed_field(message, message, self.random_ref(), repeated)
        if roll < 0.88:
            return self.typed_field(message, message, TIMESTAMP if self.random() < 0.7 else DURATION)
        if roll < 0.93 and (message.enums or self.local_enums):
            enum = message.enums[0].name if message.enums else self.pick(self.local_enums)
            return self.add_field(message, message, snake(enum), enum, repeated)
        return self.map_field(message)

    def map_field(self, message: Message) -> bool:
        """A ``map<key, value>`` field with a scalar or message value."""
        value = self.pick(self.local) if self.random() < 0.3 else self.pick(MAP_VALUES)
        return self.add_field(message, message, self.pick(MAP_NAMES), value, map_key=self.pick(MAP_KEYS))

    # -- messages and enums ---------------------------------------------------

    def enum(self, name: str, comment: str) -> Enum:
        """An enum with an ``_UNSPECIFIED`` zero value and a few values, all prefixed with the enum name."""
        prefix = snake(name).upper()
        values = self.rng.sample(ENUM_WORDS, self.rng.randint(3, 8))
        return Enum(name, comment, [f"{prefix}_{v}" for v in ["UNSPECIFIED", *values]])

    def nested_message(self, parent: Message) -> Message:
        """A nested message of scalar fields."""
        name = self.pick(NESTED_NOUNS)
        nested = Message(name, f"{name} of a {words(parent.name)}.")
        for _ in range(self.rng.randint(3, 8)):
            self.scalar_field(nested, nested)
        return nested

    def oneof(self, message: Message) -> None:
        """A oneof of two to four scalar or message fields (none at all when the names clash)."""
        name = self.pick(ONEOF_NAMES)
        if name.replace("_", "") in message.taken:
            return
        message.taken.add(name.replace("_", ""))
        oneof = Oneof(name, f"The {words(name)} of the {words(message.name)}; exactly one is set.")
        message.oneofs.append(oneof)
        wanted = self.rng.randint(2, 4)
        for _ in range(2 * wanted):
            if len(oneof.fields) == wanted:
                break
            if self.random() < 0.3:
                self.typed_field(oneof, message, self.random_ref())
            else:
                self.scalar_field(oneof, message)
        if not oneof.fields:
            message.oneofs.pop()

    def resource_message(self, name: str) -> Message:
        """A top-level message with fields and, sometimes, a nested message, a nested enum and a oneof."""
        message = Message(name, f"A {words(name)}.\n{name} records are owned by the {self.service_words} service.")
        if self.random() < 0.5:
            message.messages.append(self.nested_message(message))
        if self.random() < 0.35:
            suffix = self.pick(ENUM_SUFFIXES)
            message.enums.append(self.enum(suffix, f"The {words(suffix)} of a {words(name)}."))
        self.add_field(message, message, "name", "string")
        for _ in range(self.rng.randint(*MESSAGE_FIELDS)):
            self.random_field(message)
        for nested in message.messages:
            self.typed_field(message, message, TypeRef(self.proto.package, nested.name, self.proto.path))
        if self.random() < 0.35:
            self.oneof(message)
        return message

    # -- files --------------------------------------------------------------

    def resource_file(self, skeleton: Skeleton, required: list[TypeRef]) -> None:
        """The planned enums and resource messages, using each of ``required``."""
        self.proto.enums = [self.enum(name, f"The {words(name)}.") for name in skeleton.enums]
        self.local_enums = skeleton.enums
        self.local = skeleton.messages
        self.proto.messages = [self.resource_message(name) for name in skeleton.messages]
        self.require(required)

    def service_file(self, skeleton: Skeleton, service_name: str, required: list[TypeRef]) -> None:
        """A service of several RPCs on the package's resources, their requests and responses, a few messages."""
        self.local = skeleton.messages
        self.proto.messages = [self.resource_message(name) for name in skeleton.messages]
        subjects = [r for r in self.imported if r.package == self.proto.package and not r.is_enum]
        subjects += [TypeRef(self.proto.package, n, self.proto.path) for n in skeleton.messages]
        service = Service(
            service_name,
            f"Manages {words(service_name.removesuffix('Service'))} resources.\n"
            "All methods are idempotent unless stated otherwise.",
        )
        for _ in range(self.rng.randint(4, 8)):
            self.rpc(service, self.pick(subjects))
        self.proto.services.append(service)
        self.require(required)

    def require(self, required: list[TypeRef]) -> None:
        """Use each type of ``required`` in a field of a random top-level message (this imports its file)."""
        for ref in required:
            for _ in range(10):
                message = self.pick(self.proto.messages)
                if self.typed_field(message, message, ref):
                    break

    def rpc(self, service: Service, subject: TypeRef) -> None:
        """An RPC on ``subject`` with its request and response messages (none if the name is taken)."""
        verb, client_streaming, server_streaming = self.pick(RPC_VERBS)
        noun = subject.name
        name = f"{verb}{plural(noun) if verb in ('List', 'Search') else noun}"
        if f"{name}Request" in self.taken:
            return
        self.taken.update((f"{name}Request", f"{name}Response"))
        request = Message(f"{name}Request", f"The request for {service.name}.{name}.")
        response = Message(f"{name}Response", f"The response of {service.name}.{name}.")
        self.request_fields(verb, request, subject)
        self.response_fields(verb, response, subject)
        for message in (request, response):
            for _ in range(self.rng.randint(1, 4)):
                self.scalar_field(message, message)
            self.proto.messages.append(message)
        service.rpcs.append(Rpc(name, f"{verb} {words(noun)} resources.", client_streaming, server_streaming))

    def request_fields(self, verb: str, request: Message, subject: TypeRef) -> None:
        """The fields a request of ``verb`` carries."""
        if verb in ("List", "Search"):
            for field_name, type_name in (
                ("parent", "string"),
                ("page_size", "int32"),
                ("page_token", "string"),
                ("filter", "string"),
                ("order_by", "string"),
            ):
                self.add_field(request, request, field_name, type_name)
        elif verb in ("Get", "Delete", "Watch"):
            self.add_field(request, request, "name", "string")
        else:
            self.add_field(request, request, snake(subject.name), self.use(subject))
        if verb == "Update":
            self.add_field(request, request, "update_mask", self.use_well_known(FIELD_MASK))

    def response_fields(self, verb: str, response: Message, subject: TypeRef) -> None:
        """The fields a response of ``verb`` carries."""
        if verb in ("List", "Search"):
            self.add_field(response, response, plural(snake(subject.name)), self.use(subject), repeated=True)
            self.add_field(response, response, "next_page_token", "string")
        elif verb != "Delete":
            self.add_field(response, response, snake(subject.name), self.use(subject))


def build_package(plan: PackagePlan, seed: int) -> list[ProtoFile]:
    """The files of a planned package, from a random generator of its own (seeded with ``seed`` and its name)."""
    rng = random.Random(f"{seed}:{plan.name}")
    taken = {name for f in plan.files for name in (*f.skeleton.messages, *f.skeleton.enums, f.service) if name}
    protos = []
    for file in plan.files:
        proto = ProtoFile(file.skeleton.path, plan.name)
        targets = plan.import_targets(file)
        builder = FileBuilder(rng, proto, taken, [ref for refs in targets for ref in refs])
        required = [rng.choice(refs) for refs in targets]
        if file.service:
            builder.service_file(file.skeleton, file.service, required)
        else:
            builder.resource_file(file.skeleton, required)
        protos.append(proto)
    return protos


# ---------------------------------------------------------------------------
# Phase 3 (findings trees only): lint findings, comment ignores and a baseline

IGNORE = "buf:lint:ignore"
EMPTY = "google.protobuf.Empty"
EMPTY_FILE = "google/protobuf/empty.proto"
UNUSED_IMPORTS = ("google/protobuf/any.proto", "google/protobuf/struct.proto", "google/protobuf/wrappers.proto")
# The chance that one element of the kind a change applies to is changed so that it breaks a STANDARD rule.
RATES = {
    "FIELD_LOWER_SNAKE_CASE": 0.03,  # a field whose name has an underscore: camelCase
    "UNPREFIXED_ENUM": 0.12,  # a nested enum: ENUM_VALUE_PREFIX on each non-zero value, as is common in googleapis
    "ENUM_VALUE_PREFIX": 0.04,  # a non-zero value of a top-level enum: its prefix moved to the end
    "ENUM_VALUE_UPPER_SNAKE_CASE": 0.03,  # a non-zero value: ORDER_STATE_Active
    "ENUM_ZERO_VALUE_SUFFIX": 0.1,  # an enum: its zero value ends with _UNKNOWN
    "ENUM_PASCAL_CASE": 0.08,  # a nested enum: a trailing underscore (State_; Buf takes STATE for PascalCase)
    "MESSAGE_PASCAL_CASE": 0.1,  # a nested message: a trailing underscore (Detail_)
    "ONEOF_LOWER_SNAKE_CASE": 0.15,  # a oneof: camelCase, or capitalized when it is one word
    "SERVICE_SUFFIX": 0.15,  # a service: named ...Api
    "RPC_PASCAL_CASE": 0.05,  # an RPC: named in snake_case
    "RPC_RESPONSE_STANDARD_NAME": 0.1,  # an RPC: returns google.protobuf.Empty ...
    "EMPTY_DELETE": 0.6,  # ... and a Delete RPC more often
    "RPC_REQUEST_STANDARD_NAME": 0.08,  # an RPC after the first of its service: takes the previous RPC's request
    "IMPORT_USED": 0.15,  # a file: imports a well-known file it does not use
    "PACKAGE_SAME_GO_PACKAGE": 0.02,  # a file: a go_package other than that of the other files of its package
    "FILE_LOWER_SNAKE_CASE": 0.2,  # a service file (no file imports one): a PascalCase file name
    "PACKAGE_VERSION_SUFFIX": 0.05,  # a package that no other package imports: without its v1
}
# Rules found on the element that was changed, so that a comment on it can silence them; and how often one does.
COMMENT_IGNORABLE = frozenset(
    "FIELD_LOWER_SNAKE_CASE ENUM_VALUE_UPPER_SNAKE_CASE ENUM_ZERO_VALUE_SUFFIX ENUM_PASCAL_CASE MESSAGE_PASCAL_CASE "
    "ONEOF_LOWER_SNAKE_CASE SERVICE_SUFFIX RPC_PASCAL_CASE".split()
)
COMMENT_IGNORE_RATE = 0.1
BASELINE_RATE = 0.04  # of the files with findings: listed under lint.ignore_only for one of their rules


def camel(name: str) -> str:
    """``order_line`` -> ``orderLine``."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def rename_type(message: Message, old: str, new: str) -> None:
    """Make the fields of ``message`` (its oneofs' too) of type ``old`` use ``new``."""
    for f in [*message.fields, *(f for oneof in message.oneofs for f in oneof.fields)]:
        if f.type == old:
            f.type = new


def drop_version(protos: list[ProtoFile]) -> None:
    """Move a package out of its ``v1`` directory and drop the ``.v1`` of its name (no other package imports it)."""
    old = protos[0].path.rsplit("/", 1)[0] + "/"
    new = old.removesuffix("v1/")
    for proto in protos:
        proto.package = proto.package.removesuffix(".v1")
        proto.path = new + proto.path.removeprefix(old)
        proto.imports = {new + path.removeprefix(old) if path.startswith(old) else path for path in proto.imports}


class FindingMaker:
    """Changes the model of one package so that Buf's STANDARD lint rules find things in it, and counts them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.found: Counter[str] = Counter()  # in the file being changed
        self.ignored: Counter[str] = Counter()  # in the file being changed, silenced by comments

    def hit(self, change: str) -> bool:
        """Whether to make a change (a key of ``RATES``) to the element at hand."""
        return self.rng.random() < RATES[change]

    def found_one(self, rule: str) -> str:
        """Count a finding of ``rule``; ``rule`` when a comment on its element is to silence it, else ``""``."""
        if rule in COMMENT_IGNORABLE and self.rng.random() < COMMENT_IGNORE_RATE:
            self.ignored[rule] += 1
            return rule
        self.found[rule] += 1
        return ""

    def commented(self, text: str, rule: str) -> str:
        """Count a finding of ``rule`` on an element with comment ``text``; the comment, with an ignore if any."""
        ignore = self.found_one(rule)
        return f"{text}\n{IGNORE} {ignore}" if ignore else text

    def package(self, protos: list[ProtoFile], unversioned: bool, stats: TreeStats) -> None:
        """Change the files of a package (and its name when ``unversioned``); add what was found to ``stats``."""
        if unversioned:
            drop_version(protos)
        for proto in protos:
            self.found, self.ignored = Counter(), Counter()
            if unversioned:
                self.found_one("PACKAGE_VERSION_SUFFIX")
            self.file(proto)
            stats.findings[proto.path], stats.ignored[proto.path] = self.found, self.ignored
        if any(proto.go_package for proto in protos):  # found in every file of the package
            for proto in protos:
                stats.findings[proto.path]["PACKAGE_SAME_GO_PACKAGE"] = 1

    def file(self, proto: ProtoFile) -> None:
        """Change the elements of a file, then its imports, options and name."""
        for message in proto.messages:
            self.message(message)
        for enum in proto.enums:
            self.enum(enum, nested=False)
        for service in proto.services:
            self.service(proto, service)
        if self.hit("IMPORT_USED"):
            proto.imports.add(self.rng.choice(UNUSED_IMPORTS))
            self.found_one("IMPORT_USED")
        if self.hit("PACKAGE_SAME_GO_PACKAGE"):
            proto.go_package = f"example.com/synth/legacy/{proto.package.replace('.', '/')};legacypb"
        if proto.services and self.hit("FILE_LOWER_SNAKE_CASE"):
            directory, _, name = proto.path.rpartition("/")
            proto.path = f"{directory}/{pascal(name.removesuffix('.proto'))}.proto"
            self.found_one("FILE_LOWER_SNAKE_CASE")

    def message(self, message: Message) -> None:
        """Change a message's nested types, fields and oneofs."""
        for nested in message.messages:
            if self.hit("MESSAGE_PASCAL_CASE"):
                rename_type(message, nested.name, nested.name + "_")
                nested.name += "_"
                nested.comment = self.commented(nested.comment, "MESSAGE_PASCAL_CASE")
            self.fields(nested)
        for enum in message.enums:
            if self.hit("ENUM_PASCAL_CASE"):
                rename_type(message, enum.name, enum.name + "_")
                enum.name += "_"  # its values keep their prefix: STATE_ is right for State_ too
                enum.comment = self.commented(enum.comment, "ENUM_PASCAL_CASE")
            self.enum(enum, nested=True)
        self.fields(message)
        nested_names = {nested.name for nested in message.messages}
        for oneof in message.oneofs:
            name = camel(oneof.name) if "_" in oneof.name else oneof.name.capitalize()
            if name not in nested_names and self.hit("ONEOF_LOWER_SNAKE_CASE"):
                oneof.name = name
                oneof.comment = self.commented(oneof.comment, "ONEOF_LOWER_SNAKE_CASE")

    def fields(self, message: Message) -> None:
        """Give some fields of a message (its oneofs' too) camelCase names."""
        for f in [*message.fields, *(f for oneof in message.oneofs for f in oneof.fields)]:
            if "_" in f.name and self.hit("FIELD_LOWER_SNAKE_CASE"):
                f.name = camel(f.name)
                f.ignore = self.found_one("FIELD_LOWER_SNAKE_CASE")

    def enum(self, enum: Enum, nested: bool) -> None:
        """Change the values of an enum: unprefixed (nested enums only), the prefix moved, mixed case, zero value."""
        values = enum.values
        prefix = values[0].removesuffix("UNSPECIFIED")
        if nested and self.hit("UNPREFIXED_ENUM"):
            values[1:] = [value.removeprefix(prefix) for value in values[1:]]
            self.found["ENUM_VALUE_PREFIX"] += len(values) - 1
        for number, value in enumerate(values[1:], 1):
            word = value.removeprefix(prefix)
            if word == value:
                continue
            if not nested and self.hit("ENUM_VALUE_PREFIX"):
                values[number] = f"{word}_{prefix[:-1]}"
                self.found_one("ENUM_VALUE_PREFIX")
            elif self.hit("ENUM_VALUE_UPPER_SNAKE_CASE"):
                values[number] = prefix + word.capitalize()
                if ignore := self.found_one("ENUM_VALUE_UPPER_SNAKE_CASE"):
                    enum.ignores[number] = ignore
        if self.hit("ENUM_ZERO_VALUE_SUFFIX"):
            values[0] = f"{prefix}UNKNOWN"
            if ignore := self.found_one("ENUM_ZERO_VALUE_SUFFIX"):
                enum.ignores[0] = ignore

    def service(self, proto: ProtoFile, service: Service) -> None:
        """Change a service's name and its RPCs' names and types; count the requests and responses used twice."""
        if self.hit("SERVICE_SUFFIX"):
            service.name = service.name.removesuffix("Service") + "Api"
            service.comment = self.commented(service.comment, "SERVICE_SUFFIX")
        previous = ""
        for rpc in service.rpcs:
            rpc.request, rpc.response = f"{rpc.name}Request", f"{rpc.name}Response"
            if previous and self.hit("RPC_REQUEST_STANDARD_NAME"):
                rpc.request = previous
                self.found_one("RPC_REQUEST_STANDARD_NAME")
            if self.hit("EMPTY_DELETE" if rpc.name.startswith("Delete") else "RPC_RESPONSE_STANDARD_NAME"):
                rpc.response = EMPTY
                proto.imports.add(EMPTY_FILE)
                self.found_one("RPC_RESPONSE_STANDARD_NAME")
            if self.hit("RPC_PASCAL_CASE"):
                rpc.name = snake(rpc.name)
                rpc.comment = self.commented(rpc.comment, "RPC_PASCAL_CASE")
            previous = rpc.request
        users = Counter(type_name for rpc in service.rpcs for type_name in {rpc.request, rpc.response})
        shared = [t for rpc in service.rpcs for t in {rpc.request, rpc.response} if users[t] > 1 or t == EMPTY]
        if shared:  # Empty counts as shared: other files of the tree return it too
            self.found["RPC_REQUEST_RESPONSE_UNIQUE"] += len(shared)


def unversioned_packages(plans: list[PackagePlan], seed: int) -> frozenset[str]:
    """The packages to be made without a version suffix: some of those no other package imports."""
    imported = {f.other.package for plan in plans for f in plan.files if f.other}
    rng = random.Random(f"{seed}:unversioned")
    return frozenset(
        plan.name for plan in plans if plan.name not in imported and rng.random() < RATES["PACKAGE_VERSION_SUFFIX"]
    )


def choose_baseline(stats: TreeStats, seed: int) -> dict[str, list[str]]:
    """An ``ignore_only`` baseline: some files with findings, each under one of the rules found in it (one that no
    comment in the file ignores, so that every ignore silences something)."""
    rng = random.Random(f"{seed}:baseline")
    rules = {path: sorted(set(found) - set(stats.ignored[path])) for path, found in stats.findings.items()}
    files = sorted(path for path, choices in rules.items() if choices)
    baseline: dict[str, list[str]] = {}
    for path in sorted(rng.sample(files, min(len(files), max(1, round(len(files) * BASELINE_RATE))))):
        baseline.setdefault(rng.choice(rules[path]), []).append(path)
    return dict(sorted(baseline.items()))


def buf_config(baseline: dict[str, list[str]], comment_ignores: bool = True) -> str:
    """The ``buf.yaml`` v2 of a findings tree: the STANDARD rules, ``baseline`` as ``ignore_only``."""
    lines = ["version: v2", "lint:", "  use:", "    - STANDARD"]
    if not comment_ignores:
        lines.append("  disallow_comment_ignores: true")
    if baseline:
        lines.append("  ignore_only:")
        for rule, paths in baseline.items():
            lines += [f"    {rule}:", *(f"      - {path}" for path in paths)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Rendering and counting


def render(proto: ProtoFile) -> str:
    """The ``.proto`` source of ``proto``."""
    package = proto.package
    parts = package.split(".")
    lines = [
        "// Generated by benchmarks/synthetic.py for protokit benchmarks. DO NOT EDIT.",
        "",
        'syntax = "proto3";',
        "",
        f"package {package};",
        "",
    ]
    if proto.imports:
        lines += [f'import "{path}";' for path in sorted(proto.imports)] + [""]
    go_package = proto.go_package or f"example.com/synth/genproto/{'/'.join(parts[1:])};{parts[-2]}pb"
    lines += [
        f'option go_package = "{go_package}";',
        "option java_multiple_files = true;",
        f'option java_package = "com.example.{package}";',
        "",
    ]
    for service in proto.services:
        render_service(service, lines)
    for enum in proto.enums:
        render_enum(enum, lines, "")
    for message in proto.messages:
        render_message(message, lines, "")
    return "\n".join(lines)


def comment(text: str, indent: str, lines: list[str]) -> None:
    """Append ``text`` as ``//`` comment lines."""
    lines.extend(f"{indent}// {line}" for line in text.split("\n"))


def render_service(service: Service, lines: list[str]) -> None:
    """Append a service definition."""
    comment(service.comment, "", lines)
    lines.append(f"service {service.name} {{")
    for rpc in service.rpcs:
        request = f"{'stream ' if rpc.client_streaming else ''}{rpc.request or rpc.name + 'Request'}"
        response = f"{'stream ' if rpc.server_streaming else ''}{rpc.response or rpc.name + 'Response'}"
        comment(rpc.comment, "  ", lines)
        lines.append(f"  rpc {rpc.name}({request}) returns ({response});")
    lines += ["}", ""]


def render_enum(enum: Enum, lines: list[str], indent: str) -> None:
    """Append an enum definition."""
    comment(enum.comment, indent, lines)
    lines.append(f"{indent}enum {enum.name} {{")
    lines.append(f"{indent}  // Not set.")
    for number, value in enumerate(enum.values):
        if number in enum.ignores:
            lines.append(f"{indent}  // {IGNORE} {enum.ignores[number]}")
        lines.append(f"{indent}  {value} = {number};")
    lines += [f"{indent}}}", ""]


def render_field(f: Field, owner: str, indent: str) -> str:
    """One field declaration of message ``owner`` (in words), with its comment line."""
    if f.map_key:
        type_name = f"map<{f.map_key}, {f.type}>"
    else:
        type_name = f"repeated {f.type}" if f.repeated else f.type
    ignore = f"{indent}// {IGNORE} {f.ignore}\n" if f.ignore else ""
    return f"{ignore}{indent}// The {words(f.name)} of the {owner}.\n{indent}{type_name} {f.name} = {f.number};"


def render_message(message: Message, lines: list[str], indent: str) -> None:
    """Append a message definition with its nested types, fields and oneofs."""
    inner = indent + "  "
    owner = words(message.name)
    comment(message.comment, indent, lines)
    lines.append(f"{indent}message {message.name} {{")
    for enum in message.enums:
        render_enum(enum, lines, inner)
    for nested in message.messages:
        render_message(nested, lines, inner)
    lines.extend(render_field(f, owner, inner) for f in message.fields)
    for oneof in message.oneofs:
        comment(oneof.comment, inner, lines)
        lines.append(f"{inner}oneof {oneof.name} {{")
        lines.extend(render_field(f, owner, inner + "  ") for f in oneof.fields)
        lines.append(f"{inner}}}")
    lines += [f"{indent}}}", ""]


def count_message(message: Message, kinds: Counter[str]) -> None:
    """Add ``message``'s elements to ``kinds`` (a map field is a field plus an entry message of two fields)."""
    fields = message.fields + [f for o in message.oneofs for f in o.fields]
    maps = sum(1 for f in fields if f.map_key)
    kinds["messages"] += 1 + maps
    kinds["fields"] += len(fields) + 2 * maps
    kinds["oneofs"] += len(message.oneofs)
    for enum in message.enums:
        count_enum(enum, kinds)
    for nested in message.messages:
        count_message(nested, kinds)


def count_enum(enum: Enum, kinds: Counter[str]) -> None:
    """Add ``enum``'s elements to ``kinds``."""
    kinds["enums"] += 1
    kinds["enum_values"] += len(enum.values)


def count_file(proto: ProtoFile, kinds: Counter[str]) -> None:
    """Add the descriptor elements of ``proto`` to ``kinds``."""
    for message in proto.messages:
        count_message(message, kinds)
    for enum in proto.enums:
        count_enum(enum, kinds)
    kinds["services"] += len(proto.services)
    kinds["methods"] += sum(len(s.rpcs) for s in proto.services)


def write_files(dest: Path, protos: list[ProtoFile]) -> TreeStats:
    """Render and write the files of one package under ``dest``; what was written."""
    stats = TreeStats(files=len(protos), packages=1)
    (dest / protos[0].path).parent.mkdir(parents=True)
    for proto in protos:
        data = render(proto).encode()
        (dest / proto.path).write_bytes(data)
        stats.bytes += len(data)
        count_file(proto, stats.kinds)
    return stats


def write_package(dest: Path, seed: int, unversioned: frozenset[str] | None, plan: PackagePlan) -> TreeStats:
    """Generate and write one planned package (in a worker process), with lint findings unless ``unversioned``
    (the packages to write without a version suffix) is None."""
    protos = build_package(plan, seed)
    found = TreeStats()
    if unversioned is not None:
        FindingMaker(random.Random(f"{seed}:findings:{plan.name}")).package(protos, plan.name in unversioned, found)
    stats = write_files(dest, protos)
    stats.findings, stats.ignored = found.findings, found.ignored
    return stats


# ---------------------------------------------------------------------------
# Public API


def generate_tree(
    dest: Path, files: int = 5000, seed: int = 1, jobs: int | None = None, *, findings: bool = False
) -> TreeStats:
    """Write a synthetic module of ``files`` ``.proto`` files into ``dest`` (new or empty) and return its stats.

    Packages are written by ``jobs`` processes (default: one per core); the
    output depends only on ``files``, ``seed`` and ``findings``.  Without
    ``findings`` the tree has no lint findings and a ``protokit.yaml``.  With
    it, the same tree is changed to have about ten Buf STANDARD findings per
    file, of many rules (``RATES``), a few more silenced by ``buf:lint:ignore``
    comments, and a ``buf.yaml`` v2 whose ``lint.ignore_only`` lists some files
    as a baseline (``TreeStats.baseline``).
    """
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise ValueError(f"{dest} is not empty")
    types = type_package()
    if files <= len(types):
        raise ValueError(f"a tree needs more than {len(types)} files (the shared types package)")
    plans = Planner(seed).plan(files - len(types))
    dest.mkdir(parents=True, exist_ok=True)
    stats = write_files(dest, types)
    unversioned = unversioned_packages(plans, seed) if findings else None
    for result in run_all(partial(write_package, dest, seed, unversioned), plans, jobs or os.cpu_count() or 1):
        stats.add(result)
    if findings:
        stats.baseline = choose_baseline(stats, seed)
        (dest / "buf.yaml").write_text(buf_config(stats.baseline))
    else:
        (dest / "protokit.yaml").write_text(CONFIG)
    return stats


def run_all(work: Callable[[PackagePlan], TreeStats], plans: list[PackagePlan], jobs: int) -> Iterator[TreeStats]:
    """``work`` applied to each plan, in ``jobs`` processes (in this one when ``jobs`` is 1)."""
    if jobs == 1:
        yield from map(work, plans)
        return
    with ProcessPoolExecutor(jobs) as pool:
        yield from pool.map(work, plans, chunksize=8)


def touch_one_file(dest: Path, pattern: str = TOUCH_GLOB) -> Path:
    """Append a new message to one file of the tree at ``dest`` (always the same file) and return its path.

    The file is the middle one of those ``pattern`` matches (a proto3 file of a synthetic tree by default).
    The edit is small, valid, non-breaking and has no lint finding; each call adds another message
    (``BenchEdit1``, ``BenchEdit2``, ...), so repeated calls keep changing the file.
    """
    candidates = sorted(Path(dest).glob(pattern))
    if not candidates:
        raise ValueError(f"no file matches {pattern} under {dest}")
    path = candidates[len(candidates) // 2]
    text = path.read_text()
    number = text.count(f"message {TOUCH_PREFIX}") + 1
    addition = (
        f"\n// An edit made by the benchmark.\nmessage {TOUCH_PREFIX}{number} {{\n"
        "  // Why the edit was made.\n  string note = 1;\n}\n"
    )
    path.write_text(text + addition)
    return path


def describe(stats: TreeStats) -> str:
    """A one-paragraph summary of ``stats``."""
    kinds = ", ".join(f"{stats.kinds[k]:,} {k.replace('_', ' ')}" for k in ELEMENT_KINDS)
    return (
        f"{stats.files:,} files in {stats.packages:,} packages, {stats.bytes / 1e6:.1f} MB, "
        f"{stats.elements:,} elements ({stats.elements / stats.files:.0f} per file): {kinds}"
    )


def describe_findings(stats: TreeStats) -> str:
    """A summary of the lint findings made in a findings tree."""
    by_rule = Counter[str]()
    for rules in stats.findings.values():
        by_rule.update(rules)
    total = by_rule.total()
    listed = sum(len(paths) for paths in stats.baseline.values())
    return (
        f"about {total:,} lint findings made ({total / stats.files:.1f} per file) of {len(by_rule)} rules, "
        f"{stats.comment_ignores:,} more silenced by buf:lint:ignore comments, {listed} files in the ignore_only "
        f"baseline; by rule: {', '.join(f'{rule} {count:,}' for rule, count in by_rule.most_common())}"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a tree and print what was written."""
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic protobuf contracts tree.")
    parser.add_argument("dest", type=Path, help="directory to create (must be new or empty)")
    parser.add_argument("--files", type=int, default=5000, help="number of .proto files (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument(
        "--findings", action="store_true", help="a findings tree: lint findings, comment ignores, a buf.yaml baseline"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        stats = generate_tree(args.dest, args.files, args.seed, args.jobs, findings=args.findings)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{describe(stats)}; generated in {time.perf_counter() - started:.1f} s")
    if args.findings:
        print(describe_findings(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
