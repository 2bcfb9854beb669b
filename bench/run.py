"""`make bench`: Frontdesk against django-helpdesk and the bare-Django floor, in one run.

    .venv/bin/python bench/run.py --requests 100000      (what bench/run.sh runs, N=...)

From a fresh work folder (bench/work/n<N>/): seeds Frontdesk on SQLite, django-helpdesk (in its
own virtualenv) on SQLite, and Frontdesk again on a throwaway PostgreSQL; serves each with
gunicorn (2 sync workers, DEBUG off), and a bare Django "ok" view the same way (the floor);
drives every endpoint with wrk after a warm-up; counts each endpoint's SQL queries once through
Django's test client; prints one table and writes it as JSON and Markdown to
bench/results/n<N>.{json,md}. With N other than 100,000 the table also shows how each p50 moved
from the 100k results (run first when missing). bench/README.md explains what is measured.
"""

# The bench starts the programs it measures (gunicorn, wrk, PostgreSQL, pip) from fixed paths
# with arguments it builds itself: no shell, no outside input.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from report import (
    BASELINE_N,
    BUSY_SHARE,
    CONNECTIONS,
    DURATION,
    WRK_TIMEOUT,
    baseline_for,
    markdown,
    text_table,
    verdicts,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / "work"
RESULTS = BENCH / "results"
MAIN_BIN = ROOT / ".venv" / "bin"
HELPDESK_PROJECT = BENCH / "helpdesk_project"
HELPDESK_MAJOR = "2."

WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))  # seconds
# Persistent database connections, as a production deployment runs; the same for every app.
CONN_MAX_AGE = os.environ.get("BENCH_CONN_MAX_AGE", "60")
GUNICORN = ["--workers", "2", "--worker-class", "sync", "--timeout", "300",
            "--graceful-timeout", "5", "--log-level", "warning"]

STARTED = time.monotonic()


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.monotonic() - STARTED:7.1f}s] {message}\n")
    sys.stderr.flush()


def run(argv: list[str], *, env: dict[str, str] | None = None, cwd: Path = ROOT,
        capture: bool = False, quiet: bool = False) -> str:
    """Run a program; with `capture`, return its output (its stderr is passed on unless
    `quiet`, and shown anyway when it fails)."""
    result = subprocess.run(argv, env=env, cwd=cwd, check=False, text=True,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.PIPE if capture else None)
    if result.returncode != 0:
        if capture:
            sys.stderr.write(result.stdout or "")
            sys.stderr.write(result.stderr or "")
        raise SystemExit(f"bench: failed ({result.returncode}): {' '.join(argv)}")
    if capture and result.stderr and not quiet:
        sys.stderr.write(result.stderr)
    return result.stdout or ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Phases:
    """How long each phase took, in order."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        log(f"{name} ...")
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = round(time.monotonic() - started, 1)
            log(f"{name}: {self.seconds[name]}s")


# Tools: wrk, the django-helpdesk virtualenv, PostgreSQL.

def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    log("wrk is missing: apt-get install -y wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-q"], env=env)
        run(install, env=env)
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("bench: wrk could not be installed")
    return wrk


def latest_helpdesk_version() -> str:
    """The newest django-helpdesk 2.x on PyPI (pip's own index query)."""
    output = run([str(MAIN_BIN / "pip"), "index", "versions", "django-helpdesk"], capture=True,
                 quiet=True)
    for line in output.splitlines():
        if line.strip().startswith("Available versions:"):
            versions = [v.strip() for v in line.split(":", 1)[1].split(",")]
            for version in versions:  # pip lists them newest first
                if version.startswith(HELPDESK_MAJOR) and all(
                        part.isdigit() for part in version.split(".")):
                    return version
    raise SystemExit("bench: no django-helpdesk 2.x found on the package index")


def helpdesk_venv(phases: Phases) -> tuple[Path, str, str]:
    """A virtualenv with the newest django-helpdesk 2.x, reused while that stays the newest
    (bench/work/venvs/ is a cache, like pip's). Returns (bin dir, version, pip freeze)."""
    with phases("django-helpdesk: virtualenv"):
        version = latest_helpdesk_version()
        venv = WORK / "venvs" / f"helpdesk-{version}"
        stamp = venv / ".bench-installed"
        if not stamp.exists():
            shutil.rmtree(venv, ignore_errors=True)
            run([sys.executable, "-m", "venv", str(venv)])
            # pip chooses the Django version django-helpdesk's requirements allow.
            run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                 f"django-helpdesk=={version}", "gunicorn", "whitenoise"], capture=True,
                quiet=True)
            stamp.touch()
        freeze = run([str(venv / "bin" / "pip"), "freeze", "--disable-pip-version-check"],
                     capture=True, quiet=True)
    return venv / "bin", version, freeze


