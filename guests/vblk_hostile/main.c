/*
 * vblk_hostile: a domU that drives a virtio-blk device of ours
 * (tools/virtio-backend, served from dom0) as a hostile driver would: a
 * well-set-up queue, then descriptor chains a driver must never offer (a
 * loop, a next past the table, an address that wraps, indirect tables
 * nested or of a bad size, device-readable after device-writable), requests
 * that walk but make no sense (a sector past the end, data outside guest
 * RAM), and an available index far ahead of the ring. It checks that each
 * bad chain comes back on the used ring refused (length 0, status byte
 * untouched), each bad request with an error status, the ring index
 * stops the queue with DEVICE_NEEDS_RESET, a reset brings the device back,
 * and good requests are served between them all: the back end survived.
 *
 * The device is the dom0less virtio node at 0x2000000 (docs/virtio.md),
 * its disk dom0's image; sector 0 starts with "dom0".
 */
#include "guest.h"
#include "mmio.h"

#define VBASE       0x02000000UL
#define R_MAGIC     0x000U
#define R_VERSION   0x004U
#define R_DEVID     0x008U
#define R_DRVFEAT   0x020U
#define R_DRVSEL    0x024U
#define R_QSEL      0x030U
#define R_QNUMMAX   0x034U
#define R_QNUM      0x038U
#define R_QREADY    0x044U
#define R_NOTIFY    0x050U
#define R_ISR       0x060U
#define R_ACK       0x064U
#define R_STATUS    0x070U
#define R_DESC      0x080U
#define R_DRIVER    0x090U
#define R_DEVICE    0x0a0U
#define R_CAPACITY  0x100U

#define ST_ACK      1U
#define ST_DRIVER   2U
#define ST_DRV_OK   4U
#define ST_FEAT_OK  8U
#define ST_RESET    64U

#define F_NEXT      1U
#define F_WRITE     2U
#define F_INDIRECT  4U

#define QSZ         16U
#define WAIT_MS     5000U

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

static struct desc table[QSZ] __attribute__((aligned(4096)));
static struct desc indirect[8] __attribute__((aligned(64)));
static volatile uint16_t avail[2 + QSZ + 1] __attribute__((aligned(4096)));
static volatile uint32_t used[1 + 2 * QSZ + 1] __attribute__((aligned(4096)));
static uint8_t hdr[16] __attribute__((aligned(16)));
static uint8_t data[512] __attribute__((aligned(512)));
static volatile uint8_t status;
static uint16_t next_avail, seen_used;

static uint32_t rd(uint32_t off)
{
    return mmio_read32(VBASE + off);
}

static void wr(uint32_t off, uint32_t v)
{
    mmio_write32(VBASE + off, v);
}

static void barrier(void)
{
    __asm__ volatile("dmb ish" ::: "memory");
}

static uint64_t pa(const volatile void *p)
{
    return (uint64_t)(uintptr_t)p;      /* the guest's RAM is identity-mapped */
}

static bool device_init(void)
{
    uint64_t want = (UINT64_C(1) << 32) | (UINT64_C(1) << 28);  /* VERSION_1, INDIRECT_DESC */

    wr(R_STATUS, 0);
    wr(R_STATUS, ST_ACK | ST_DRIVER);
    wr(R_DRVSEL, 0);
    wr(R_DRVFEAT, (uint32_t)want);
    wr(R_DRVSEL, 1);
    wr(R_DRVFEAT, (uint32_t)(want >> 32));
    wr(R_STATUS, ST_ACK | ST_DRIVER | ST_FEAT_OK);
    if (!(rd(R_STATUS) & ST_FEAT_OK)) {
        return false;
    }
    memset((void *)(uintptr_t)avail, 0, sizeof(avail));
    memset((void *)(uintptr_t)used, 0, sizeof(used));
    next_avail = 0U;
    seen_used = 0U;
    wr(R_QSEL, 0);
    wr(R_QNUM, QSZ);
    wr(R_DESC, (uint32_t)pa(table));
    wr(R_DESC + 4U, (uint32_t)(pa(table) >> 32));
    wr(R_DRIVER, (uint32_t)pa(avail));
    wr(R_DRIVER + 4U, (uint32_t)(pa(avail) >> 32));
    wr(R_DEVICE, (uint32_t)pa(used));
    wr(R_DEVICE + 4U, (uint32_t)(pa(used) >> 32));
    wr(R_QREADY, 1);
    wr(R_STATUS, ST_ACK | ST_DRIVER | ST_FEAT_OK | ST_DRV_OK);
    return rd(R_QREADY) == 1U;
}

static void set_desc(struct desc *t, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                     uint16_t next)
{
    t[i].addr = addr;
    t[i].len = len;
    t[i].flags = flags;
    t[i].next = next;
}

