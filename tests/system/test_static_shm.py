"""Static shared memory (xen,domain-shared-memory-v1 nodes, Xen 4.17's
binding; docs/static-config.md): bare-metal guests (guests/static_shm)
read the region's /reserved-memory node and pass data both ways through
it, for a region with an owner and one dom_io owns (no role); a tree with
bad regions names each node, skips those domains and runs the good ones
beside them. dom0's nodes (under /chosen) and a direct-mapped domU's are
taken too, as Xen 4.17 takes them."""

import re

from conftest import STD_APPEND
from dom0less import Guest, boot_dtb, dom0_module

DONE = r"^\(d{id}\) GUEST DONE (\d+) passed (\d+) failed$"
MiB = 0x100000


def shm_node(name, shm_id, paddr, gaddr, size, role=None):
    role_prop = f'role = "{role}"; ' if role is not None else ""
    return (f'{name} {{ compatible = "xen,domain-shared-memory-v1"; {role_prop}'
            f'xen,shm-id = "{shm_id}"; '
            f'xen,shared-mem = <0x0 {paddr:#x} 0x0 {gaddr:#x} 0x0 {size:#x}>; }};')


def user(name, shm_id, paddr, gaddr, size, first, role=None, enhanced=False):
    args = f"id={shm_id} gaddr={gaddr:#x} size={size:#x} first={int(first)}"
    extra = ['xen,enhanced = "no-xenstore";'] if enhanced else []
    return Guest(name, "static_shm", vpl011=False, bootargs=args,
                 extra=extra + [shm_node(f"shm@{gaddr:x}", shm_id, paddr, gaddr, size, role)])


# shm-a: owner dom1 (with /hypervisor and its extended regions), borrower
# dom2, mapped at different guest addresses; shm-io: two borrowers, owned
# by dom_io.
def good_domains():
    return [user("owner", "shm-a", 0x70000000, 0x50000000, 2 * MiB, True, "owner", True),
            user("borrower", "shm-a", 0x70000000, 0x60000000, 2 * MiB, False, "borrower"),
            user("io1", "shm-io", 0x70400000, 0x48000000, 64 * 1024, True),
            user("io2", "shm-io", 0x70400000, 0x48000000, 64 * 1024, False)]


def boot(hypervisor, tool, dumpdtb, tmp_path, guests, timeout=120):
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, 2, "1G", STD_APPEND)
    return hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                      hard_timeout=timeout + 30)


def assert_passed(q, ids, tests):
    done = q.wait_for_all([DONE.format(id=d) for d in ids], timeout=90)
    for d, m in zip(ids, done):
        results = dict(re.findall(rf"^\(d{d}\) TEST (\w+): (PASS|FAIL)", q.output, re.M))
        bad = sorted(t for t, r in results.items() if r != "PASS")
        assert int(m.group(2)) == 0 and not bad, f"d{d} failed {bad}:\n{q.output[-6000:]}"
        assert int(m.group(1)) == tests[d], \
            f"d{d}: {m.group(1)} tests passed, {tests[d]} expected:\n{q.output[-4000:]}"


def test_region_shared_both_ways(hypervisor, tool, dumpdtb, tmp_path):
    """Each region is reserved once and mapped in both of its domains; each
    guest finds xen-shmem@<its gaddr> as Xen 4.17 writes it, and the bytes
    one writes the other reads, both ways."""
    q = boot(hypervisor, tool, dumpdtb, tmp_path, good_domains())
    q.wait_for_all([
        r'^\(PXN\) Static shared memory "shm-a": 0x0000000070000000-0x00000000701fffff reserved$',
        r'^\(PXN\) Static shared memory "shm-io": 0x0000000070400000-0x000000007040ffff reserved$',
        r'^\(PXN\) Domain 1: static shared memory "shm-a" 0x70000000-0x70200000 at guest '
        r'0x50000000 \(owner\)$',
        r'^\(PXN\) Domain 2: static shared memory "shm-a" 0x70000000-0x70200000 at guest '
        r'0x60000000 \(borrower\)$',
        r'^\(PXN\) Domain 4: static shared memory "shm-io" 0x70400000-0x70410000 at guest '
        r'0x48000000 \(borrower\)$',
    ], timeout=60)
    q.wait_for(r"^\(PXN\) dom0less: 4 of 4 domains started$")
    # the owner has /hypervisor: its extended regions are checked too
    assert_passed(q, [1, 2, 3, 4], {1: 11, 2: 10, 3: 10, 4: 10})
    for d, gaddr in ((1, "50000000"), (2, "60000000"), (3, "48000000"), (4, "48000000")):
        assert re.search(rf"^\(d{d}\) static_shm: xen-shmem@{gaddr}: shm-", q.output, re.M)
    assert re.search(r"^\(d2\) static_shm: read the first pattern, wrote the answer$",
                     q.output, re.M)


