"""The layers point one way (docs/stack.md): the domain is pure Python, services never reach up into
the web layer, models know nothing of services or the web. A forbidden import fails here, naming the
file and the line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# package -> imports it must never make (module prefixes)
FORBIDDEN = {
    "domain": ("litestar", "sqlalchemy", "advanced_alchemy", "alembic", "jinja2", "app.models", "app.services", "app.web", "app.db"),
    "models": ("litestar", "app.services", "app.web"),
    "services": ("litestar", "app.web"),
}
# file -> forbidden imports it may make, and why
EXCEPTIONS = {
    # a notice's text is a sandboxed plain-text template an admin edits (issue 12), not a web page
    "app/domain/notices/rendering.py": ("jinja2",),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_only_what_is_below_it(package: str) -> None:
    files = sorted((APP / package).rglob("*.py"))
    assert files, f"app/{package} has no modules"
    wrong = [
        f"{path.relative_to(APP.parent)}:{line} imports {module}"
        for path in files
        for line, module in _imports(path)
        if any(module == banned or module.startswith(banned + ".") for banned in FORBIDDEN[package])
        and not any(
            module == allowed or module.startswith(allowed + ".") for allowed in EXCEPTIONS.get(str(path.relative_to(APP.parent)), ())
        )
    ]
    assert wrong == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from __future__ import annotations\nimport sqlalchemy.orm\nfrom app.web import auth\n", encoding="utf-8")
    assert _imports(module) == [(1, "__future__"), (2, "sqlalchemy.orm"), (3, "app.web")]