def postgres_bin() -> Path:
    configured = os.environ.get("BENCH_PG_BIN")
    if configured:
        return Path(configured)
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                        key=lambda path: int(path.parent.parent.name)
                        if path.parent.parent.name.isdigit() else 0)
    if not candidates:
        raise SystemExit("bench: PostgreSQL binaries not found (set BENCH_PG_BIN)")
    return candidates[-1].parent


class Postgres:
    """A throwaway PostgreSQL cluster in the work folder (initdb runs as `postgres`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.bin = postgres_bin()
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/frontdesk"

    def _run(self, argv: list[str]) -> None:
        if self.as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        run(argv, capture=True)

    def start(self) -> None:
        self.folder.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        self._run([str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                   "-E", "UTF8", "--locale=C.UTF-8"])
        options = " ".join([
            f"-p {self.port}", "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.folder}",
            # Like SQLite's synchronous=NORMAL in WAL mode: no flush per commit.
            "-c synchronous_commit=off",
            "-c shared_buffers=1GB", "-c effective_cache_size=8GB", "-c work_mem=16MB",
            "-c max_wal_size=4GB", "-c checkpoint_timeout=30min", "-c max_connections=50",
        ])
        self._run([str(self.bin / "pg_ctl"), "-D", str(data), "-l",
                   str(self.folder / "postgres.log"), "-o", options, "-w", "start"])
        self._run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                   "-U", "postgres", "frontdesk"])

    def version(self) -> str:
        return run([str(self.bin / "postgres"), "--version"], capture=True).strip()

    def stop(self) -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                   "-w", "stop"])


# Other work on the machine: the bench shares it (with test runs, for one), and a busy
# neighbour lowers every figure. During each measurement the bench counts the CPU time the
# machine spent on anything but the bench's own processes (wrk, gunicorn, its PostgreSQL),
# plus time stolen by the hypervisor; a measurement that lost much is taken again.

@dataclass
class CpuSnapshot:
    busy: int  # clock ticks the machine spent busy (all CPUs), steal included
    processes: dict[int, tuple[int, int]]  # pid -> (parent pid, its ticks so far)
    children: float  # CPU seconds of this process's waited-for children (wrk)


def cpu_snapshot() -> CpuSnapshot:
    with open("/proc/stat") as stat_file:
        fields = [int(value) for value in stat_file.readline().split()[1:9]]
    # Interrupt time is left out: at a thousand connections a second it is mostly the
    # bench's own network traffic, and it belongs to no process.
    user, nice, system, _idle, _iowait, _irq, _softirq, steal = fields
    processes: dict[int, tuple[int, int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat_file:
                rest = stat_file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        processes[int(entry.name)] = (int(rest[1]), int(rest[11]) + int(rest[12]))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return CpuSnapshot(busy=user + nice + system + steal,
                       processes=processes, children=usage.ru_utime + usage.ru_stime)


def other_cpu_seconds(before: CpuSnapshot, after: CpuSnapshot, ours: set[int]) -> float:
    """CPU seconds the machine spent between the snapshots on anything but the process trees
    rooted at `ours` and this process's children."""
    def is_ours(pid: int) -> bool:
        for _step in range(64):
            # Kernel threads (children of kthreadd, pid 2) do the bench's network work too.
            if pid in ours or pid == 2:
                return True
            if pid <= 1:
                return False
            pid = after.processes.get(pid, before.processes.get(pid, (0, 0)))[0]
        return False

    tick = os.sysconf("SC_CLK_TCK")
    our_ticks = sum(total - before.processes.get(pid, (0, 0))[1]
                    for pid, (_parent, total) in after.processes.items()
                    if pid != os.getpid() and is_ours(pid))
    ours_seconds = our_ticks / tick + (after.children - before.children)
    return max(0.0, (after.busy - before.busy) / tick - ours_seconds)


# Serving and loading.