/* Offer head 0, notify; the used entry's length, or -1 if none came. */
static int64_t submit(void)
{
    uint64_t end = timer_now() + timer_us_to_ticks(WAIT_MS * 1000U);

    status = 0xee;
    avail[2 + (next_avail % QSZ)] = 0;
    barrier();
    next_avail++;
    avail[1] = next_avail;
    barrier();
    wr(R_NOTIFY, 0);
    /* used[0]: the ring's flags (low half) and index (high half). */
    while ((uint16_t)(used[0] >> 16) == seen_used) {
        if (timer_now() > end) {
            return -1;
        }
    }
    barrier();
    seen_used++;
    wr(R_ACK, rd(R_ISR));
    {
        unsigned slot = (seen_used - 1U) % QSZ;

        if (used[1 + 2 * slot] != 0U) {
            return -2;      /* not our head */
        }
        return used[2 + 2 * slot];
    }
}

static void request(uint32_t type, uint64_t sector, uint64_t buf, uint32_t len, bool dev_writes)
{
    memset(hdr, 0, sizeof(hdr));
    hdr[0] = (uint8_t)type;
    memcpy(hdr + 8, &sector, 8);
    set_desc(table, 0, pa(hdr), 16, F_NEXT, 1);
    set_desc(table, 1, buf, len, F_NEXT | (dev_writes ? F_WRITE : 0U), 2);
    set_desc(table, 2, pa(&status), 1, F_WRITE, 0);
}

static void good_read(const char *name)
{
    int64_t len;

    memset(data, 0, sizeof(data));
    request(0, 0, pa(data), 512, true);
    len = submit();
    test_check(name, len == 513 && status == 0U && memcmp(data, "dom0", 4) == 0,
               "used len %lld, status %u, data \"%.4s\"", (long long)len, (unsigned)status,
               (const char *)data);
}

static void refused(const char *name)
{
    int64_t len = submit();

    test_check(name, len == 0 && status == 0xeeU, "used len %lld, status %#x", (long long)len,
               (unsigned)status);
}

void guest_main(const struct platform *p)
{
    uint64_t end;

    timer_init(p);
    test_check("vblk_identity", rd(R_MAGIC) == 0x74726976U && rd(R_VERSION) == 2U &&
               rd(R_DEVID) == 2U, "magic %#x version %u device %u", rd(R_MAGIC),
               rd(R_VERSION), rd(R_DEVID));
    test_check("vblk_init", device_init(), "features or queue refused");
    test_check("vblk_capacity", rd(R_CAPACITY) == 32768U, "%u sectors", rd(R_CAPACITY));
    good_read("vblk_good_read");

    set_desc(table, 0, pa(hdr), 16, F_NEXT, 1);
    set_desc(table, 1, pa(&status), 1, F_WRITE | F_NEXT, 1);
    refused("vblk_loop_refused");

    set_desc(table, 0, pa(hdr), 16, F_NEXT, QSZ);
    refused("vblk_next_past_table_refused");

    set_desc(table, 0, pa(hdr), 16, F_NEXT, 1);
    set_desc(table, 1, ~UINT64_C(0) - 8U, 100, F_WRITE | F_NEXT, 2);
    set_desc(table, 2, pa(&status), 1, F_WRITE, 0);
    refused("vblk_wrapping_address_refused");

    set_desc(indirect, 0, pa(indirect), 32, F_INDIRECT, 0);
    set_desc(table, 0, pa(indirect), 16, F_INDIRECT, 0);
    refused("vblk_nested_indirect_refused");

    set_desc(table, 0, pa(indirect), 24, F_INDIRECT, 0);
    refused("vblk_indirect_bad_size_refused");

    set_desc(table, 0, pa(&status), 1, F_WRITE | F_NEXT, 1);
    set_desc(table, 1, pa(hdr), 16, 0, 0);
    refused("vblk_readable_after_writable_refused");

    good_read("vblk_good_read_after_bad_chains");

    request(0, 32768, pa(data), 512, true);
    {
        int64_t len = submit();

        test_check("vblk_past_the_end_ioerr", len == 1 && status == 1U,
                   "used len %lld, status %u", (long long)len, (unsigned)status);
    }
    request(1, 0, UINT64_C(0x7f0000000000), 512, false);
    {
        int64_t len = submit();

        test_check("vblk_data_outside_ram_ioerr", len == 1 && status == 1U,
                   "used len %lld, status %u", (long long)len, (unsigned)status);
    }

    /* An index 100 entries ahead of a 16-entry ring. */
    next_avail += 99U;
    avail[1] = next_avail;
    (void)submit();
    end = timer_now() + timer_us_to_ticks(WAIT_MS * 1000U);
    while (!(rd(R_STATUS) & ST_RESET) && timer_now() < end) {
    }
    test_check("vblk_bad_index_needs_reset", (rd(R_STATUS) & ST_RESET) != 0U, "status %#x",
               rd(R_STATUS));

    test_check("vblk_reset_and_init", device_init(), "features or queue refused after reset");
    good_read("vblk_good_read_after_reset");
}
