"""The architecture's rules, checked on the source: store never imports textual or tui, tui reads the store
only through its public API, and the wheel ships the runtime packages and no developer tools."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import store

ROOT = Path(__file__).resolve().parent.parent
DEV_TOOLS = {"bench", "accuracy", "startup_bench", "killloop", "views_bench"}


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """Every import in a file (module, names), at any depth, so imports inside functions count too."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_store_never_imports_textual_or_tui() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in modules("store")
        for module, _ in imports_of(path)
        if module.split(".")[0] in {"textual", "tui", "rich", "tools"}
    ]
    assert offenders == []


def test_importing_every_store_module_loads_no_textual() -> None:
    names = [".".join(path.relative_to(ROOT).with_suffix("").parts) for path in modules("store")]
    names = [name.removesuffix(".__init__") for name in names]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_models_import_no_storage() -> None:
    """The records every layer agrees on stand alone: storage imports them, not the other way round."""
    assert [module for module, _ in imports_of(ROOT / "store/models.py") if module.startswith("store")] == []


def test_tui_imports_only_the_public_api() -> None:
    offenders = []
    for path in modules("tui"):
        for module, names in imports_of(path):
            if module.startswith("store."):
                offenders.append(f"{path.relative_to(ROOT)}: {module}")
            elif module == "store":
                private = [name for name in names if name not in store.__all__]
                offenders += [f"{path.relative_to(ROOT)}: {name}" for name in private]
    assert offenders == []


def test_public_api_names_resolve() -> None:
    assert sorted(store.__all__) == sorted(store._EXPORTS)
    for name in store.__all__:
        assert getattr(store, name) is not None


def test_wheel_lists_every_runtime_package_and_no_dev_tools() -> None:
    """The wheel's contents are pyproject's package list (a real `pip wheel` needs the network; the README
    says how to run it by hand): every package folder in store/ and tui/ is listed, tools/ is not, and no
    listed package holds a benchmark or accuracy module."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    folders = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for package in ("store", "tui")
        for init in (ROOT / package).rglob("__init__.py")
    }
    assert folders - listed == set(), "package folders the wheel would leave out"
    assert not any(name.split(".")[0] == "tools" for name in listed)
    package_dirs = config.get("package-dir", {})
    shipped = {
        path.stem
        for name in listed
        for path in (ROOT / package_dirs.get(name, name.replace(".", "/"))).glob("*.py")
    }
    assert shipped & DEV_TOOLS == set()


def test_tests_share_helpers_not_each_other() -> None:
    offenders = [
        f"{path.name}: {module}"
        for path in sorted((ROOT / "tests").glob("*.py"))
        for module, _ in imports_of(path)
        if module.split(".")[0].startswith("test_")
    ]
    assert offenders == []


def test_store_modules_stay_small_and_its_top_level_few() -> None:
    """A module past 400 lines is doing more than one job; the top level holds the front door and the
    records, every other concern lives in its subpackage (text, extract, search, storage)."""
    long = [
        f"{path.relative_to(ROOT)}: {n}"
        for path in modules("store")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert long == []
    top = sorted(p.stem for p in (ROOT / "store").glob("*.py") if p.stem != "__init__")
    assert len(top) <= 8, top