class Server:
    """gunicorn with 2 sync workers, in its own process group so it can be stopped whole."""

    def __init__(self, name: str, gunicorn: Path, app: str, *, env: dict[str, str], cwd: Path,
                 log_path: Path) -> None:
        self.name, self.gunicorn, self.app = name, gunicorn, app
        self.env, self.cwd, self.log_path = env, cwd, log_path
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.port = free_port()
        log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(self.gunicorn), self.app, "--bind", f"127.0.0.1:{self.port}", *GUNICORN],
            env=self.env, cwd=self.cwd, stdout=log_file, stderr=log_file,
            start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: {self.name} gunicorn exited; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"bench: {self.name} did not start; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGQUIT: gunicorn's quick shutdown; requests still queued from a slow run are dropped.
        os.killpg(self.process.pid, signal.SIGQUIT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@dataclass
class Endpoint:
    key: str
    path: str
    marker: str  # must be in the response body (GET) or the Location header (POST)
    cookies: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] | None = None  # a POST of this form; "__N__" varies per request
    status: int = 200

    @property
    def method(self) -> str:
        return "GET" if self.form is None else "POST"

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, endpoint: Endpoint) -> tuple[int, str, str]:
    """One real request (status, body, Location), to check an endpoint before loading it."""
    data = None
    headers = {"Cookie": endpoint.cookie_header()} if endpoint.cookies else {}
    if endpoint.form is not None:
        body = {key: value.replace("__N__", f"check{secrets.token_hex(4)}")
                for key, value in endpoint.form.items()}
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    # Always http://127.0.0.1:<port>/..., built by Server.url.
    request = urllib.request.Request(url, data=data, headers=headers,  # noqa: S310
                                     method=endpoint.method)
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=300) as response:
            return (response.status, response.read().decode("utf-8", "replace"),
                    response.headers.get("Location", ""))
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), error.headers.get(
            "Location", "")


LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, " ..
    "\\"status_errors\\": %d, \\"connect_errors\\": %d, \\"read_errors\\": %d, " ..
    "\\"write_errors\\": %d, \\"timeouts\\": %d, \\"p50_us\\": %d, \\"p90_us\\": %d, " ..
    "\\"p99_us\\": %d, \\"max_us\\": %d, \\"mean_us\\": %.1f}\\n",
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def lua_script(endpoint: Endpoint, folder: Path) -> Path:
    """The wrk script: the `done` hook that reports percentiles as JSON, and for a POST the
    urlencoded body with a per-request number in place of "__N__"."""
    script = LUA_DONE
    if endpoint.form is not None:
        tag = secrets.token_hex(3)
        body = urllib.parse.urlencode({key: value.replace("__N__", f"{tag}x__N__")
                                       for key, value in endpoint.form.items()})
        parts = ", ".join(json.dumps(part) for part in body.split("__N__"))
        script = f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local parts = {{{parts}}}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, table.concat(parts, tostring(counter)))
