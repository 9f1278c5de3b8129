"""``protokit gen``: real wheels and sdists, installed with pip into a fresh venv, called over real gRPC."""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CONTRACTS, REPO, ClientPackages, Run, proto, write_tree

PACKAGES = ["acme-common-v1", "acme-greeting-v1", "acme-orders-v1", "acme-payments-v1", "acme-users-v1"]
PROTOVALIDATE_VERSION = importlib.metadata.version("protovalidate")  # buf-validate's version: the same
DATA = REPO / "tests" / "data" / "gen"


def _digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


def install_into(python: Path, target: Path, wheels: list[Path]) -> None:
    """pip install ``wheels`` with ``python``, without their requirements, into the directory ``target``."""
    install: list[str | Path] = [python, "-m", "pip", "install", "-q", "--no-deps", "--target", target, *wheels]
    done = subprocess.run(install, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def run_with(python: Path, target: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` with the packages installed in ``target`` importable."""
    return subprocess.run([python, *args], capture_output=True, text=True, env={"PYTHONPATH": str(target)})


def test_gen_builds_a_wheel_and_an_sdist_per_package_that_pass_twine_check(client_packages: ClientPackages) -> None:
    names = sorted(p.name for p in client_packages.dist.iterdir())
    expected = sorted(
        f"{n.replace('-', '_')}-{v}{suffix}"
        for n, v in [*((n, "1.2.0") for n in PACKAGES), ("buf-validate", PROTOVALIDATE_VERSION)]
        for suffix in ("-py3-none-any.whl", ".tar.gz")
    )
    assert names == expected
    files = [str(p) for p in client_packages.dist.iterdir()]
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == len(expected)
    # sdists are gzipped at zlib's default level, not hatchling's level 9 (whose header flag byte would be 2)
    assert {(client_packages.dist / n).read_bytes()[8] for n in names if n.endswith(".tar.gz")} == {0}


def test_wheels_hold_code_stubs_protos_and_descriptor_set_and_nothing_in_google(
    client_packages: ClientPackages,
) -> None:
    with zipfile.ZipFile(client_packages.dist / "acme_orders_v1-1.2.0-py3-none-any.whl") as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read("acme_orders_v1-1.2.0.dist-info/METADATA").decode()
    for stem in ("order", "order_service"):
        assert {
            f"acme/orders/v1/{stem}_pb2.py",
            f"acme/orders/v1/{stem}_pb2.pyi",
            f"acme/orders/v1/{stem}.proto",
        } <= names
    assert {"acme/orders/v1/order_service_pb2_grpc.py", "acme/orders/v1/order_service_pb2_grpc.pyi"} <= names
    assert "acme/orders/v1/order_pb2_grpc.py" not in names  # no services in order.proto
    assert {"acme/orders/v1/py.typed", "acme/orders/v1/descriptor_set.binpb", "acme/orders/v1/client.py"} <= names
    assert not any(n.startswith("google/") or n in ("acme/__init__.py", "acme/orders/__init__.py") for n in names)
    requirements = [line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Requires-Dist: ")]
    assert "acme-common-v1~=1.2" in requirements
    assert any(r.startswith("googleapis-common-protos>=") for r in requirements)
    assert any(r.startswith("grpcio>=") for r in requirements)
    assert any(r.startswith("protobuf>=") for r in requirements)
    with zipfile.ZipFile(client_packages.dist / "acme_common_v1-1.2.0-py3-none-any.whl") as wheel:
        common = wheel.read("acme_common_v1-1.2.0.dist-info/METADATA").decode()
    assert "Requires-Dist: grpcio" not in common  # no services, no gRPC runtime
    assert "Requires-Dist: protovalidate" not in common  # no protovalidate rules
    assert f"buf-validate>={PROTOVALIDATE_VERSION}" in requirements  # buf/validate/validate_pb2.py
    assert f"protovalidate>={PROTOVALIDATE_VERSION}" in requirements  # what validate=True runs


def test_buf_validate_is_one_shared_wheel_with_fixed_metadata(client_packages: ClientPackages) -> None:
    """validate.proto's module is in a wheel of its own that every package using protovalidate requires: no
    wheel of the contracts holds a file of another, and the shared one carries Buf's license, not acme's."""
    owners: dict[str, str] = {}
    for path in sorted(client_packages.dist.glob("*.whl")):
        with zipfile.ZipFile(path) as wheel:
            for name in wheel.namelist():
                if ".dist-info/" not in name:
                    assert name not in owners, f"{name} is in {owners.get(name)} and {path.name}"
                    owners[name] = path.name
    shared = f"buf_validate-{PROTOVALIDATE_VERSION}-py3-none-any.whl"
    assert {n for n, owner in owners.items() if owner == shared} == {
        f"buf/validate/{n}"
        for n in ("LICENSE", "__init__.py", "descriptor_set.binpb", "py.typed", "validate.proto", "validate_pb2.py",
                  "validate_pb2.pyi")
    }  # fmt: skip
    with zipfile.ZipFile(client_packages.dist / shared) as wheel:
        metadata = wheel.read(f"buf_validate-{PROTOVALIDATE_VERSION}.dist-info/METADATA").decode()
        stamps = {info.date_time[:3] for info in wheel.infolist()}
    assert "License-Expression: Apache-2.0" in metadata and "Acme" not in metadata and "acme" not in metadata
    assert stamps == {(1980, 1, 1)}  # the same bytes from every workspace


def test_every_package_installs_into_a_fresh_venv_and_imports(client_packages: ClientPackages) -> None:
    script = """
import importlib, acme
from google.protobuf import descriptor_pb2
for name in ["common", "greeting", "orders", "payments", "users"]:
    module = importlib.import_module(f"acme.{name}.v1")
    assert module.__version__ == "1.2.0", module.__version__
from acme.orders.v1 import OrderServiceClient, OrderServiceAsyncClient, order_pb2, order_service_pb2_grpc
from acme.payments.v1 import payment_pb2
from acme.common.v1 import money_pb2
assert not hasattr(acme, "__file__") or acme.__file__ is None  # a PEP 420 namespace package
order = order_pb2.Order(order_id="o-1", total=money_pb2.Money(currency_code="EUR", units=3))
assert order_pb2.Order.FromString(order.SerializeToString()) == order
import importlib.resources
data = importlib.resources.files("acme.orders.v1").joinpath("descriptor_set.binpb").read_bytes()
names = [f.name for f in descriptor_pb2.FileDescriptorSet.FromString(data).file]
assert names == ["acme/orders/v1/order.proto", "acme/orders/v1/order_service.proto"], names
print("imported")
"""
    result = subprocess.run([client_packages.python, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported"


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate for localhost and its key, made by the test."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("certs")
    (directory / "server.crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (directory / "server.key").write_bytes(key_pem)
    return directory


CHANNEL_SCENARIOS = [
    "from-channel",
    "async-from-channel",
    "wrong-channel",
    "interceptors",
    "async-interceptors",
    "options",
    "async-options",
    "load-balancing",
    "async-load-balancing",
    "keepalive",
    "async-keepalive",
]


@pytest.mark.parametrize(
    "scenario", ["sync-kinds", "async-kinds", "deadline", "retries", "validate", "async-validate", *CHANNEL_SCENARIOS]
)
def test_generated_clients_against_a_real_grpc_server(
    client_packages: ClientPackages, certificates: Path, scenario: str
) -> None:
    result = subprocess.run(
        [client_packages.python, DATA / "grpc_scenarios.py", scenario, certificates],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")


def test_mypy_strict_passes_on_a_consumer_of_the_clients_and_messages(client_packages: ClientPackages) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable", client_packages.python,
         DATA / "consumer.py"],
        capture_output=True,
        text=True,
        cwd=DATA,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_sees_wrong_types_in_a_consumer(client_packages: ClientPackages, tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import grpc.aio\n"
        "from acme.orders.v1 import OrderServiceClient\n"
        "from acme.orders.v1.order_service_pb2 import WatchOrderStatusRequest\n\n"
        "def f(client: OrderServiceClient, channel: grpc.aio.Channel) -> None:\n"
        "    client.create_order(WatchOrderStatusRequest())\n"
        "    OrderServiceClient.from_channel(channel)\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable", client_packages.python,
         bad],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert 'incompatible type "WatchOrderStatusRequest"' in result.stdout
    assert 'incompatible type "grpc.aio.Channel"; expected "grpc.Channel"' in result.stdout


def test_two_gen_runs_give_byte_identical_files(protokit: Run, tmp_path: Path) -> None:
    first = protokit("gen", CONTRACTS, "--out", tmp_path / "one", "--version", "1.0.0")
    assert first.returncode == 0, first.stderr
    second = protokit(
        "gen", CONTRACTS, "--out", tmp_path / "two", "--version", "1.0.0", env={"XDG_CACHE_HOME": str(tmp_path / "c2")}
    )
    assert second.returncode == 0, second.stderr
    one, two = _digests(tmp_path / "one"), _digests(tmp_path / "two")
    assert len(one) == 12 and one == two
    with zipfile.ZipFile(tmp_path / "one" / "acme_orders_v1-1.0.0-py3-none-any.whl") as wheel:
        stamp = wheel.infolist()[0].date_time
    head = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=REPO, capture_output=True, text=True).stdout
    if head.strip():  # SOURCE_DATE_EPOCH defaults to the commit time of HEAD
        expected = datetime.datetime.fromtimestamp(int(head), datetime.UTC)
        assert stamp[:3] == (expected.year, expected.month, expected.day)
    again = protokit("gen", CONTRACTS, "--out", tmp_path / "three", "--version", "1.0.0")
    assert again.returncode == 0, again.stderr
    assert _digests(tmp_path / "three") == one  # from the package cache: still the same bytes


def test_keep_source_writes_each_project_directory(protokit: Run, tmp_path: Path) -> None:
    result = protokit("gen", CONTRACTS, "--out", tmp_path / "dist", "--version", "0.3.0", "--keep-source")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "dist" / "src" / "acme-payments-v1"
    assert (project / "pyproject.toml").read_text().count('version = "0.3.0"') == 1
    assert "acme-common-v1~=0.3.0" in (project / "pyproject.toml").read_text()
    readme = (project / "README.md").read_text()
    assert "| `get_payment` | `GetPayment` | unary | yes |" in readme
    assert "| `authorize_payment` | `AuthorizePayment` | unary | no |" in readme
    assert (project / "acme" / "payments" / "v1" / "client.py").is_file()


def test_generated_modules_are_plain_protocs_and_keep_the_rpc_comments(protokit: Run, tmp_path: Path) -> None:
    """gen hands protoc the descriptors it compiled (JSON names and most source locations dropped) instead
    of the sources: the messages and their stubs are byte for byte what plain protoc writes from the .proto
    files, and the gRPC module still has the RPCs' comments as docstrings."""
    from grpc_tools import protoc as grpc_protoc

    from protokit.includes import PROTOVALIDATE_ROOT, distribution_proto_root

    result = protokit("gen", CONTRACTS, "--out", tmp_path / "dist", "--version", "1.0.0", "--keep-source")
    assert result.returncode == 0, result.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    files = sorted(str(p.relative_to(CONTRACTS)) for p in CONTRACTS.rglob("*.proto"))
    includes = [CONTRACTS, PROTOVALIDATE_ROOT, distribution_proto_root("googleapis-common-protos")]
    includes.append(Path(grpc_protoc.__file__).parent / "_proto")
    command = [sys.executable, "-m", "grpc_tools.protoc", *(f"-I{i}" for i in includes)]
    done = subprocess.run([*command, f"--python_out={plain}", f"--pyi_out={plain}", *files], capture_output=True)
    assert done.returncode == 0, done.stderr
    compared = 0
    for name in files:
        stem = name.removesuffix(".proto")
        package = "-".join(stem.split("/")[:3])
        for suffix in ("_pb2.py", "_pb2.pyi"):
            generated = tmp_path / "dist" / "src" / package / (stem + suffix)
            assert generated.read_bytes() == (plain / (stem + suffix)).read_bytes(), generated
            compared += 1
    assert compared == 2 * len(files)
    grpc = (tmp_path / "dist" / "src" / "acme-orders-v1" / "acme/orders/v1/order_service_pb2_grpc.py").read_text()
    assert "Places one order (unary)." in grpc.split("def CreateOrder(self, request, context):")[1].split("def ")[0]


def test_grpc_stubs_keep_the_file_and_rpc_comments(protokit: Run, tmp_path: Path) -> None:
    """mypy-protobuf is given only the locations it shows (package, syntax, services, RPCs): its gRPC stubs still
    carry the file's leading comment as their docstring and each RPC's comment."""
    source = (
        '// Talks to the edge.\nsyntax = "proto3";\n\npackage note.v1;\n\nmessage Ping {}\n\n'
        "// Keeps notes.\nservice NoteService {\n  // Answers a ping quickly.\n  rpc Send(Ping) returns (Ping);\n}\n"
    )
    tree = write_tree(tmp_path / "repo", {"note/v1/note.proto": source})
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.0.0", "--keep-source")
    assert result.returncode == 0, result.stderr
    stub = (tmp_path / "dist" / "src" / "note-v1" / "note" / "v1" / "note_pb2_grpc.pyi").read_text()
    assert "Talks to the edge." in stub.split('"""')[1]
    assert "Keeps notes." in stub and "Answers a ping quickly." in stub


def test_a_failed_gen_leaves_out_as_it_was(protokit: Run, tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "repo",
        {
            "protokit.yaml": "version: v1\ngen:\n  license: not a license (\n",
            "acme/a/v1/a.proto": proto("acme.a.v1", "message A {\n  string name = 1;\n}"),
            "acme/b/v1/b.proto": proto("acme.b.v1", "message B {\n  string name = 1;\n}"),
        },
    )
    out = tmp_path / "dist"
    out.mkdir()
    (out / "earlier.whl").write_text("from an earlier run")
    result = protokit("gen", tree, "--out", out, "--version", "1.0.0")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "license" in result.stderr.lower()
    assert sorted(p.name for p in out.iterdir()) == ["earlier.whl"]
    assert not list(tmp_path.glob(".protokit-gen-*"))
    (tree / "acme/a/v1/a.proto").write_text(proto("acme.a.v1", "message A {\n  strin name = 1;\n}"))
    (tree / "protokit.yaml").write_text("version: v1\n")
    broken = protokit("gen", tree, "--out", out, "--version", "1.0.0")
    assert broken.returncode == 1
    assert "acme/a/v1/a.proto:5:3:" in broken.stderr and "Traceback" not in broken.stderr
    assert sorted(p.name for p in out.iterdir()) == ["earlier.whl"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--version", "banana"), '--version: "banana" is not a version like 1.2.3'),
        ((), "no version: pass --version X.Y.Z"),
    ],
)
def test_bad_versions_are_clear_errors(protokit: Run, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    tree = write_tree(tmp_path / "repo", {"acme/a/v1/a.proto": proto("acme.a.v1", "message A {}")})
    result = protokit("gen", tree, "--out", tmp_path / "dist", *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()


def test_files_that_cannot_become_python_packages_are_clear_errors(protokit: Run, tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "repo", {"1api/v1/a.proto": proto("one.api.v1", "message A {}")})
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.0.0")
    assert result.returncode == 1
    assert 'directory "1api" cannot be part of a Python import name' in result.stderr


EDGE = '''syntax = "proto3";

package edge.v1;

// Quotes """ inside, a backslash \\ and C:\\path\\, non-ASCII: café, 日本語, ✓.
// Ends with a quote: "
service EdgeService {
  // Reads """everything""" \\n is not a newline.
  rpc Import(Class) returns (Class);
  // Closing is a keyword-ish name too.
  rpc Close(Class) returns (Class);
  // As are the names of the clients' own from_channel and channel_options.
  rpc FromChannel(Class) returns (Class);
  rpc ChannelOptions(Class) returns (Class);
}

// A message named after a keyword's shape, with keyword fields: "quoted".
message Class {
  string class = 1;
  string from = 2;
  int32 def = 3;
  bool None = 4;
  string self = 5;
}
'''


def test_comments_and_keyword_names_never_break_the_generated_python(
    protokit: Run, client_packages: ClientPackages, tmp_path: Path
) -> None:
    tree = write_tree(tmp_path / "repo", {"edge/v1/edge.proto": EDGE})
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.0.0")
    assert result.returncode == 0, result.stderr
    target = tmp_path / "site"
    wheel = next((tmp_path / "dist").glob("*.whl"))
    install_into(client_packages.python, target, [wheel])
    script = """
import edge.v1 as edge, inspect
from edge.v1 import EdgeServiceClient, edge_pb2
doc = inspect.getdoc(EdgeServiceClient)
assert 'Quotes \"\"\" inside, a backslash \\\\ and C:\\\\path\\\\, non-ASCII: café, 日本語, ✓.' in doc, doc
assert doc.splitlines()[1] == 'Ends with a quote: \"', doc
assert 'Reads \"\"\"everything\"\"\" \\\\n is not a newline.' in inspect.getdoc(EdgeServiceClient.import_)
assert callable(EdgeServiceClient.close_) and callable(EdgeServiceClient.close)
assert callable(EdgeServiceClient.from_channel_) and callable(EdgeServiceClient.channel_options_)
assert isinstance(inspect.getattr_static(EdgeServiceClient, "from_channel"), classmethod)
assert isinstance(inspect.getattr_static(EdgeServiceClient, "channel_options"), property)
message = edge_pb2.Class(**{"class": "c", "from": "f", "def": 3, "None": True, "self": "s"})
assert getattr(message, "class") == "c" and getattr(message, "from") == "f" and message.self == "s"
print("edge ok")
"""
    run = run_with(client_packages.python, target, "-c", script)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "edge ok"


SHAPES = {
    # a dotted file name: protoc writes shapes/run/v1/k8s/min_pb2.py, a module of package shapes.run.v1.k8s
    "shapes/run/v1/k8s.min.proto": proto("shapes.run.v1", "message Container {\n  string image = 1;\n}"),
    "shapes/run/v1/order-items.proto": proto("shapes.run.v1", "message Item {\n  string id = 1;\n}"),
    # a dashed directory: protoc's module is shapes.my_api.v1.api_pb2
    "shapes/my-api/v1/api.proto": proto("shapes.myapi.v1", "message Api {\n  string id = 1;\n}"),
    "shapes/run/v1/service.proto": proto(
        "shapes.run.v1",
        "service RunService {\n  rpc Run(Container) returns (Item);\n}",
        ("shapes/run/v1/k8s.min.proto", "shapes/run/v1/order-items.proto"),
    ),
    # no package: it goes with its directory; proto2 extensions; an editions file
    "shapes/legacy/v1/legacy.proto": 'syntax = "proto2";\n\nmessage Legacy {\n  extensions 100 to 199;\n}\n',
    "shapes/legacy/v1/ext.proto": 'syntax = "proto2";\n\nimport "shapes/legacy/v1/legacy.proto";\n\n'
    "extend Legacy {\n  optional string note = 100;\n}\n",
    "shapes/ed/v1/ed.proto": 'edition = "2023";\n\npackage shapes.ed.v1;\n\nmessage Ed {\n  string name = 1;\n}\n',
    # one package in a directory and its subdirectory, below the directory of another package
    "shapes/sdk/v1/sdk.proto": proto("shapes.sdk.v1", "message Sdk {\n  string name = 1;\n}"),
    "shapes/sdk/v1/prompt/prompt.proto": proto(
        "shapes.sdk.v1.prompt",
        "message Prompt {\n  Content content = 1;\n}",
        ("shapes/sdk/v1/prompt/content/content.proto",),
    ),
    "shapes/sdk/v1/prompt/content/content.proto": proto(
        "shapes.sdk.v1.prompt", "message Content {\n  string text = 1;\n}"
    ),
}


def test_real_repository_shapes_build_install_together_and_import(
    protokit: Run, client_packages: ClientPackages, tmp_path: Path
) -> None:
    """Dotted and dashed file names, and a package nested in another's directory and spread over two
    directories (as googleapis has them) build one wheel per package that install together and import."""
    tree = write_tree(tmp_path / "repo", SHAPES)
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.0.0")
    assert result.returncode == 0, result.stderr
    wheels = sorted((tmp_path / "dist").glob("*.whl"))
    names = [w.name.split("-")[0] for w in wheels]
    expected = ["shapes_ed_v1", "shapes_legacy_v1", "shapes_myapi_v1", "shapes_run_v1", "shapes_sdk_v1"]
    assert names == [*expected, "shapes_sdk_v1_prompt"]
    target = tmp_path / "site"
    install_into(client_packages.python, target, wheels)
    modules = sorted(
        ".".join(path.relative_to(target).with_suffix("").parts).removesuffix(".__init__")
        for path in (target / "shapes").rglob("*.py")
    )
    assert "shapes.run.v1.k8s.min_pb2" in modules and "shapes.run.v1.order_items_pb2" in modules
    assert "shapes.sdk.v1.prompt.content.content_pb2" in modules and "shapes.my_api.v1.api_pb2" in modules
    script = (
        "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\nprint(len(sys.argv) - 1)"
    )
    run = run_with(client_packages.python, target, "-c", script, *modules)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(len(modules))
    assert (target / "shapes" / "run" / "v1" / "k8s.min.proto").is_file()  # protos at their import paths
    extension = "from shapes.legacy.v1 import legacy_pb2, ext_pb2\nm = legacy_pb2.Legacy()\n"
    extension += "m.Extensions[ext_pb2.note] = 'n'\nprint(legacy_pb2.Legacy.FromString(m.SerializeToString()))"
    run = run_with(client_packages.python, target, "-c", extension)
    assert run.returncode == 0, run.stderr


def test_google_files_are_left_to_the_distribution_that_ships_their_module(
    protokit: Run, client_packages: ClientPackages, tmp_path: Path
) -> None:
    """googleapis-common-protos ships ``google/api/annotations_pb2.py`` but not ``google/api/expr/...``: under an
    import prefix the vendored annotations are not built again (two modules registering one file would clash),
    the expr package is built, and a package using both imports each from where it is."""
    from protokit.includes import distribution_proto_root

    shipped = distribution_proto_root("googleapis-common-protos")
    files = {name: (shipped / name).read_text() for name in ("google/api/annotations.proto", "google/api/http.proto")}
    files["google/api/expr/v1alpha1/syntax.proto"] = proto(
        "google.api.expr.v1alpha1", "message Parsed {\n  string id = 1;\n}"
    )
    files["acme/svc/v1/svc.proto"] = proto(
        "acme.svc.v1",
        "service SvcService {\n  rpc Get(google.api.expr.v1alpha1.Parsed) returns (google.api.expr.v1alpha1.Parsed) {\n"
        '    option (google.api.http) = {get: "/v1/get"};\n  }\n}',
        ("google/api/annotations.proto", "google/api/expr/v1alpha1/syntax.proto"),
    )
    tree = write_tree(tmp_path / "repo", {**files, "protokit.yaml": "version: v1\ngen:\n  import_prefix: gapi\n"})
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.0.0")
    assert result.returncode == 0, result.stderr
    wheels = sorted((tmp_path / "dist").glob("*.whl"))
    assert [w.name.split("-")[0] for w in wheels] == ["acme_svc_v1", "google_api_expr_v1alpha1"]
    with zipfile.ZipFile(wheels[0]) as archive:
        metadata = archive.read("acme_svc_v1-1.0.0.dist-info/METADATA").decode()
    assert "Requires-Dist: google-api-expr-v1alpha1~=1.0" in metadata
    assert "Requires-Dist: googleapis-common-protos>=" in metadata
    target = tmp_path / "site"
    install_into(client_packages.python, target, wheels)
    script = (
        "from gapi.acme.svc.v1 import svc_pb2\nfrom gapi.google.api.expr.v1alpha1 import syntax_pb2\n"
        "from google.api import annotations_pb2\n"
        "method = svc_pb2.DESCRIPTOR.services_by_name['SvcService'].methods[0]\n"
        "print(method.GetOptions().Extensions[annotations_pb2.http].get, syntax_pb2.Parsed(id='x').id)"
    )
    run = run_with(client_packages.python, target, "-c", script)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["/v1/get", "x"]


def test_breaking_against_a_published_wheel(protokit: Run, client_packages: ClientPackages, tmp_path: Path) -> None:
    import shutil

    contracts = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, contracts)
    index = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(client_packages.dist)}  # pip's own configuration
    same = protokit("breaking", contracts, "--against-wheel", "acme-orders-v1==1.2.0", env=index)
    assert same.returncode == 0, same.stdout + same.stderr
    order = contracts / "acme/orders/v1/order.proto"
    text = order.read_text()
    assert "  string customer_id = 2;\n" in text
    order.write_text(text.replace("  string customer_id = 2;\n", ""))
    changed = protokit("breaking", contracts, "--against-wheel", "acme-orders-v1==1.2.0", env=index)
    assert changed.returncode == 100, changed.stdout + changed.stderr
    assert "acme/orders/v1/order.proto:" in changed.stdout and '"customer_id" on message' in changed.stdout
    missing = protokit("breaking", contracts, "--against-wheel", "acme-orders-v1==9.9.9", env=index)
    assert missing.returncode == 1
    assert "--against-wheel acme-orders-v1==9.9.9:" in missing.stderr and "Traceback" not in missing.stderr


GROUPED = """
gen:
  import_prefix: acme_clients
  stubs: mypy-protobuf
  distributions:
    acme.orders.v1: acme-commerce
    acme.payments.v1: acme-commerce
"""

GROUPED_CONSUMER = """
from acme_clients.acme.common.v1 import money_pb2
from acme_clients.acme.orders.v1 import OrderServiceClient, order_pb2, __version__
from acme_clients.acme.payments.v1 import PaymentServiceAsyncClient


def total(order: order_pb2.Order) -> money_pb2.Money:
    return order.total


order = order_pb2.Order(total=money_pb2.Money(currency_code="EUR", units=3))
assert total(order).units == 3 and type(order).__module__ == "acme_clients.acme.orders.v1.order_pb2"
assert __version__ == "2.0.0" and callable(OrderServiceClient) and callable(PaymentServiceAsyncClient)
print("grouped ok")
"""


def test_grouped_packages_under_an_import_prefix_install_import_and_type_check(
    protokit: Run, client_packages: ClientPackages, tmp_path: Path
) -> None:
    import shutil

    contracts = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, contracts)
    config = contracts / "protokit.yaml"
    config.write_text(config.read_text().split("\ngen:\n")[0] + GROUPED)
    result = protokit("gen", contracts, "--out", tmp_path / "dist", "--version", "2.0.0")
    assert result.returncode == 0, result.stderr
    wheels = sorted(p.name for p in (tmp_path / "dist").glob("*.whl"))
    shared = f"buf_validate-{PROTOVALIDATE_VERSION}-py3-none-any.whl"
    assert wheels == [f"{name}-2.0.0-py3-none-any.whl" for name in ("acme_commerce", "acme_common_v1",
                      "acme_greeting_v1", "acme_users_v1")] + [shared]  # fmt: skip
    with zipfile.ZipFile(tmp_path / "dist" / wheels[-1]) as wheel:  # shared: not under the import prefix
        assert "buf/validate/validate_pb2.py" in wheel.namelist()
    with zipfile.ZipFile(tmp_path / "dist" / wheels[0]) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read("acme_commerce-2.0.0.dist-info/METADATA").decode()
    for package in ("acme_clients/acme/orders/v1/", "acme_clients/acme/payments/v1/"):
        assert {package + n for n in ("__init__.py", "client.py", "descriptor_set.binpb", "py.typed")} <= names
    assert not any(n.startswith(("acme/", "acme_clients/__init__", "google")) for n in names)
    assert "Requires-Dist: acme-common-v1~=2.0" in metadata

    target = tmp_path / "site"
    install_into(client_packages.python, target, sorted((tmp_path / "dist").glob("*.whl")))
    consumer = tmp_path / "consumer.py"
    consumer.write_text(GROUPED_CONSUMER)
    run = run_with(client_packages.python, target, consumer)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "grouped ok"
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable", client_packages.python,
         consumer],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "MYPYPATH": str(target)},
    )  # fmt: skip
    assert typed.returncode == 0, typed.stdout + typed.stderr


@pytest.mark.parametrize(
    ("files", "config", "message"),
    [
        ({"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}"),
          "acme/x/v1/b.proto": proto("acme.y.v1", "message B {}")},
         "", "gen.distributions: acme/x/v1/ holds files of both acme-x-v1 and acme-y-v1"),
        ({"google/cloud/v1/a.proto": proto("google.cloud.v1", "message A {}")},
         "", "the google namespace belongs to protobuf and googleapis-common-protos"),
        ({"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}")},
         "gen:\n  import_prefix: acme-clients\n", 'gen.import_prefix: "acme-clients" is not a dotted Python name'),
        ({"acme/x/v1/a.proto": proto("acme.x.v1", "message A {}")},
         "gen:\n  import_prefix: google.clients\n", "in the google namespace, which protobuf owns"),
    ],
)  # fmt: skip
def test_layouts_that_would_clash_once_installed_are_clear_errors(
    protokit: Run, tmp_path: Path, files: dict[str, str], config: str, message: str
) -> None:
    tree = write_tree(tmp_path / "repo", {**files, **({"protokit.yaml": "version: v1\n" + config} if config else {})})
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.0.0")
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()


CART = """syntax = "proto3";

package acme.shop.v1;

import "acme/common/v1/money.proto";

// A cart.
message Cart {
  acme.common.v1.Money total = 1;
}
"""


def test_a_generated_wheel_under_deps_of_another_repo_resolves_imports_and_becomes_a_requirement(
    protokit: Run, client_packages: ClientPackages, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    common = client_packages.dist / "acme_common_v1-1.2.0-py3-none-any.whl"
    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target"]
    assert subprocess.run([*install, site, common], capture_output=True).returncode == 0
    shop = write_tree(
        tmp_path / "shop",
        {"protokit.yaml": "version: v1\ndeps:\n  - acme-common-v1\n", "acme/shop/v1/cart.proto": CART},
    )
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    result = protokit("gen", shop, "--out", tmp_path / "dist", "--version", "0.3.0", env=env)
    assert result.returncode == 0, result.stderr
    wheel = tmp_path / "dist" / "acme_shop_v1-0.3.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read("acme_shop_v1-0.3.0.dist-info/METADATA").decode()
    assert "Requires-Dist: acme-common-v1>=1.2.0" in metadata
    assert not any(name.startswith("acme/common/") for name in names)
    target = tmp_path / "shop-site"
    assert subprocess.run([*install, target, wheel], capture_output=True).returncode == 0
    script = (
        "from acme.shop.v1 import cart_pb2\nfrom acme.common.v1 import money_pb2\n"
        "cart = cart_pb2.Cart(total=money_pb2.Money(units=7))\n"
        "print(cart_pb2.Cart.FromString(cart.SerializeToString()))"
    )
    run = run_with(client_packages.python, target, "-c", script)
    assert run.returncode == 0, run.stderr
    assert "units: 7" in run.stdout


OLD_TOOLS, OLD_PROTOBUF = "1.64.1", "5.26.1"  # grpcio-tools 1.64.1 requires protobuf>=5.26.1


def test_gen_protoc_generates_with_an_older_grpcio_tools_for_older_runtimes(protokit: Run, tmp_path: Path) -> None:
    """``gen.protoc`` generates with another grpcio-tools (installed in an environment of its own): the package
    asks exactly for the runtimes that release was made for, and imports and calls on them."""
    body = "message Pet {\n  string name = 1;\n}\nservice PetService {\n  rpc GetPet(Pet) returns (Pet);\n}"
    files = {"acme/pets/v1/pets.proto": proto("acme.pets.v1", body)}
    config = f"version: v1\nmodules:\n  - path: .\ngen:\n  protoc: grpcio-tools=={OLD_TOOLS}\n"
    tree = write_tree(tmp_path / "repo", {**files, "protokit.yaml": config})
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.0.0")
    assert result.returncode == 0, result.stderr
    wheel = next((tmp_path / "dist").glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read("acme_pets_v1-1.0.0.dist-info/METADATA").decode()
    assert f"Requires-Dist: protobuf>={OLD_PROTOBUF}" in metadata
    assert f"Requires-Dist: grpcio>={OLD_TOOLS}" in metadata
    runtime = tmp_path / "old-runtime"
    subprocess.run([sys.executable, "-m", "venv", runtime], check=True)
    python = runtime / "bin" / "python"
    install = [python, "-m", "pip", "install", "-q", f"protobuf=={OLD_PROTOBUF}", f"grpcio=={OLD_TOOLS}", wheel]
    assert subprocess.run(install, capture_output=True).returncode == 0
    script = (
        "import google.protobuf as p\nfrom acme.pets.v1 import PetServiceClient, pets_pb2\n"
        "print(p.__version__, pets_pb2.Pet(name='rex').name, PetServiceClient.__name__)"
    )
    run = subprocess.run([python, "-c", script], capture_output=True, text=True)
    assert run.stdout.split() == [OLD_PROTOBUF, "rex", "PetServiceClient"], run.stderr


def test_gen_protoc_that_cannot_be_installed_is_one_line(protokit: Run, tmp_path: Path) -> None:
    config = "version: v1\nmodules:\n  - path: .\ngen:\n  protoc: grpcio-tools==0.0.0.1\n"
    files = {"acme/pets/v1/pets.proto": proto("acme.pets.v1", "message Pet {}"), "protokit.yaml": config}
    tree = write_tree(tmp_path / "repo", files)
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.0.0")
    assert result.returncode == 1
    assert result.stderr.startswith('gen.protoc: pip could not install "grpcio-tools==0.0.0.1": '), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()


def test_packages_grouped_by_a_pattern_match_an_official_package_layout(protokit: Run, tmp_path: Path) -> None:
    """``gen.distributions: {opentelemetry.proto.*: opentelemetry-proto}`` makes one distribution whose modules
    are where the official opentelemetry-proto package has them, so it can replace it."""
    files = {
        "opentelemetry/proto/common/v1/common.proto": proto("opentelemetry.proto.common.v1", "message AnyValue {}"),
        "opentelemetry/proto/trace/v1/trace.proto": proto(
            "opentelemetry.proto.trace.v1",
            "message Span {\n  opentelemetry.proto.common.v1.AnyValue value = 1;\n}",
            ("opentelemetry/proto/common/v1/common.proto",),
        ),
        "protokit.yaml": 'version: v1\nmodules:\n  - path: .\ngen:\n  distributions:\n    "opentelemetry.proto.*": '
        "opentelemetry-proto\n",
    }
    tree = write_tree(tmp_path / "repo", files)
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.9.0")
    assert result.returncode == 0, result.stderr
    [wheel] = (tmp_path / "dist").glob("*.whl")
    assert wheel.name == "opentelemetry_proto-1.9.0-py3-none-any.whl"
    modules = {n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("_pb2.py")}
    assert modules == {"opentelemetry/proto/common/v1/common_pb2.py", "opentelemetry/proto/trace/v1/trace_pb2.py"}


def test_a_failure_inside_a_build_worker_is_one_line_naming_the_proto_file(protokit: Run, tmp_path: Path) -> None:
    config = 'version: v1\nmodules:\n  - path: .\ngen:\n  license: "MIT AND (not valid"\n'
    tree = write_tree(tmp_path / "repo", {"a/v1/a.proto": proto("a.v1", "message A {}"), "protokit.yaml": config})
    result = protokit("gen", tree, "--out", tmp_path / "dist", "--version", "1.0.0")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    where, _, message = line.partition(": ")
    assert where.endswith("repo/a/v1/a.proto") and message.startswith("a-v1: building the package failed: "), line
    assert "Invalid license expression" in line
    assert not (tmp_path / "dist").exists()
