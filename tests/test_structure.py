"""The shape of the code: imports point one way, no circles, one job mechanism, access rules in one place.

Read from the source (the ast module), not run: every module of the project's apps is parsed and its
imports resolved to the project's modules. The order of the apps is DESIGN.md section 3's (and
docs/architecture.md's): an app imports only from itself and the apps before it; the root URLconf,
which includes every app's URLs, is the one exception.
"""

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
LAYERS = (
    "portal",
    "campaign",
    "units",
    "workflow",
    "notifications",
    "documents",
    "reports",
    "emulation",
    "awards",
    "overview",
    "demo",
    "bench",
)
ROOT_URLCONF = "portal.urls"
# The attributes that test a capability: only the permissions modules (and the model defining them) read them.
CAPABILITY_TESTS = {"is_office_reviewer", "is_leadership"}
REASON = "# Imported here"


def project_sources(root=BASE_DIR):
    """{module name: source} of every module of the apps (migrations included, tests not)."""
    sources = {}
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            sources[name] = path.read_text(encoding="utf-8")
    return sources


def _is_package(name, sources):
    return any(other.startswith(f"{name}.") for other in sources)


def _resolve(module, node, sources):
    """The project modules an import statement of `module` reaches."""
    if isinstance(node, ast.Import):
        candidates = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module if _is_package(module, sources) else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
    reached = set()
    for candidate in candidates:
        # The longest prefix that is a project module: "reports.models.UnitReport" reaches reports.models.
        while candidate and candidate not in sources:
            candidate = candidate.rpartition(".")[0]
        if candidate:
            reached.add(candidate)
            if isinstance(node, ast.ImportFrom):
                break
    return reached


def import_graph(sources):
    """{module: set of project modules it imports}, function-local imports included."""
    graph = {}
    for module, source in sources.items():
        edges = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges |= _resolve(module, node, sources)
        edges.discard(module)
        graph[module] = edges
    return graph


def app_of(module):
    return module.split(".")[0]


def wrong_way_imports(graph):
    """(importer, imported) pairs where an app imports one after it in LAYERS."""
    wrong = []
    for module, targets in graph.items():
        if module == ROOT_URLCONF:
            continue
        for target in targets:
            if LAYERS.index(app_of(target)) > LAYERS.index(app_of(module)):
                wrong.append((module, target))
    return sorted(wrong)


def circles(graph):
    """The groups of modules that import each other, directly or through others (Tarjan's components)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def local_imports_without_a_reason(sources):
    """(module, line) of each function whose imports are not preceded by a "# Imported here: why" line."""
    missing = []
    for module, source in sources.items():
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            imports = [
                inner
                for inner in ast.walk(node)
                if isinstance(inner, (ast.Import, ast.ImportFrom)) and inner is not node
            ]
            if not imports:
                continue
            first = min(inner.lineno for inner in imports)
            before = lines[node.lineno : first - 1]
            if not any(line.strip().startswith(REASON) for line in before):
                missing.append((module, first))
    return sorted(missing)


def capability_tests_outside_permissions(sources):
    """(module, line) where a module other than a permissions module reads is_office_reviewer or is_leadership."""
    found = []
    for module, source in sources.items():
        if module.endswith(".permissions") or module == "units.models":
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and node.attr in CAPABILITY_TESTS:
                found.append((module, node.lineno))
            elif isinstance(node, ast.Constant) and node.value in CAPABILITY_TESTS:
                found.append((module, node.lineno))  # getattr(user, "is_leadership") is a test too
    return sorted(found)


def definitions(sources, names):
    """(module, name) of every function or method named in `names`."""
    found = []
    for module, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
                found.append((module, node.name))
    return sorted(found)


@pytest.fixture(scope="module")
def sources():
    return project_sources()


@pytest.fixture(scope="module")
def graph(sources):
    return import_graph(sources)


def test_every_app_of_the_project_is_in_the_order(sources):
    apps = {path.parent.name for path in BASE_DIR.glob("*/apps.py")}
    assert apps <= set(LAYERS), "an app missing from LAYERS (and from docs/architecture.md)"


def test_imports_point_one_way(graph):
    assert wrong_way_imports(graph) == []


def test_no_module_imports_itself_through_others(graph):
    assert circles(graph) == []


def test_a_wrong_way_import_and_a_circle_are_seen(sources):
    """The checks can fail: a foundation module importing a domain app, and two modules importing each other."""
    planted = {
        **sources,
        "campaign.planted": "from reports.models import UnitReport\n",
        "reports.planted_a": "from reports import planted_b\n",
        "reports.planted_b": "from . import planted_a\n",
    }
    graph = import_graph(planted)
    assert ("campaign.planted", "reports.models") in wrong_way_imports(graph)
    assert ["reports.planted_a", "reports.planted_b"] in circles(graph)


def test_foundation_apps_import_no_domain_app(graph):
    for module, targets in graph.items():
        if app_of(module) in ("campaign", "units"):
            assert not {app_of(target) for target in targets} & {"reports", "emulation", "awards", "demo"}, module


def test_function_local_imports_say_why(sources):
    assert local_imports_without_a_reason(sources) == []


def test_a_local_import_without_a_reason_is_seen():
    planted = {"reports.planted": "def render():\n    from documents.render import render_pdf\n    return render_pdf\n"}
    assert local_imports_without_a_reason(planted) == [("reports.planted", 2)]


def test_capabilities_are_tested_only_in_permissions_modules(sources):
    assert capability_tests_outside_permissions(sources) == []


def test_a_capability_tested_in_a_view_is_seen():
    planted = {"reports.planted_views": "def page(request):\n    return request.user.is_office_reviewer\n"}
    assert capability_tests_outside_permissions(planted) == [("reports.planted_views", 2)]


def test_one_implementation_of_the_lease(sources):
    assert definitions(sources, {"claim", "heartbeat", "sweep"}) == [
        ("workflow.jobs", "claim"),
        ("workflow.jobs", "heartbeat"),
        ("workflow.jobs", "sweep"),
    ]


def test_nothing_imports_the_overview(graph):
    # overview/ reads every app and is imported by none (the root URLconf, bench/ and tests/ aside).
    importers = {
        module
        for module, targets in graph.items()
        if app_of(module) not in ("overview", "bench") and module != "portal.urls"
        for target in targets
        if app_of(target) == "overview"
    }
    assert importers == set()
