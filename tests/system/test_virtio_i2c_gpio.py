"""Our virtio-i2c and virtio-gpio back ends (tools/virtio-backend, device
types i2c and gpio, docs/virtio.md) serving bare-metal front ends as
dom0less domUs (Debian's kernel has no driver for either). One boot, two
domUs, three devices, each a proxenos,virtio-mmio-v1 node whose
proxenos,backend-args is the back end's PATH:

  domU1, guests/vi2c_front: an i2c device on the back end's simulated
  24c02 EEPROM at 0x50 (QEMU's virt machine gives dom0 no I2C adapter).
  domU2, guests/vgpio_front: a gpio device on dom0's real GPIO chip, QEMU's
  PL061 (/dev/gpiochip0), and one on the simulated chip whose lines are
  wired in pairs.

dom0 (the toolstack dom0) reads every device from
/proc/device-tree/chosen/proxenos-virtio and starts one back end process
per device with the domid, base, SPI and backend-args found there; the
held domUs are released as their devices are claimed, run their tests
(each prints TEST lines, PASS or FAIL, hostile requests included) and
power off; each back end sees its domain gone and ends.

Last, vgpio_front waits for an edge on the PL061's line 3 while the test
presses QEMU's power button through the monitor (system_powerdown toggles
that line). The PL061's interrupt (SPI 7, INTID 39, level) is routed to
dom0 (docs/dom0.md, "Device interrupts"): dom0's gpio-pl061 driver sees
the edge, the back end gets it as a line event and passes it on, and the
guest prints that it saw it; dom0's /proc/interrupts counts it on the
PL061's line 3 meanwhile (read while the back end still holds the line,
whose interrupt goes away with it).
"""

import re
import socket
import threading
import time

import pytest

from conftest import BUILD, REPO
from toolstack import BUSYBOX, KERNEL, TOOLSTACK, dom0_qemu, run_commands

BACKEND = BUILD / "tools" / "virtio-backend"
I2C_GUEST = BUILD / "guests" / "vi2c_front.bin"
GPIO_GUEST = BUILD / "guests" / "vgpio_front.bin"


def node(name, kind, args):
    return (f"\t\t\t{name} {{\n"
            f"\t\t\t\tcompatible = \"proxenos,virtio-mmio-v1\";\n"
            f"\t\t\t\tproxenos,device-type = \"{kind}\";\n"
            f"\t\t\t\tproxenos,backend-args = \"{args}\";\n"
            f"\t\t\t}};")


VI2C = node("vi2c", "i2c", "sim-eeprom:0x50")
VGPIO = node("vgpio", "gpio", "/dev/gpiochip0") + "\n" + node("vgpio-sim", "gpio", "sim-pairs")

# Every device dom0 is told of, as numbers the command line takes, one
# line each; then a back end per line, its log /tmp/vbe-<dom>-<irq>.log.
LIST = ("for d in /proc/device-tree/chosen/proxenos-virtio/*/; do "
        "hex() { od -An -tx1 \"$d$1\" | tr -d ' \\n'; }; "
        "echo \"$(cat \"${d}proxenos,device-type\") $((0x$(hex proxenos,domid))) "
        "0x$(hex proxenos,base) $((0x$(hex proxenos,irq))) "
        "$(cat \"${d}proxenos,backend-args\")\"; done | tee /tmp/devices")
# The domUs start printing as soon as their devices are claimed, on the
# same console, and domU1 is done within a second or so, its back end
# gone soon after: START says one line (the back ends started), and what
# they served is read from their logs once the domUs are gone (ENDS).
START = ("n=0; while read -r type dom base irq args; do "
         "setsid virtio-backend --type $type --domid $dom --base $base --irq $irq $args "
         ">/tmp/vbe-$dom-$irq.log 2>&1 </dev/null & n=$((n + 1)); done </tmp/devices; "
         "echo \"back ends started: $n\"")
ENDS = ("i=0; while pidof virtio-backend >/dev/null; do i=$((i + 1)); "
        "[ $i -lt 240 ] || exit 1; sleep 1; done; "
        "for f in /tmp/vbe-*.log; do echo \"== $f\"; cat $f; done")
