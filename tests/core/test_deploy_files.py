"""The deployment files agree with the code (deploy/README.md): every environment variable the
settings read is documented in deploy/crm.env.example, the systemd units start what exists,
every queue has a worker, and the compose file parses with the services the guide describes."""

import ast
import re
import sys
from pathlib import Path

import yaml

from crm_project.core.queues import QUEUES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENV_TEMPLATE = DEPLOY / "crm.env.example"
# Files run in production that read the environment: the settings, and gunicorn's configuration.
ENV_READING_FILES = [ROOT / "crm_project" / "settings.py", DEPLOY / "gunicorn.conf.py"]
ENV_READERS = {"env", "env_bool", "env_int", "env_list"}
# Read by a library or a unit file, not by our code; documented in the template all the same.
READ_ELSEWHERE = {"PROMETHEUS_MULTIPROC_DIR"}
UNITS = DEPLOY / "systemd"
SERVICES = ["crm-web.service", "crm-worker@.service", "crm-beat.service", "crm-backup.service"]


def _is_os_environ(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and _is_name(node.value, "os")


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _name_argument(call: ast.Call) -> ast.expr | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in ENV_READERS:
        return call.args[0] if call.args else None
    if isinstance(func, ast.Attribute) and func.attr in {"get", "pop", "setdefault"} and _is_os_environ(func.value):
        return call.args[0] if call.args else None
    if isinstance(func, ast.Attribute) and func.attr == "getenv" and _is_name(func.value, "os"):
        return call.args[0] if call.args else None
    return None


def variables_read(path: Path) -> tuple[set[str], list[str]]:
    """The variable names a module reads, and the places where it reads one whose name cannot be
    told from the source. A name from a loop over literal names (`for name in ("A", "B")`) counts."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    loop_values: dict[str, list[str]] = {}
    reader_bodies: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Tuple | ast.List)
        ):
            values = [item.value for item in node.iter.elts if isinstance(item, ast.Constant)]
            if all(isinstance(value, str) for value in values):
                loop_values.setdefault(node.target.id, []).extend(values)
        if isinstance(node, ast.FunctionDef) and node.name in ENV_READERS:
            reader_bodies.update(id(inner) for inner in ast.walk(node))

    names: set[str] = set()
    unknown: list[str] = []
    for node in ast.walk(tree):
        argument = None
        if isinstance(node, ast.Call):
            argument = _name_argument(node)
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            argument = node.slice
        if argument is None or id(node) in reader_bodies:
            continue
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            names.add(argument.value)
        elif isinstance(argument, ast.Name) and argument.id in loop_values:
            names.update(loop_values[argument.id])
        else:
            unknown.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    names.discard("DJANGO_SETTINGS_MODULE")
    return names, unknown


ASSIGNMENT = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")


def documented_variables(text: str) -> tuple[set[str], set[str], list[str]]:
    """The variables the template documents (a comment line right above `NAME=…` or `# NAME=…`),
    those it names without a comment, and those it sets twice."""
    documented: set[str] = set()
    bare: set[str] = set()
    set_twice: list[str] = []
    active: set[str] = set()
    comment_above = False
    for line in text.splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            name = match.group(1)
            (documented if comment_above else bare).add(name)
            if not line.startswith("#"):
                if name in active:
                    set_twice.append(name)
                active.add(name)
            comment_above = False
        else:
            comment_above = line.startswith("#") and len(line.strip("# -")) > 0
    return documented, bare - documented, set_twice


def all_variables_read() -> set[str]:
    names: set[str] = set()
    for path in ENV_READING_FILES:
        if path.exists():
            names |= variables_read(path)[0]
    return names


def test_it_documents_every_variable_the_settings_read():
    documented, _, _ = documented_variables(ENV_TEMPLATE.read_text(encoding="utf-8"))
    missing = sorted(all_variables_read() - documented)
    assert not missing, f"deploy/crm.env.example does not document (a comment line, then NAME=…): {missing}"


def test_it_can_tell_every_variable_name_the_settings_read():
    unknown = [place for path in ENV_READING_FILES if path.exists() for place in variables_read(path)[1]]
    assert not unknown, (
        f"environment variables read by a computed name (use a literal, or this test misses them): {unknown}"
    )


def test_it_documents_nothing_stale_nor_twice():
    documented, bare, set_twice = documented_variables(ENV_TEMPLATE.read_text(encoding="utf-8"))
    stale = sorted(documented - all_variables_read() - READ_ELSEWHERE)
    assert not stale, f"deploy/crm.env.example documents variables nothing reads: {stale}"
    assert not bare, f"deploy/crm.env.example names variables without a comment: {sorted(bare)}"
    assert not set_twice, f"deploy/crm.env.example sets variables twice: {set_twice}"


def test_it_finds_the_variable_reads_it_checks():
    names, _ = variables_read(ENV_READING_FILES[0])
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "TENANT_EMERGENCY_RESPOND"} <= names
    assert "name" not in names
    documented, bare, _ = documented_variables("# What A is.\nA_ONE=1\n\n# B, default 2.\n# B_TWO=2\nC_THREE=3\n")
    assert documented == {"A_ONE", "B_TWO"} and bare == {"C_THREE"}


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file as {section: {key: [values in order]}}; keys may repeat."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in (UNITS / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def repo_path(path: str) -> Path:
    """A path on the production machine as the repository (and this test's venv) has it."""
    relative = path.removeprefix("/srv/crm/")
    if relative.startswith(".venv/bin/"):
        return Path(sys.executable).parent / relative.removeprefix(".venv/bin/")
    return ROOT / relative


def test_it_runs_each_service_as_the_guide_says():
    for name in SERVICES:
        service = unit(name)["Service"]
        assert service["User"] == ["crm"], name
        assert service["WorkingDirectory"] == ["/srv/crm"], name
        assert service["EnvironmentFile"][0] == "/etc/crm/crm.env", name
        for setting in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes"):
            key, value = setting.split("=")
            assert service.get(key) == [value], f"{name}: {setting}"
        command = service["ExecStart"][0].split()
        assert repo_path(command[0]).exists(), f"{name}: {command[0]}"
        for word in command[1:]:
            if word.startswith("/srv/crm/"):
                assert repo_path(word).exists(), f"{name}: {word}"


def test_it_starts_code_that_exists():
    web = unit("crm-web.service")["Service"]["ExecStart"][0].split()
    assert web[web.index("-c") + 1] == "/srv/crm/deploy/gunicorn.conf.py"
    assert web[-1] == "crm_project.wsgi" and (ROOT / "crm_project" / "wsgi.py").exists()
    for name in ("crm-worker@.service", "crm-beat.service"):
        command = unit(name)["Service"]["ExecStart"][0].split()
        assert command[command.index("-A") + 1] == "crm_project", name
    from crm_project.celery import app

    assert app.main == "crm_project"
    worker = unit("crm-worker@.service")["Service"]
    assert "-Q %I" in worker["ExecStart"][0]
    assert worker["KillMode"] == ["mixed"]


def test_every_queue_has_a_worker_in_the_guide_and_the_compose_file():
    guide = (DEPLOY / "README.md").read_text(encoding="utf-8")
    instances = set(re.findall(r"crm-worker@([a-z,]+)", guide))
    assert {"reminders,default", "mail", "bulk"} <= instances
    assert {queue for instance in instances for queue in instance.split(",")} == set(QUEUES)

    services = compose()["services"]
    consumed = set()
    for service in services.values():
        command = service.get("command") or []
        if "worker" in command:
            consumed.update(command[command.index("-Q") + 1].split(","))
    assert consumed == set(QUEUES)


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_the_compose_file_has_the_services_of_the_guide():
    services = compose()["services"]
    assert {"postgres", "redis", "nginx"} <= services.keys()
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    webs = [name for name, service in services.items() if "gunicorn" in (service.get("command") or ["gunicorn"])]
    webs = [name for name in webs if name.startswith("web")]
    assert len(webs) >= 2 or services.get("web", {}).get("deploy", {}).get("replicas", 1) >= 2
    beats = [name for name, service in services.items() if "beat" in (service.get("command") or [])]
    assert beats == ["beat"]
    for service in services.values():
        if "build" in service:
            assert (DEPLOY / service["build"]["context"] / service["build"].get("dockerfile", "Dockerfile")).exists()
    for volume in services["nginx"].get("volumes", []):
        source = volume.split(":")[0]
        if source.startswith("."):
            assert (DEPLOY / source).exists(), source


def test_the_image_runs_as_a_user_from_the_python_base():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim-bookworm", dockerfile, re.M)
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in {"root", "0"}
