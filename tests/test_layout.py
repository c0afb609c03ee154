"""The package's shape (issue 33): no import cycle between modules, no module over 800 lines,
no function over 100, and every module reachable by attribute (so ``mock.patch`` works)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path
from unittest import mock

import seespeech

SRC = Path(seespeech.__file__).parent
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 800, 100


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module of ours this one imports at run time (inside functions too; not the
    annotations-only imports under ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text())
    for block in [n for n in ast.walk(tree) if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)]:
        block.body = []
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("seespeech"):
            submodules = {f"{node.module}.{a.name}" for a in node.names} & set(modules)
            out |= submodules or {node.module}   # "from pkg import module" imports the module
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in modules)
    return out & set(modules)


def test_no_import_cycles_between_modules():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, cycles
    # the checker sees a cycle when there is one
    assert graph["seespeech.speech.engines.whisper"] >= {"seespeech.speech.options"}


def test_modules_and_functions_stay_small():
    big = []
    for name, path in _modules().items():
        source = path.read_text()
        if source.count("\n") > MAX_MODULE_LINES:
            big.append(f"{name}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    big.append(f"{name}.{node.name}: {length} lines")
    assert not big, big


def test_every_module_resolves_by_attribute_so_it_can_be_patched():
    shadowed = []
    for info in pkgutil.walk_packages(seespeech.__path__, "seespeech."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        target = seespeech
        for part in info.name.split(".")[1:]:
            target = getattr(target, part, None)
        if target is not module:
            shadowed.append(f"{info.name} is {type(target).__name__}")
    assert not shadowed, shadowed
    # the face's functions stay functions, and a module's name can be patched
    assert callable(seespeech.transcribe) and callable(seespeech.imagine) and callable(seespeech.speak)
    with mock.patch("seespeech.speech.registry.load_engine") as fake:
        from seespeech.speech import registry

        assert registry.load_engine is fake
