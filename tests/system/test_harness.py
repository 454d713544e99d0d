"""The harness itself, and the QEMU entry conventions the other scenarios
rely on, checked with a 30-instruction stub instead of the hypervisor: it
prints its exception level and x0, then echoes what it reads."""

import pytest

from conftest import ConsoleTimeout, QEMU_SH

STUB_S = r"""
/* arm64 Image header: QEMU enters at RAM base + text_offset (0x200000). */
    .text
    .globl _start
_start:
    b       entry
    .long   0
    .quad   0x200000            /* text_offset */
    .quad   image_end - _start  /* image_size */
    .quad   0xa                 /* flags: LE, 4K pages, anywhere */
    .quad   0, 0, 0
    .ascii  "ARMd"
    .long   0
entry:
    mov     x19, x0
    mrs     x20, CurrentEL
    movz    x1, #0x0900, lsl #16        /* PL011 */
    adr     x2, msg_el
    bl      puts
    ubfx    x3, x20, #2, #2
    add     w3, w3, #'0'
    bl      putc
    adr     x2, msg_x0
    bl      puts
    mov     x5, #60
1:  lsr     x3, x19, x5
    and     x3, x3, #0xf
    cmp     x3, #10
    b.lo    2f
    add     x3, x3, #('a' - 10 - '0')
2:  add     x3, x3, #'0'
    bl      putc
    subs    x5, x5, #4
    b.pl    1b
    mov     x3, #'\n'
    bl      putc
echo:
    ldr     w4, [x1, #0x18]             /* FR */
    tbnz    w4, #4, echo                /* RXFE */
    ldr     w3, [x1]
    bl      putc
    b       echo
puts:
    mov     x6, x30
3:  ldrb    w3, [x2], #1
    cbz     w3, 4f
    bl      putc
    b       3b
4:  mov     x30, x6
    ret
putc:
    ldr     w4, [x1, #0x18]
    tbnz    w4, #5, putc                /* TXFF */
    strb    w3, [x1]
    ret
msg_el: .asciz "STUB EL"
msg_x0: .asciz " x0="
    .balign 8
image_end:
"""


@pytest.fixture(scope="module")
def stub(tmp_path_factory, tool):
    d = tmp_path_factory.mktemp("stub")
    (d / "stub.S").write_text(STUB_S)
    tool("aarch64-linux-gnu-gcc", "-nostdlib", "-static", "-Wl,-Ttext=0x40200000",
         "-Wl,--build-id=none", "-o", d / "stub.elf", d / "stub.S")
    tool("aarch64-linux-gnu-objcopy", "-O", "binary", d / "stub.elf", d / "stub.bin")
    return d / "stub.bin"


def test_reads_console_and_sends_input(qemu, stub):
    q = qemu("--image", stub, "--smp", 1, "--mem", "512M")
    m = q.wait_for(r"^STUB EL(\d) x0=([0-9a-f]{16})$", timeout=15)
    # With -kernel: entered at EL2 with x0 = the DTB QEMU placed at
    # RAM base + min(RAM / 2, 128 MiB).
    assert m.group(1) == "2"
    assert int(m.group(2), 16) == 0x48000000
    q.send(b"ping-42\n")
    q.wait_for(r"ping-42", timeout=10)


def test_a_line_pattern_waits_for_the_whole_line(qemu, stub):
    # A pattern ending in $ must not match a line still arriving: its
    # greedy group would take half the line.
    q = qemu("--image", stub, "--smp", 1, "--mem", "512M")
    q.wait_for(r"^STUB EL2 x0=[0-9a-f]{16}$", timeout=15)
    start = q.pos
    q.send(b"part")
    q.wait_for(r"part", timeout=10)     # echoed, no newline yet
    q.pos = start
    with pytest.raises(ConsoleTimeout):
        q.wait_for(r"^(part\w*)$", timeout=1)
    q.send(b"ial\n")
    assert q.wait_for(r"^(part\w*)$", timeout=10).group(1) == "partial"


def test_kills_qemu_on_timeout(qemu, stub):
    q = qemu("--image", stub, "--smp", 1, "--mem", "512M")
    q.wait_for(r"^STUB EL2", timeout=15)
    with pytest.raises(ConsoleTimeout):
        q.wait_for(r"this never appears", timeout=1)
    assert q.running()
    q.close()
    assert not q.running()
    log = q.log_path.read_text()
    assert log.startswith("# sh " + str(QEMU_SH))
    assert "STUB EL2" in log and "# killed by the harness" in log


def test_watchdog_bounds_a_run(qemu, stub):
    q = qemu("--image", stub, "--smp", 1, "--mem", "512M", hard_timeout=2)
    with pytest.raises(ConsoleTimeout):
        q.wait_for(r"this never appears", timeout=30)
    assert not q.running() and q.killed_by_watchdog


def test_entry_without_virtualization_is_el1(qemu, stub):
    q = qemu("--image", stub, "--no-virt", "--smp", 1, "--mem", "512M")
    q.wait_for(r"^STUB EL1 ", timeout=15)


def test_loader_entry_has_no_device_tree(qemu, stub):
    # The recipe the "no device tree" scenario uses: x0 = 0, still at EL2.
    q = qemu("--no-image", "--smp", 1, "--mem", "512M", "--",
             "-device", f"loader,file={stub},addr=0x40200000,cpu-num=0")
    q.wait_for(r"^STUB EL2 x0=0{16}$", timeout=15)
