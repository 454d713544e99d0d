"""Host unit tests define no stand-ins of hypervisor functions
(docs/testing.md): a test links the real code it calls, or a shared fake of
it, which lives in a tests/unit/**/fake_*.c file (or the fake arch). On the
source tree, scripts/unit-stand-ins.py finds no test, environment or helper
that defines a function a hypervisor header declares; and on small trees
made here, it finds what it must and nothing else."""

import subprocess
import sys
import textwrap

from conftest import REPO

SCRIPT = REPO / "scripts" / "unit-stand-ins.py"


def stand_ins(src):
    p = subprocess.run([sys.executable, str(SCRIPT), str(src)], capture_output=True,
                       text=True, timeout=60)
    lines = p.stdout.splitlines()
    assert lines and lines[-1].startswith("stand-ins: "), p.stdout + p.stderr
    assert p.returncode == (0 if lines[-1] == "stand-ins: 0" else 1), p.stdout + p.stderr
    return lines[:-1]


def test_no_unit_test_defines_a_hypervisor_function():
    assert stand_ins(REPO) == []


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_the_check_finds_stand_ins_and_only_them(tmp_path):
    write(tmp_path, "hypervisor/include/proxenos/thing.h", """\
        /* thing_get() and friends */
        #define THING_MAX(a, b) ((a) > (b) ? (a) : (b))
        struct thing;
        typedef int (*thing_fn)(int);
        int thing_get(unsigned int id, struct thing **out);
        void thing_put(struct thing *t) __attribute__((nonnull));
        long do_thing_op(void *args);
        extern void (*thing_hook)(void);
        static inline int thing_inline(void) { return 0; }
        """)
    write(tmp_path, "hypervisor/arch/arm64/include/asm/thing.h", """\
        void arch_thing(void);
        """)
    # A test defining one (split over lines), one through a macro, and
    # others (static, not declared, weak): two stand-ins and one by macro.
    write(tmp_path, "tests/unit/common/test_thing.c", """\
        #include <proxenos/thing.h>
        /* int thing_put(struct thing *t) { } is only a comment */
        static const char *s = "void arch_thing(void) {";
        static int helper(void) { return 1; }
        int thing_get(unsigned int id,
                      struct thing **out)
        {
            return helper() + (int)id + (out != 0);
        }
        #define RECORDER(fn) long fn(void *args) { (void)args; return 7; }
        RECORDER(do_thing_op)
        int not_a_hypervisor_function(void) { return 0; }
        __attribute__((weak)) void arch_thing(void)
        {
        }
        int main(void) { return 0; }
        """)
    # The same in an environment header, and in fakes: only the header counts.
    write(tmp_path, "tests/unit/common/thing_env.h", """\
        void thing_put(struct thing *t) { (void)t; }
        """)
    write(tmp_path, "tests/unit/common/fake_thing.c", """\
        __attribute__((weak)) void thing_put(struct thing *t) { (void)t; }
        """)
    write(tmp_path, "tests/unit/fake_arch/fake_cpu.c", """\
        __attribute__((weak)) void arch_thing(void) { }
        """)
    assert stand_ins(tmp_path) == [
        "tests/unit/common/test_thing.c:5: thing_get",
        "tests/unit/common/test_thing.c:11: do_thing_op",
        "tests/unit/common/test_thing.c:13: arch_thing",
        "tests/unit/common/thing_env.h:1: thing_put",
    ]