BAD = [
    # (domain, its node, the reason both lines give)
    ("longid", user("longid", "a-very-long-shm-id", 0x70600000, 0x50000000, 2 * MiB, True),
     "xen,shm-id is longer than 15 characters"),
    ("empty", user("empty", "shm-e", 0x70600000, 0x50000000, 0, True),
     "the size is 0"),
    ("unaligned", user("unaligned", "shm-u", 0x70600000, 0x50000000, 0x1800, True),
     "paddr, gaddr and size must be page aligned"),
    ("flash", user("flash", "shm-f", 0x10000000, 0x50000000, 2 * MiB, True),
     r"host range \[0x10000000, \+0x200000\) is not in RAM"),
    ("onmodule", user("onmodule", "shm-m", 0x50000000, 0x50000000, 2 * MiB, True),
     r"host range \[0x50000000, \+0x200000\) overlaps another boot module"),
    ("moved", user("moved", "shm-a", 0x70800000, 0x50000000, 2 * MiB, False),
     r'xen,shm-id "shm-a" is \[0x70000000, \+0x200000\) elsewhere'),
    ("owner2", user("owner2", "shm-a", 0x70000000, 0x50000000, 2 * MiB, False, "owner"),
     r'region "shm-a" has a second owner \(the first: /chosen/owner/shm@50000000\)'),
    ("onram", user("onram", "shm-io", 0x70400000, 0x40000000, 64 * 1024, False),
     "gaddr overlaps the domain's RAM"),
]


def test_bad_regions_named_and_skipped(hypervisor, tool, dumpdtb, tmp_path):
    """Each bad region is named with its reason and its domain skipped,
    while the four good domains run and share their regions."""
    guests = good_domains() + [g for _, g, _ in BAD]
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests)
    lines = []
    for name, g, why in BAD:
        node = g.extra[-1].split()[0]
        path = f"/chosen/{name}/{node}"
        if name != "onram":     # known at boot; onram only against its RAM
            lines.append(rf"^\(PXN\) static shared memory {path}: ({why})$")
        lines.append(rf"^\(PXN\) dom0less: {name}: static shared memory {path}: ({why}): "
                     r"domain skipped$")
    q.wait_for_all(lines, timeout=60)
    q.wait_for(rf"^\(PXN\) dom0less: 4 of {4 + len(BAD)} domains started$")
    assert_passed(q, [1, 2, 3, 4], {1: 11, 2: 10, 3: 10, 4: 10})
    for d in range(5, 5 + len(BAD)):
        assert not re.search(rf"^\(d{d}\)", q.output, re.M), f"d{d} ran"
    # a refused region is never reserved
    assert "0x0000000070600000" not in q.output
    assert "0x0000000070800000" not in q.output


def test_reboot_maps_the_region_again(hypervisor, tool, dumpdtb, tmp_path):
    """A domain that reboots (PSCI SYSTEM_RESET) is rebuilt with its region
    mapped again: the count of boots it wrote there before the reset is
    what it reads after it, so the pages were neither freed nor cleared."""
    g = user("again", "shm-r", 0x70600000, 0x50000000, 64 * 1024, True)
    g.bootargs += " reboot=1"
    q = boot(hypervisor, tool, dumpdtb, tmp_path, [g])
    mapped = (r'^\(PXN\) Domain 1: static shared memory "shm-r" 0x70600000-0x70610000 at '
              r'guest 0x50000000 \(borrower\)$')
    q.wait_for(mapped)
    q.wait_for(r"^\(d1\) static_shm: boot 1$")
    q.wait_for(r"^\(PXN\) Domain 1 \(again\) shut down: reboot$")
    q.wait_for(mapped)
    q.wait_for(r"^\(d1\) static_shm: boot 2$")
    q.wait_for(r"^\(d1\) TEST shm_kept_across_reboot: PASS$")
    m = q.wait_for(DONE.format(id=1), timeout=60)
    assert (m.group(1), m.group(2)) == ("9", "0"), q.output[-4000:]
    assert q.output.count('Static shared memory "shm-r"') == 1


