"""The command reader test_setup.py relies on: what it must find in the
shapes this project's scripts use, and what it must not take for a command."""

import commands

SHELL = r'''#!/bin/sh
set -eu
QEMU=${QEMU:-qemu-system-aarch64}
TOOL=dtc
TWICE=a
TWICE=b
log() { printf '%s\n' "$*" >&2; }
case $1 in
    x) XEN=$2 ;;
    -h|--help) usage ;;
    kernel|ramdisk) kind=$1 ;;
esac
for f in one two; do
    cat "$f"
done
out=$(timeout -k 5 30 sh "$SRC/run.sh" --pipe 2>&1) || rc=$?
name="$(printf '%s' "$a" | sed 's/x/y/')"
[ -z "$x" ] || echo "it said: (cpio; gzip) | not commands"
cat <<EOF
heredoc words; awk are text
EOF
exec "$QEMU" -nic none
"$TOOL" -I dtb
$TWICE --flag
env -i HOME=/root PATH=/bin find . -name x
if command -v flock >/dev/null 2>&1; then flock 9; fi
n=$((3 * 4)) && log "$n"
./relative/script.sh && /usr/bin/python3 -c 1
'''


def test_shell_commands_found():
    found = commands.shell_commands(SHELL)
    # Not: the function log, case patterns, the for list, words in quotes
    # and in the here-document, $TWICE (two values), ./relative paths.
    assert set(found) == {"set", "usage", "cat", "timeout", "sh", "printf", "sed", "echo",
                          "exec", "qemu-system-aarch64", "dtc", "env", "find", "command",
                          "flock", "/usr/bin/python3"}
    assert (found["timeout"], found["sed"], found["flock"]) == (16, 17, 26)


def test_make_commands_found():
    text = ("CROSS ?= aarch64-linux-gnu-\nCC := $(CROSS)gcc\nQ := @\n"
            "LIST := $(shell find src -name '*.c' | sort)\n"
            "out/%.o: %.c\n\t$(Q)$(CC) -c $< -o $@\n\t@mkdir -p $(dir $@)\n"
            "\t$(MAKE) --no-print-directory other\n"
            "define rule\n$(1): $$(OBJS_$(1))\n\t$$(Q)$$(CC) $$^ -o $$@\nendef\n")
    assert set(commands.make_commands(text)) == {"find", "sort", "aarch64-linux-gnu-gcc",
                                                 "mkdir"}


def test_python_commands_found():
    text = '''
import shutil, subprocess
def f(tool, q):
    subprocess.run(["dtc", "-q"], check=True)
    cmd = ["cppcheck", "--quiet"]
    subprocess.run(cmd)
    tool("sh", "x.sh")
    q.call("not-a-command")
    shutil.which("gnuplot")
    subprocess.run([sys.executable, "x.py"])
'''
    assert set(commands.python_commands(text)) == {"dtc", "cppcheck", "sh", "gnuplot"}
