"""The bench's machinery: its folders and settings, running commands, timing phases, and the
tools it installs (wrk, the django-helpdesk virtualenv, PostgreSQL). `loading.py` serves and
loads an app; `targets.py` describes the apps; `run.py` runs the bench."""

# The bench starts the programs it measures (gunicorn, wrk, PostgreSQL, pip) from fixed paths
# with arguments it builds itself: no shell, no outside input.
# ruff: noqa: S603

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def base_interpreter() -> str:
    """The Python the running virtualenv was made from."""
    return os.path.realpath(getattr(sys, "_base_executable", sys.executable))


def interpreter_tag() -> str:
    return hashlib.sha256(f"{base_interpreter()} {sys.version}".encode()).hexdigest()[:10]


def helpdesk_venv(phases: Phases) -> tuple[Path, str, str]:
    """A virtualenv with the newest django-helpdesk 2.x, made from the interpreter Frontdesk's
    .venv was made from (the same Python runs both), reused while that stays the newest
    (bench/work/venvs/ is a cache, like pip's). Returns (bin dir, version, pip freeze)."""
    with phases("django-helpdesk: virtualenv"):
        version = latest_helpdesk_version()
        venv = WORK / "venvs" / f"helpdesk-{version}-{interpreter_tag()}"
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
