"""Serving an app with gunicorn and loading it with wrk, one endpoint at a time, while
counting the other work on the machine (a measurement that lost much CPU to it is taken
again)."""

# The bench starts gunicorn and wrk from fixed paths with arguments it builds itself.
# ruff: noqa: S603

from __future__ import annotations

import json
import os
import resource
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from machinery import (
    BENCH,
    GUNICORN,
    WARMUP,
    free_port,
    log,
    run,
)
from report import (
    BUSY_SHARE,
    CONNECTIONS,
    DURATION,
    WRK_TIMEOUT,
)

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
    headers: dict[str, str] = field(default_factory=dict)  # e.g. an API token's

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
    headers.update(endpoint.headers)
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
    for name, value in endpoint.headers.items():
        argv += ["-H", f"{name}: {value}"]
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


def load(target: Target, endpoint: Endpoint, wrk_bin: str, folder: Path, ours: set[int]
         ) -> dict[str, Any]:
    """One endpoint on freshly started workers: check it, warm up, measure. `ours`: the
    bench's own processes (this one, its PostgreSQL), whose CPU is not counted as others'."""
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
        stats = measure(wrk_bin, url, endpoint, folder, ours, target.name)
        if endpoint.form is not None:
            created = int(probe(target, "count", target.count_label)) - before
            stats["created"] = created
            stats["created_per_s"] = created / (stats["duration_us"] / 1e6)
    finally:
        target.server.stop()
    log(f"  {target.name} {endpoint.key}: {stats['rps']:,.1f} req/s, "
        f"p50 {stats['p50_us'] / 1000:,.1f} ms, p99 {stats['p99_us'] / 1000:,.1f} ms, "
        f"unexpected {stats['unexpected']}, other processes' CPU {stats['other_cpu_s']}s")
    return stats