def dom0_chosen(bootargs, shm):
    """dom0's kernel module (the static_shm guest) and its shared memory
    node, both directly under /chosen; with the QEMU loader option."""
    module, loader = dom0_module("static_shm", bootargs)
    return module + "\n" + shm, loader


def test_dom0_and_a_direct_mapped_domain_share(hypervisor, tool, dumpdtb, tmp_path):
    """dom0 (the static_shm guest, direct-mapped) owns a region, as a
    /chosen node; a direct-mapped static domU borrows it at its host
    address. dom0 finds xen-shmem@70000000 in its own tree and writes the
    first pattern; the domU, whose extended regions are host RAM minus the
    region, reads it and answers."""
    args = "id=d0 gaddr=0x70000000 size=0x200000"
    chosen, loader = dom0_chosen(f"{args} first=1",
                                 shm_node("shm@70000000", "d0", 0x70000000, 0x70000000, 2 * MiB,
                                          "owner"))
    dm = Guest("dm", "static_shm", vpl011=False, bootargs=f"{args} first=0",
               extra=["memory = <0x0 0x8000>;",
                      "xen,static-mem = <0x0 0x64000000 0x0 0x2000000>;", "direct-map;",
                      'xen,enhanced = "no-xenstore";',
                      shm_node("shm@70000000", "d0", 0x70000000, 0x70000000, 2 * MiB,
                               "borrower")])
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, [dm], 2, "1G",
                            STD_APPEND + " dom0_mem=64M", chosen_extra=chosen)
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb],
                   qemu_args=loaders + loader, hard_timeout=150)
    q.wait_for_all([
        r'^\(PXN\) Static shared memory "d0": 0x0000000070000000-0x00000000701fffff reserved$',
        r'^\(PXN\) Domain 1: static shared memory "d0" 0x70000000-0x70200000 at guest '
        r'0x70000000 \(borrower\)$',
        r'^\(PXN\) Domain 0: static shared memory "d0" 0x70000000-0x70200000 at guest '
        r'0x70000000 \(owner\)$',
    ], timeout=60)
    # dom0 may finish before or after the domU: wait for both, in any order.
    m, _ = q.wait_for_all([DONE.format(id=1), r"^GUEST DONE \d+ passed 0 failed$"], timeout=90)
    # The domU's extended regions: host RAM, clear of the region and of
    # its own bank.
    ext = [(int(a, 16), int(b, 16)) for a, b in
           re.findall(r"^\(PXN\) Domain 1: extended region \d+: 0x([0-9a-f]+)->0x([0-9a-f]+)$",
                      q.output, re.M)]
    assert ext, q.output[-6000:]
    for a, b in ext:
        assert 0x40000000 <= a < b <= 0x80000000, ext
        assert b <= 0x64000000 or a >= 0x66000000, ext
        assert b <= 0x70000000 or a >= 0x70200000, ext
    assert m.group(2) == "0", q.output[-6000:]
    assert re.search(r"^\(d1\) static_shm: xen-shmem@70000000: d0", q.output, re.M), \
        q.output[-4000:]
    assert re.search(r"^\(d1\) static_shm: read the first pattern, wrote the answer$",
                     q.output, re.M), q.output[-4000:]
    # dom0's own lines (its console hypercall, unprefixed): it found the
    # node in its tree, outside its RAM and extended regions, and read the
    # domU's answer.
    for t in ("shm_node", "shm_reg", "shm_id", "shm_not_ram", "shm_not_ext_region",
              "shm_reply_read"):
        assert re.search(rf"^TEST {t}: PASS$", q.output, re.M), q.output[-4000:]


def test_dom0_bad_region_is_named(hypervisor, tool, dumpdtb, tmp_path):
    """A dom0 node whose guest address is not host RAM (dom0 is
    direct-mapped): named, and dom0 is not built; the domU still runs."""
    chosen, loader = dom0_chosen("id=d0 gaddr=0x10000000 size=0x200000 first=1",
                                 shm_node("shm@10000000", "d0", 0x70000000, 0x10000000, 2 * MiB,
                                          "owner"))
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, [Guest("hello", "hello")], 2, "1G",
                            STD_APPEND + " dom0_mem=64M", chosen_extra=chosen)
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb],
                   qemu_args=loaders + loader, hard_timeout=90)
    q.wait_for(r"^\(PXN\) dom0: static shared memory /chosen/shm@10000000: gaddr is not in "
               r"host RAM \(the domain is direct-mapped\): dom0 not built$", timeout=60)
    q.wait_for(r"^\(d1\) TEST hello: PASS$", timeout=60)
    assert "Domain 0: static shared memory" not in q.output