# While the back end still holds the PL061's line 3 (its interrupt is freed
# with it): wait for the power button's edge to be counted there.
PL061_IRQS = ("i=0; until awk '/pl061/ && $2 + $3 > 0 { f = 1 } END { exit !f }' "
              "/proc/interrupts; do i=$((i + 1)); [ $i -lt 240 ] || break; sleep 1; done; "
              "grep pl061 /proc/interrupts")
COMMANDS = [LIST, START, PL061_IRQS, ENDS]
BUDGET = 300
HARD = 900
WAITING = "(d2) vgpio: waiting for the power button"

I2C_TESTS = ["vi2c_gic", "vi2c_identity", "vi2c_features", "vi2c_init", "vi2c_write_pattern",
             "vi2c_read_back", "vi2c_absent_address_nack", "vi2c_zero_length_present",
             "vi2c_zero_length_absent", "vi2c_group_fails_after_nack", "vi2c_short_header_err",
             "vi2c_unknown_flags_err", "vi2c_ten_bit_address_err",
             "vi2c_read_with_write_data_err", "vi2c_too_long_err", "vi2c_no_status_refused",
             "vi2c_loop_refused", "vi2c_read_back_after_hostile", "vi2c_interrupts"]
GPIO_TESTS = ["vgpio_gic", "vgpio_pl061_identity", "vgpio_pl061_init", "vgpio_sim_identity",
              "vgpio_sim_init", "vgpio_pl061_config", "vgpio_pl061_names",
              "vgpio_pl061_output_read_back", "vgpio_pl061_power_button_input",
              "vgpio_pl061_irq_enabled", "vgpio_pl061_irq_off_gives_buffer_back",
              "vgpio_pl061_line_past_chip_err", "vgpio_pl061_bad_direction_err",
              "vgpio_pl061_bad_value_err", "vgpio_pl061_unknown_type_err",
              "vgpio_pl061_released_line_value_err", "vgpio_pl061_short_request_err",
              "vgpio_pl061_event_for_no_line_invalid", "vgpio_pl061_release",
              "vgpio_sim_names", "vgpio_sim_irq_enabled", "vgpio_sim_rising_edge_event",
              "vgpio_sim_event_interrupt", "vgpio_sim_wired_pair",
              "vgpio_sim_level_high_at_once", "vgpio_sim_falling_edge_event",
              "vgpio_pl061_interrupts"]


@pytest.fixture(scope="module")
def run(tool, tmp_path_factory):
    for need in (KERNEL, BUSYBOX, TOOLSTACK / "usr/lib/xen-4.17/bin/xl"):
        if not need.exists():
            pytest.fail(f"no {need}: run scripts/setup.sh")
    for need, how in ((BACKEND, "tools"), (I2C_GUEST, "guests"), (GPIO_GUEST, "guests")):
        if not need.is_file():
            pytest.fail(f"no {need}: run `make O={BUILD} {how}`")
    work = tmp_path_factory.mktemp("virtio-i2c-gpio")
    commands = work / "commands"
    commands.write_text("".join(c + "\n" for c in COMMANDS))
    dom0 = work / "dom0.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs-toolstack.sh", "--no-domu",
         "--commands", commands, "--timeout", BUDGET,
         "--add", f"{BACKEND}:/usr/bin/virtio-backend", dom0, timeout=120)
    monitor = work / "monitor.sock"
    q = dom0_qemu("proxenos", dom0, "test_virtio_i2c_gpio", HARD,
                  extra=["--domu", I2C_GUEST, "--domu-mem", 64, "--domu-node", VI2C,
                         "--domu", GPIO_GUEST, "--domu-mem", 64, "--domu-node", VGPIO,
                         "--", "-monitor", f"unix:{monitor},server=on,wait=off"])
    pressed = {}
    presser = threading.Thread(target=press_power_button, args=(q, monitor, pressed),
                               daemon=True)
    presser.start()
    try:
        run = run_commands(q, "proxenos", BUDGET)
        presser.join(timeout=30)
        run.pressed = pressed
        yield run
    finally:
        q.close()


def press_power_button(q, monitor, pressed):
    """Once the guest waits for it, QEMU's system_powerdown: a pulse on the
    PL061's line 3 (QEMU's gpio-key). pressed["answer"] is the monitor's."""
    end = time.monotonic() + HARD
    while WAITING not in q.output:
        if time.monotonic() > end:
            return
        time.sleep(0.5)
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(str(monitor))
            s.recv(4096)
            s.sendall(b"system_powerdown\n")
            time.sleep(0.5)
            pressed["answer"] = s.recv(4096).decode("utf-8", "replace")
    except OSError as e:
        pressed["error"] = repr(e)