end
""" + script
    path = folder / f"wrk-{endpoint.key}-{secrets.token_hex(3)}.lua"
    path.write_text(script)
    return path


def wrk(wrk_bin: str, url: str, endpoint: Endpoint, seconds: int, folder: Path
        ) -> dict[str, Any]:
    argv = [wrk_bin, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", WRK_TIMEOUT,
            "--latency", "-s", str(lua_script(endpoint, folder))]
    if endpoint.cookies:
        argv += ["-H", f"Cookie: {endpoint.cookie_header()}"]
    output = run([*argv, url], capture=True)
    for line in output.splitlines():
        if line.startswith("WRKJSON "):
            stats: dict[str, Any] = json.loads(line[len("WRKJSON "):])
            seconds_run = stats["duration_us"] / 1e6
            stats["rps"] = stats["requests"] / seconds_run if seconds_run else 0.0
            stats["unexpected"] = stats["status_errors"] + stats["timeouts"]
            return stats
    raise SystemExit(f"bench: no report from wrk:\n{output}")


@dataclass
class Target:
    """One app served one way, with what the bench needs to drive it."""

    name: str
    server: Server
    endpoints: list[Endpoint]
    probe_python: Path
    probe_env: dict[str, str]
    probe_cwd: Path
    count_label: str = ""  # the model whose rows a form POST creates
    postgres_data: Path | None = None  # its processes are the bench's own too
    git: dict[str, Any] = field(default_factory=dict)  # the code it runs


def probe(target: Target, command: str, argument: str) -> Any:
    output = run([str(target.probe_python), str(BENCH / "probe.py"), command, argument],
                 env=target.probe_env, cwd=target.probe_cwd, capture=True)
    return json.loads(output.strip().splitlines()[-1])


def measure(wrk_bin: str, url: str, endpoint: Endpoint, folder: Path, ours: set[int],
            name: str) -> dict[str, Any]:
    """The measured wrk run; taken again (up to twice, after a pause) while other processes
    used more than BUSY_SHARE of the machine, keeping the least disturbed one. A form POST is
    measured once (each run adds rows)."""
    best: dict[str, Any] | None = None
    attempts = 1 if endpoint.form is not None else 3
    for attempt in range(attempts):
        if attempt:
            log(f"  {name} {endpoint.key}: other processes used {best and best['other_cpu_s']}"
                " CPU-seconds; measuring again in 20 s")
            time.sleep(20)
            wrk(wrk_bin, url, endpoint, WARMUP, folder)
        before = cpu_snapshot()
        stats = wrk(wrk_bin, url, endpoint, DURATION, folder)
        stats["other_cpu_s"] = round(other_cpu_seconds(before, cpu_snapshot(), ours), 1)
        stats["attempts"] = attempt + 1
        if best is None or stats["other_cpu_s"] < best["other_cpu_s"]:
            best = stats
        if best["other_cpu_s"] <= BUSY_SHARE * DURATION * (os.cpu_count() or 1):
            break
    assert best is not None
    return best


def load(target: Target, wrk_bin: str, folder: Path) -> dict[str, Any]:
    """Each endpoint on freshly started workers: check it, warm up, measure. Records the
    commit the workers ran (the tree may move during a long run)."""
    results: dict[str, Any] = {"git": target.git}
    for endpoint in target.endpoints:
        target.server.start()
        try:
            url = target.server.url(endpoint.path)
            status, body, location = fetch(url, endpoint)
            seen = location if endpoint.form is not None else body
            if status != endpoint.status or endpoint.marker not in seen:
                raise SystemExit(
                    f"bench: {target.name} {endpoint.key}: expected {endpoint.status} with "
                    f"{endpoint.marker!r}, got {status} {location}\n{body[:2000]}")
            wrk(wrk_bin, url, endpoint, WARMUP, folder)
            before = (int(probe(target, "count", target.count_label))
                      if endpoint.form is not None else 0)
            ours = {os.getpid()}
            if target.postgres_data is not None:
                ours.add(int((target.postgres_data / "postmaster.pid").read_text().split()[0]))
            stats = measure(wrk_bin, url, endpoint, folder, ours, target.name)
            if endpoint.form is not None:
                created = int(probe(target, "count", target.count_label)) - before
                stats["created"] = created
                stats["created_per_s"] = created / (stats["duration_us"] / 1e6)
        finally:
            target.server.stop()
        results[endpoint.key] = stats
        log(f"  {target.name} {endpoint.key}: {stats['rps']:,.1f} req/s, "
            f"p50 {stats['p50_us'] / 1000:,.1f} ms, p99 {stats['p99_us'] / 1000:,.1f} ms, "
            f"unexpected {stats['unexpected']}, other processes' CPU {stats['other_cpu_s']}s")
    return results


# The apps.

def frontdesk_target(name: str, n: int, folder: Path, secret_key: str, phases: Phases,
                     postgres: Postgres | None, tree: Path) -> tuple[Target, dict[str, Any]]:
    var = folder / name
    var.mkdir(parents=True)
    env = {
        **os.environ, "DEBUG": "false", "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "FRONTDESK_VAR_DIR": str(var),
        "STATIC_ROOT": str(folder / "static-frontdesk"), "CONN_MAX_AGE": CONN_MAX_AGE,
        # The form's flood protection would answer 429 after 20 requests an hour.
        "FRONTDESK_FORM_LIMIT_PER_IP": "1000000000",
        "FRONTDESK_FORM_LIMIT_PER_EMAIL": "1000000000",
        "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "frontdesk.settings",
    }
    env.pop("DATABASE_URL", None)
    if postgres is not None:
        env["DATABASE_URL"] = postgres.url
    manage = [str(MAIN_BIN / "python"), "manage.py"]
    with phases(f"{name}: migrate"):
        run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=tree)
    with phases(f"{name}: seed_bench --requests {n}"):
        seed = json.loads(run([*manage, "seed_bench", "--requests", str(n)], env=env,
                              cwd=tree, capture=True))
    if not (folder / "static-frontdesk").exists():
        with phases(f"{name}: collectstatic"):
            run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=tree)
    target = Target(name=name, server=Server(name, MAIN_BIN / "gunicorn",
                                             "frontdesk.wsgi:application", env=env, cwd=tree,
                                             log_path=folder / f"{name}-gunicorn.log"),
                    endpoints=[], probe_python=MAIN_BIN / "python", probe_env=env,
                    probe_cwd=tree, count_label="support.Task",
                    postgres_data=postgres.folder / "data" if postgres else None)
    spec = {
        "staff": {"kind": "auth", "user_id": seed["staff_user_id"]},
        "ordinary": {"kind": "frontdesk-portal",
                     "portal_user_id": seed["ordinary"]["portal_user_id"]},
        "big": {"kind": "frontdesk-portal", "portal_user_id": seed["big"]["portal_user_id"]},
    }
    spec_path = folder / f"{name}-sessions.json"
    spec_path.write_text(json.dumps(spec))
    sessions = probe(target, "sessions", str(spec_path))
    org = seed["organization"]["slug"]
    csrf = sessions["csrf"]
    big, ordinary, long_task = seed["big"], seed["ordinary"], seed["detail_30"]["task_id"]
    customers = seed["customers"]
    staff, portal, portal_big = ({"sessionid": sessions[key]}
                                 for key in ("staff", "ordinary", "big"))
    target.endpoints = [
        Endpoint("form_get", f"/p/{org}/support/", 'name="email"'),
        Endpoint("portal_list", f"/p/{org}/requests/", f"#{ordinary['newest_request_id']}<",
                 portal),
        Endpoint("portal_list_big", f"/p/{org}/requests/", f"#{big['newest_request_id']}<",
                 portal_big),
        Endpoint("portal_list_big_deep", f"/p/{org}/requests/?before={big['deep_before']}",
                 f"#{big['deep_first_id']}<", portal_big),
        Endpoint("portal_detail", f"/p/{org}/requests/{long_task}/",
                 seed["detail_30"]["title"], portal),
        Endpoint("staff_list", f"/app/{org}/requests/?view=open", 'class="pill pill-',
                 staff),
        Endpoint("staff_detail", f"/app/{org}/requests/{long_task}/",
                 seed["detail_30"]["title"], staff),
        # The staff member's inbox: open requests assigned to them, newest first.
        Endpoint("staff_mine", f"/app/{org}/requests/?view=mine",
                 f"<td>{seed['staff_mine']['newest_id']}</td>", staff),
        # The customer register: first page by name, and two searches (SPEC C1).
        Endpoint("customer_list", f"/app/{org}/customers/",
                 f">{escape(customers['first_by_name'])}</a>", staff),
        Endpoint("customer_search", f"/app/{org}/customers/?" + urllib.parse.urlencode(
                     {"q": customers["name_search"]["term"]}),
                 f">{escape(customers['name_search']['first'])}</a>", staff),
        Endpoint("customer_search_email", f"/app/{org}/customers/?" + urllib.parse.urlencode(
                     {"q": customers["email_search"]["term"]}),
                 f">{escape(customers['email_search']['first'])}</a>", staff),
        Endpoint("form_post", f"/p/{org}/support/", f"/p/{org}/support/thanks/",
                 {"csrftoken": csrf["cookie"]},
                 form={"csrfmiddlewaretoken": csrf["token"],
                       "topic": str(seed["topic_ids"][0]), "first_name": "Load",
                       "last_name": "Test", "email": "load-__N__@bench.example",
                       "title": "Printer on floor __N__ is offline",
                       "description": "Since this morning nothing prints. Request __N__.",
                       "website": ""},
                 status=302),
    ]
    # Query counts: the endpoints, plus a 3-post request (constant whatever the posts).
    extra = [
        Endpoint("portal_detail_3", f"/p/{org}/requests/{seed['detail_3']['task_id']}/", "",
                 portal),
        Endpoint("staff_detail_3", f"/app/{org}/requests/{seed['detail_3']['task_id']}/", "",
                 staff),
    ]
    return target, {"seed": seed, "query_spec": extra}


def helpdesk_target(n: int, folder: Path, secret_key: str, phases: Phases, venv_bin: Path
                    ) -> tuple[Target, dict[str, Any]]:
    name = "helpdesk"
    work = folder / name
    work.mkdir(parents=True)
    env = {**os.environ, "SECRET_KEY": secret_key, "HELPDESK_WORK_DIR": str(work),
           "CONN_MAX_AGE": CONN_MAX_AGE, "DJANGO_SETTINGS_MODULE": "hdbench.settings",
           "PYTHONPATH": str(HELPDESK_PROJECT)}
    env.pop("DATABASE_URL", None)
    django_admin = [str(venv_bin / "python"), "-m", "django"]
    with phases("helpdesk: migrate"):
        run([*django_admin, "migrate", "--noinput", "-v", "0"], env=env, cwd=HELPDESK_PROJECT)
    with phases(f"helpdesk: seed_helpdesk --requests {n}"):
        seed = json.loads(run([*django_admin, "seed_helpdesk", "--requests", str(n)], env=env,
                              cwd=HELPDESK_PROJECT, capture=True))
    with phases("helpdesk: collectstatic"):
        run([*django_admin, "collectstatic", "--noinput", "-v", "0"], env=env,
            cwd=HELPDESK_PROJECT)
    target = Target(name=name, server=Server(name, venv_bin / "gunicorn",
                                             "hdbench.wsgi:application", env=env,
                                             cwd=HELPDESK_PROJECT,
                                             log_path=folder / "helpdesk-gunicorn.log"),
                    endpoints=[], probe_python=venv_bin / "python", probe_env=env,
                    probe_cwd=HELPDESK_PROJECT, count_label="helpdesk.Ticket")
    spec = {key: {"kind": "auth", "user_id": user_id} for key, user_id in (
        ("staff", seed["staff_user_id"]), ("ordinary", seed["ordinary"]["user_id"]),
        ("big", seed["big"]["user_id"]))}
    spec_path = folder / "helpdesk-sessions.json"
    spec_path.write_text(json.dumps(spec))
    sessions = probe(target, "sessions", str(spec_path))
    csrf = sessions["csrf"]
    big, ordinary, long_ticket = seed["big"], seed["ordinary"], seed["detail_30"]
    staff, portal, portal_big = ({"sessionid": sessions[key]}
                                 for key in ("staff", "ordinary", "big"))
    # The query its ticket list page hands to the DataTables JSON endpoint by default
    # (views/staff.py ticket_list: open and reopened, sorted by creation).
    default_query = {"filtering": {"status__in": [1, 2]}, "sorting": "created",
                     "search_string": "", "sortreverse": False}
    query = base64.b64encode(json.dumps(default_query).encode()).decode()
    # Its list filtered on the owner, as ticket_list builds the query from ?assigned_to=<id>
    # with the status filter of the default list (open and reopened): its equivalent of
    # "Assigned to me" (the "My tickets" feed links to ?assigned_to=<id>).
    mine_query = {"filtering": {"assigned_to__id__in": [seed["staff_user_id"]],
                                "status__in": [1, 2]},
                  "filtering_null": {}, "sorting": "created", "sortreverse": None,
                  "search_string": ""}
    mine = base64.b64encode(json.dumps(mine_query).encode()).decode()
    public_view = urllib.parse.urlencode({"ticket": long_ticket["ticket_for_url"],
                                          "email": ordinary["email"]})
    target.endpoints = [
        Endpoint("form_get", "/tickets/submit/", 'name="submitter_email"'),
        Endpoint("portal_list", "/api/user_tickets/", f'"id":{ordinary["newest_request_id"]},',
                 portal),
        Endpoint("portal_list_big", "/api/user_tickets/", f'"id":{big["newest_request_id"]},',
                 portal_big),
        Endpoint("portal_list_big_deep", f"/api/user_tickets/?page={big['deep_page']}",
                 f'"id":{big["deep_first_id"]},', portal_big),
        Endpoint("portal_detail", f"/view/?{public_view}", long_ticket["title"], portal),
        Endpoint("staff_list",
                 f"/datatables_ticket_list/{query}?draw=1&start=0&length=25",
                 '"data": [{', staff),
        Endpoint("staff_detail", f"/tickets/{long_ticket['task_id']}/", long_ticket["title"],
                 staff),
        Endpoint("staff_mine", f"/datatables_ticket_list/{mine}?draw=1&start=0&length=25",
                 f'"id": {seed["staff_mine"]["oldest_id"]},', staff),
        Endpoint("form_post", "/tickets/submit/", "/view/?ticket=", {"csrftoken": csrf["cookie"]},
                 form={"csrfmiddlewaretoken": csrf["token"], "queue": str(seed["queue_ids"][0]),
                       "title": "Printer on floor __N__ is offline",
                       "body": "Since this morning nothing prints. Request __N__.",
                       "priority": "3", "submitter_email": "load-__N__@bench.example",
                       "due_date": ""},
                 status=302),
    ]
    return target, {"seed": seed, "query_spec": []}


def count_queries(target: Target, extra: list[Endpoint], folder: Path) -> dict[str, Any]:
    spec = [{"name": e.key, "method": e.method, "path": e.path, "cookies": e.cookies,
             "form": e.form} for e in [*target.endpoints, *extra]]
    spec_path = folder / f"{target.name}-queries.json"
    spec_path.write_text(json.dumps(spec))
    counted: dict[str, Any] = probe(target, "queries", str(spec_path))
    for endpoint in [*target.endpoints, *extra]:
        status = counted[endpoint.key]["status"]
        if status != endpoint.status:
            raise SystemExit(f"bench: {target.name} {endpoint.key} answered {status} in the "
                             "test client")
    return counted


# One run at one N.

def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": model, "platform": platform.platform(),
            "python": platform.python_version(), "load_average": os.getloadavg()}


# The bench's own files inside the app's tree: the data generator, which prints what run.py
# looks for. They come from the working tree even when the app is a copy of a commit.
BENCH_OWNED = [Path("frontdesk/core/management/commands/seed_bench.py")]


def frontdesk_tree(commit: str | None) -> Path:
    """The Frontdesk code to measure: with `commit`, a copy of that commit in
    bench/work/tree-<commit>/ (others may commit while the bench runs; the 100k and 1M passes
    then run the same code), with its translations compiled as `make` does, and the bench's
    own files (BENCH_OWNED) as they are in the working tree; else the working tree itself."""
    if commit is None:
        return ROOT
    tree = WORK / f"tree-{commit[:12]}"
    if not (tree / ".bench-complete").exists():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.Popen(["git", "archive", commit], cwd=ROOT, stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(tree)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise SystemExit(f"bench: git archive {commit} failed")
        locale = tree / "frontdesk" / "locale"
        if list(locale.glob("*/LC_MESSAGES/django.po")):
            run([str(MAIN_BIN / "pybabel"), "-q", "compile", "-d", str(locale), "-D", "django"])
        (tree / ".bench-complete").touch()
    for owned in BENCH_OWNED:
        # The bench's own code in the app's tree: always the working tree's (bench/run.py
        # is, too, and they go together).
        if (ROOT / owned).read_bytes() != (tree / owned).read_bytes():
            shutil.copyfile(ROOT / owned, tree / owned)
    found = run([str(MAIN_BIN / "python"), "-c", "import frontdesk; print(frontdesk.__file__)"],
                cwd=tree, capture=True).strip()
    if not found.startswith(str(tree)):
        raise SystemExit(f"bench: the copy in {tree} is not what Python imports ({found})")
    return tree


def git_state(commit: str | None = None) -> dict[str, Any]:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                check=False)
        return result.stdout.strip()

    if commit is not None:
        # Bench files of the working tree that differ from the commit's (see BENCH_OWNED).
        changed = [str(path) for path in BENCH_OWNED
                   if git("diff", "--name-only", commit, "--", str(path))]
        return {"commit": commit[:12], "dirty": False, "copy_of_commit": True,
                "bench_files_uncommitted": changed}
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--", "frontdesk"))}


def bench(n: int, wrk_bin: str, only: set[str], keep: bool, commit: str | None
          ) -> dict[str, Any]:
    phases = Phases()
    tree = frontdesk_tree(commit)
    folder = WORK / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    secret_key = secrets.token_urlsafe(50)
    report: dict[str, Any] = {
        "n": n, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "machine": machine(),
        "git": git_state(commit),
        "settings": {"wrk": f"-t1 -c{CONNECTIONS} -d{DURATION}s --timeout {WRK_TIMEOUT}",
                     "warmup_s": WARMUP, "gunicorn": " ".join(GUNICORN),
                     "conn_max_age": CONN_MAX_AGE},
        "targets": {}, "queries": {}, "seed": {}, "phases": phases.seconds,
    }
    log(f"N={n:,}: work folder {folder}")

    floor_env = {**os.environ, "SECRET_KEY": secret_key}
    floor = Target("floor", Server("floor", MAIN_BIN / "gunicorn", "floor:application",
                                   env=floor_env, cwd=BENCH / "floor",
                                   log_path=folder / "floor-gunicorn.log"),
                   [Endpoint("floor", "/", "ok")], MAIN_BIN / "python", floor_env, BENCH / "floor")
    if "floor" in only:
        with phases("floor: load"):
            report["targets"]["floor"] = load(floor, wrk_bin, folder)

    if "frontdesk-sqlite" in only:
        target, extra = frontdesk_target("frontdesk-sqlite", n, folder, secret_key, phases,
                                         None, tree)
        target.git = report["git"]
        report["seed"]["frontdesk-sqlite"] = extra["seed"]
        with phases("frontdesk-sqlite: queries"):
            report["queries"]["frontdesk-sqlite"] = count_queries(target, extra["query_spec"],
                                                                  folder)
        with phases("frontdesk-sqlite: load"):
            report["targets"]["frontdesk-sqlite"] = load(target, wrk_bin, folder)

    if "helpdesk" in only:
        venv_bin, version, freeze = helpdesk_venv(phases)
        report["helpdesk"] = {"version": version, "freeze": freeze.splitlines()}
        target, extra = helpdesk_target(n, folder, secret_key, phases, venv_bin)
        report["seed"]["helpdesk"] = extra["seed"]
        with phases("helpdesk: queries"):
            report["queries"]["helpdesk"] = count_queries(target, [], folder)
        with phases("helpdesk: load"):
            report["targets"]["helpdesk"] = load(target, wrk_bin, folder)

    if "frontdesk-pg" in only:
        postgres = Postgres(folder / "pg")
        with phases("frontdesk-pg: start PostgreSQL"):
            postgres.start()
        report["postgres"] = postgres.version()
        try:
            target, extra = frontdesk_target("frontdesk-pg", n, folder, secret_key, phases,
                                             postgres, tree)
            target.git = report["git"]
            report["seed"]["frontdesk-pg"] = extra["seed"]
            with phases("frontdesk-pg: queries"):
                report["queries"]["frontdesk-pg"] = count_queries(target, extra["query_spec"],
                                                                  folder)
            with phases("frontdesk-pg: load"):
                report["targets"]["frontdesk-pg"] = load(target, wrk_bin, folder)
        finally:
            postgres.stop()

    if "floor" in only:
        # Measured again at the end; the table uses the higher of the two (the machine at its
        # best), so a disturbed floor does not flatter the percentages.
        with phases("floor: load again"):
            again = load(floor, wrk_bin, folder)["floor"]
        first = report["targets"]["floor"]["floor"]
        report["floor_runs"] = [first, again]
        report["targets"]["floor"]["floor"] = max(first, again, key=lambda run: run["rps"])
    report["machine"]["load_average_at_end"] = os.getloadavg()
    report["seconds"] = round(sum(phases.seconds.values()), 1)
    if not keep:
        for leftover in ("pg", "frontdesk-sqlite", "frontdesk-pg", "helpdesk"):
            shutil.rmtree(folder / leftover, ignore_errors=True)
    return report


def save(report: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    n = report["n"]
    (RESULTS / f"n{n}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"n{n}.md").write_text(markdown(report))
    print(text_table(report))
    print()
    print("\n".join(verdicts(report)))
    print(f"\nWritten: {RESULTS / f'n{n}.md'} and .json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=int(os.environ.get("N", BASELINE_N)))
    parser.add_argument("--only", default="floor,frontdesk-sqlite,helpdesk,frontdesk-pg",
                        help="comma-separated subset of the targets to run")
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases in bench/work/n<N>/ afterwards")
    parser.add_argument("--no-baseline", action="store_true",
                        help=f"with N other than {BASELINE_N:,}, do not run the "
                             f"{BASELINE_N:,} bench first when its results are missing")
    parser.add_argument("--working-tree", action="store_true",
                        help="measure the working tree as it is, instead of a copy of HEAD")
    args = parser.parse_args()
    only = set(args.only.split(","))
    wrk_bin = ensure_wrk()
    commit = None if args.working_tree else run(["git", "rev-parse", "HEAD"],
                                                capture=True).strip()
    if commit:
        log(f"Measuring Frontdesk at {commit[:12]} (a copy of HEAD; --working-tree to measure "
            "uncommitted changes)")
    baseline = baseline_for(args.requests)
    if (args.requests != BASELINE_N and not args.no_baseline
            and (baseline is None or commit is None
                 or baseline["git"]["commit"] != git_state(commit)["commit"])):
        log(f"No results for N={BASELINE_N:,} of this code yet: running that first, to compare "
            "p50s.")
        save(bench(BASELINE_N, wrk_bin, only, args.keep, commit))
    report = bench(args.requests, wrk_bin, only, args.keep, commit)
    baseline = baseline_for(args.requests)
    if baseline:
        report["baseline"] = {key: baseline[key] for key in ("n", "started", "targets",
                                                             "queries", "git")}
    save(report)


if __name__ == "__main__":
    main()
