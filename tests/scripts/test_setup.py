"""scripts/setup.sh installs what the project runs, and proves QEMU works.

Every external command that scripts/, tests/system/, bench/, guests/run-xen.sh
and the make files run must come from a package in setup's HOST_PACKAGES (or
one they depend on) or from Debian's base system (Priority: required, what a
minimal debootstrap root has): otherwise `make test` works only on machines
where somebody once installed it by hand. And setup's QEMU self-check must
stop with a message that names what QEMU misses."""

import functools
import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import commands

REPO = Path(__file__).resolve().parents[2]
SETUP = REPO / "scripts" / "setup.sh"
# A root login's PATH without /usr/local: what packages install into.
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
# Run only when present, and never needed: setup.sh uses sudo when it is
# not root and sudo exists, else it stops with a message.
OPTIONAL = {"sudo"}


def host_packages():
    m = re.search(r'(?ms)^HOST_PACKAGES="(.*?)"', SETUP.read_text())
    assert m, "scripts/setup.sh has no HOST_PACKAGES list"
    return set(m.group(1).split())


def used_commands():
    """{command: [file:line, ...]} over the project's scripts, tests and
    benchmarks."""
    used = {}

    def add(found, path):
        for name, line in found.items():
            used.setdefault(name, []).append(f"{path.relative_to(REPO)}:{line}")

    shells = [*REPO.glob("scripts/*.sh"), REPO / "guests" / "run-xen.sh", REPO / ".ci" / "run"]
    for path in shells:
        add(commands.shell_commands(path.read_text()), path)
    makefiles = [REPO / "Makefile", *(Path(p) for p in glob.glob(str(REPO / "**" / "*.mk"),
                                                                recursive=True))]
    variables = {}
    for path in makefiles:
        for name, value in commands.make_variables(path.read_text()).items():
            variables.setdefault(name, value)
    for path in makefiles:
        add(commands.make_commands(path.read_text(), variables), path)
    pythons = [*REPO.glob("scripts/*.py"), *REPO.glob("tests/system/*.py"),
               *REPO.glob("bench/*.py")]
    for path in pythons:
        add(commands.python_commands(path.read_text()), path)
    return used


def shell_builtins(names):
    """The names that /bin/sh (dash, which runs the scripts and the make
    recipes) knows itself."""
    script = "".join(f"command -V {n} 2>/dev/null || echo '{n} is missing'\n" for n in names)
    out = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines()
            if " is a shell builtin" in line or " is a shell keyword" in line
            or " is a special shell builtin" in line}


def owner(path):
    """The Debian package that installed path (through /bin vs /usr/bin and
    alternatives links), or None."""
    candidates = [path, os.path.realpath(path)]
    for p in list(candidates):
        for a, b in (("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/")):
            if p.startswith(a):
                candidates.append(b + p[len(a):])
            elif p.startswith(b):
                candidates.append(a + p[len(b):])
    for p in candidates:
        r = subprocess.run(["dpkg-query", "-S", p], capture_output=True, text=True)
        owners = [line.split(":")[0].split(",")[0].strip() for line in r.stdout.splitlines()
                  if not line.startswith("diversion by ")]
        if r.returncode == 0 and owners:
            return owners[0]
    return None


@functools.lru_cache(maxsize=None)
def accepted_packages():
    """setup's packages with everything they depend on, and the base system."""
    listed = sorted(host_packages())
    r = subprocess.run(["apt-cache", "depends", "--recurse", "--installed", "--no-recommends",
                        "--no-suggests", "--no-conflicts", "--no-breaks", "--no-replaces",
                        "--no-enhances", *listed], capture_output=True, text=True, timeout=120)
    closure = {line.split(":")[0] for line in r.stdout.splitlines()
               if line and not line[0].isspace() and not line.startswith("<")}
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Priority} ${Essential}\\n"],
                       capture_output=True, text=True)
    base = {f[0] for f in (line.split() for line in r.stdout.splitlines())
            if len(f) >= 2 and (f[1] == "required" or f[-1] == "yes")}
    return set(listed) | closure | base


def test_every_command_is_installed_by_setup_or_base():
    if not shutil.which("dpkg-query"):
        pytest.fail("Debian 12 only: no dpkg-query")
    used = used_commands()
    # The reader is not blind: it finds the tools this project is built on.
    for known in ("qemu-system-aarch64", "dtc", "cppcheck", "cpio", "gnuplot", "debootstrap",
                  "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objcopy", "clang", "git"):
        assert known in used, f"{known} not found in the project's files: the reader is broken"
    builtins = shell_builtins(sorted(n for n in used if "/" not in n))
    problems = []
    for name in sorted(set(used) - builtins - OPTIONAL):
        where = ", ".join(used[name][:3])
        path = name if name.startswith("/") else shutil.which(name, path=SYSTEM_PATH)
        if path is None or not os.path.exists(path):
            problems.append(f"{name} ({where}): not installed here")
            continue
        pkg = owner(path)
        if pkg is None:
            problems.append(f"{name} ({where}): {path} belongs to no Debian package")
        elif pkg not in accepted_packages():
            problems.append(f"{name} ({where}): from {pkg}, which setup does not install "
                            "and the base system does not have")
    assert not problems, ("add these to HOST_PACKAGES in scripts/setup.sh:\n  "
                          + "\n  ".join(problems))


def test_setup_list_is_what_dpkg_knows():
    # Every listed package exists under that name (a typo would make setup
    # install nothing and the check above pass on a machine that has it).
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Status}\\n", *host_packages()],
                       capture_output=True, text=True)
    installed = {line.split()[0] for line in r.stdout.splitlines() if line.endswith(" installed")}
    assert host_packages() <= installed, sorted(host_packages() - installed)


def run_setup(tmp_path, qemu=None):
    env = dict(os.environ)
    if qemu is not None:
        env["QEMU"] = str(qemu)
    return subprocess.run(["sh", str(SETUP)], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300)


def test_setup_is_silent_when_everything_is_there(tmp_path):
    r = run_setup(tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_setup_names_a_firmware_file_qemu_lacks(tmp_path):
    # A QEMU that fails as Debian's does without ipxe-qemu when a line
    # asks for the default NIC.
    fake = tmp_path / "qemu-system-aarch64"
    fake.write_text("#!/bin/sh\necho 'qemu-system-aarch64: failed to find romfile "
                    "\"efi-virtio.rom\"' >&2\nexit 1\n")
    fake.chmod(0o755)
    r = run_setup(tmp_path, fake)
    assert r.returncode == 1
    assert "QEMU cannot run the project's machine line" in r.stderr
    assert "missing: QEMU's firmware file efi-virtio.rom" in r.stderr


def test_setup_notices_a_qemu_that_never_powers_off(tmp_path):
    # QEMU starts but the program does not reach PSCI SYSTEM_OFF: the check
    # is bounded and says so. (A stand-in that sleeps past the bound.)
    fake = tmp_path / "qemu-system-aarch64"
    fake.write_text("#!/bin/sh\nexec sleep 600\n")
    fake.chmod(0o755)
    env_timeout = dict(os.environ, QEMU=str(fake), PROXENOS_QEMU_CHECK_SECONDS="2")
    r = subprocess.run(["sh", str(SETUP)], capture_output=True, text=True, env=env_timeout,
                       stdin=subprocess.DEVNULL, timeout=60)
    assert r.returncode == 1
    assert "QEMU did not power off within 2 s" in r.stderr