def results(out, dom):
    return dict(re.findall(rf"^\(d{dom}\) TEST (\w+): (PASS|FAIL.*?)\r?$", out, re.M))


def test_dom0_finds_and_starts_the_back_ends(run):
    found = run.ok(LIST)
    assert "i2c 1 0x0000000002000000 33 sim-eeprom:0x50" in found, found
    assert "gpio 2 0x0000000002000000 33 /dev/gpiochip0" in found, found
    assert "gpio 2 0x0000000002000200 34 sim-pairs" in found, found
    assert "back ends started: 3" in run.ok(START), run.ok(START)
    for dom, n in ((1, 1), (2, 2)):
        held = run.output.find(f"Domain {dom} (domU{dom}): held paused until dom0 claims its "
                               f"{n} virtio device(s)")
        released = run.output.find(f"Domain {dom} (domU{dom}): its virtio devices are claimed: "
                                   "unpaused")
        assert 0 <= held < released, run.output[-4000:]


def test_i2c_front_end_passes(run):
    out = run.output
    assert {t: results(out, 1).get(t) for t in I2C_TESTS} == {t: "PASS" for t in I2C_TESTS}, \
        out[-6000:]
    assert re.search(rf"^\(d1\) GUEST DONE {len(I2C_TESTS)} passed 0 failed\r?$", out, re.M), \
        out[-6000:]


def test_gpio_front_end_passes(run):
    out = run.output
    assert {t: results(out, 2).get(t) for t in GPIO_TESTS} == {t: "PASS" for t in GPIO_TESTS}, \
        out[-6000:]
    assert re.search(rf"^\(d2\) GUEST DONE {len(GPIO_TESTS)} passed 0 failed\r?$", out, re.M), \
        out[-6000:]


def test_back_ends_end_with_their_guests(run):
    log = run.ok(ENDS)
    logs = dict(re.findall(r"^== /tmp/vbe-(\d+-\d+)\.log\n(.*?)(?=^== |\Z)", log, re.M | re.S))
    assert sorted(logs) == ["1-33", "2-33", "2-34"], log
    assert "virtio-i2c dom1: i2c: simulated 24c02 EEPROM at 0x50" in logs["1-33"], logs
    assert ("virtio-i2c dom1: serving i2c on sim-eeprom:0x50 at 0x2000000, SPI 33"
            in logs["1-33"]), logs
    assert ("virtio-gpio dom2: serving gpio on /dev/gpiochip0 (8 lines) at 0x2000000, SPI 33"
            in logs["2-33"]), logs
    assert ("virtio-gpio dom2: serving gpio on sim-pairs (8 lines) at 0x2000200, SPI 34"
            in logs["2-34"]), logs
    assert ("virtio-gpio dom2: gpio: /dev/gpiochip0: chip gpiochip0 (9030000.pl061), 8 lines"
            in logs["2-33"]), logs
    assert "virtio-gpio dom2: gpio: simulated chip, 8 lines wired in pairs" in logs["2-34"], logs
    for name, text in logs.items():
        assert "the guest is gone" in text, (name, text)
        assert text.rstrip().endswith("disconnected"), (name, text)
    # The loop the i2c front end offered is the one malformed chain.
    assert re.search(r"queue 0: \d+ requests, \d+ failed, 1 malformed", logs["1-33"]), logs
    assert "gpio: 3 interrupts delivered" in logs["2-34"], logs


def test_power_button_pressed_while_the_guest_waits(run):
    assert "system_powerdown" in run.pressed.get("answer", ""), run.pressed
    assert re.search(r"^\(d2\) vgpio: power button edge (seen|not seen in 8 s)$", run.output,
                     re.M), run.output[-3000:]


def test_power_button_edge_reaches_the_guest(run):
    assert "(d2) vgpio: power button edge seen" in run.output, run.output[-3000:]


def test_dom0_counts_the_pl061_interrupt(run):
    out = run.ok(PL061_IRQS)
    counts = [int(m[1]) + int(m[2])
              for m in re.finditer(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+.*pl061", out, re.M)]
    assert counts and max(counts) > 0, out
