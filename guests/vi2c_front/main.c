/*
 * vi2c_front: a bare-metal virtio-i2c driver against our back end
 * (tools/virtio-backend, device type i2c) with its simulated 24c02 EEPROM
 * at 0x50 and nothing at 0x51, as a dom0less domU (Debian's kernel has no
 * virtio-i2c driver). It writes a pattern into the EEPROM a page at a
 * time and reads it back as Linux would (the word address written, then
 * a read, one FAIL_NEXT group), checks that an absent address NACKs and
 * fails the rest of its group, that zero-length transfers probe, and that
 * requests no driver should send (a short header, unknown flags, a 10-bit
 * address, data on both sides, too long, no status byte, a loop) are
 * answered with an error or refused, and that the device still works
 * after them. Completions also raise the device's SPI.
 *
 * The device is the dom0less virtio node at 0x2000000, SPI 33
 * (docs/virtio.md).
 */
#include "guest.h"
#include "vdrv.h"

#define VBASE       0x02000000UL
#define INTID       33U
#define EEPROM      0x50U
#define ABSENT      0x51U
#define WAIT_MS     5000U

#define F_ZERO_LEN  0
#define FAIL_NEXT   1U
#define M_RD        2U
#define MSG_OK      0U
#define MSG_ERR     1U

static struct vdrv dev;
static uint8_t hdr[2][8] __attribute__((aligned(16)));
static uint8_t buf[2][32] __attribute__((aligned(16)));
static volatile uint8_t status[2];
static uint8_t big[8192];
static volatile uint32_t irqs;

static void on_irq(uint32_t intid, void *arg)
{
    (void)intid;
    (void)arg;
    irqs++;
    vdrv_wr(&dev, VDRV_ACK, vdrv_rd(&dev, VDRV_ISR));
}

/* Request k in descriptors 3k..3k+2: header, data (none when len is 0),
 * status. Each request is a chain of its own; a group is two chains
 * offered together. */
static void request(unsigned k, uint16_t addr, uint32_t flags, uint32_t len, const uint8_t *data)
{
    unsigned d = 3U * k;

    memset(hdr[k], 0, sizeof(hdr[k]));
    hdr[k][0] = (uint8_t)(addr << 1);
    hdr[k][1] = (uint8_t)(addr >> 7);
    hdr[k][4] = (uint8_t)flags;
    hdr[k][5] = (uint8_t)(flags >> 8);
    hdr[k][6] = (uint8_t)(flags >> 16);
    hdr[k][7] = (uint8_t)(flags >> 24);
    status[k] = 0xee;
    if (len != 0U && data != NULL) {
        memcpy(buf[k], data, len);
    } else if (len != 0U) {
        memset(buf[k], 0xee, len);
    }
    vdrv_desc(&dev, 0, d, vdrv_pa(hdr[k]), 8, VDRV_F_NEXT, (uint16_t)(d + 1U));
    if (len != 0U) {
        vdrv_desc(&dev, 0, d + 1U, vdrv_pa(buf[k]), len,
                  VDRV_F_NEXT | ((flags & M_RD) ? VDRV_F_WRITE : 0U), (uint16_t)(d + 2U));
        vdrv_desc(&dev, 0, d + 2U, vdrv_pa(&status[k]), 1, VDRV_F_WRITE, 0);
    } else {
        vdrv_desc(&dev, 0, d + 1U, vdrv_pa(&status[k]), 1, VDRV_F_WRITE, 0);
    }
}

/* Offer request k's chain; its used length, or -1. */
static int64_t run(unsigned k)
{
    uint16_t head;
    int64_t len;

    vdrv_offer(&dev, 0, (uint16_t)(3U * k));
    len = vdrv_wait(&dev, 0, &head, WAIT_MS);
    return (len >= 0 && head != 3U * k) ? -2 : len;
}

/* Requests 0 and 1 offered together, as one driver call does; both
 * used lengths. */
static bool run_group(int64_t len[2])
{
    uint16_t head;
    unsigned i;

    vdrv_offer(&dev, 0, 0);
    vdrv_offer(&dev, 0, 3);
    for (i = 0; i < 2U; i++) {
        len[i] = vdrv_wait(&dev, 0, &head, WAIT_MS);
        if (len[i] < 0 || head != 3U * i) {
            return false;
        }
    }
    return true;
}

static void expect(const char *name, int64_t len, int64_t want_len, uint8_t want_status)
{
    test_check(name, len == want_len && status[0] == want_status, "used len %lld, status %#x",
               (long long)len, (unsigned)status[0]);
}

static const uint8_t pattern[16] = {
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x5a,
};

static void write_pattern(void)
{
    uint8_t page[9];
    int64_t a, b;

    page[0] = 0x20;
    memcpy(page + 1, pattern, 8);
    request(0, EEPROM, 0, 9, page);
    a = run(0);
    page[0] = 0x28;
    memcpy(page + 1, pattern + 8, 8);
    request(0, EEPROM, 0, 9, page);
    b = run(0);
    test_check("vi2c_write_pattern", a == 1 && b == 1 && status[0] == MSG_OK,
               "used len %lld and %lld, status %#x", (long long)a, (long long)b,
               (unsigned)status[0]);
}

/* The word address written, then 24 bytes read: the pattern and 8 bytes
 * never written (0xff). */
static void read_back(const char *name)
{
    uint8_t at = 0x20, want[24];
    int64_t len[2];
    bool ok;

    memcpy(want, pattern, 16);
    memset(want + 16, 0xff, 8);
    request(0, EEPROM, FAIL_NEXT, 1, &at);
    request(1, EEPROM, M_RD, 24, NULL);
    ok = run_group(len);
    test_check(name, ok && len[0] == 1 && len[1] == 25 && status[0] == MSG_OK &&
               status[1] == MSG_OK && memcmp(buf[1], want, 24) == 0,
               "used len %lld/%lld, status %#x/%#x, read %02x %02x .. %02x", (long long)len[0],
               (long long)len[1], (unsigned)status[0], (unsigned)status[1], buf[1][0], buf[1][1],
               buf[1][23]);
}

static void absent_and_groups(void)
{
    uint8_t at = 0;
    int64_t len[2];
    bool ok;

    request(0, ABSENT, 0, 1, &at);
    expect("vi2c_absent_address_nack", run(0), 1, MSG_ERR);
    request(0, EEPROM, 0, 0, NULL);
    expect("vi2c_zero_length_present", run(0), 1, MSG_OK);
    request(0, ABSENT, M_RD, 0, NULL);
    expect("vi2c_zero_length_absent", run(0), 1, MSG_ERR);
    /* The first of a group NACKs: the read after it is not carried out. */
    request(0, ABSENT, FAIL_NEXT, 1, &at);
    request(1, EEPROM, M_RD, 4, NULL);
    ok = run_group(len);
    test_check("vi2c_group_fails_after_nack", ok && len[0] == 1 && len[1] == 1 &&
               status[0] == MSG_ERR && status[1] == MSG_ERR && buf[1][0] == 0xee,
               "used len %lld/%lld, status %#x/%#x", (long long)len[0], (long long)len[1],
               (unsigned)status[0], (unsigned)status[1]);
}

static void hostile(void)
{
    uint8_t at = 0x20;
    int64_t len;

    request(0, EEPROM, 0, 1, &at);
    vdrv_desc(&dev, 0, 0, vdrv_pa(hdr[0]), 4, VDRV_F_NEXT, 1);
    expect("vi2c_short_header_err", run(0), 1, MSG_ERR);
    request(0, EEPROM, 0x80U, 1, &at);
    expect("vi2c_unknown_flags_err", run(0), 1, MSG_ERR);
    request(0, EEPROM, 0, 1, &at);
    hdr[0][1] = 0x03;       /* a 10-bit address */
    expect("vi2c_ten_bit_address_err", run(0), 1, MSG_ERR);
    /* A read with data to write as well. */
    request(0, EEPROM, M_RD, 4, NULL);
    vdrv_desc(&dev, 0, 0, vdrv_pa(hdr[0]), 8, VDRV_F_NEXT, 3);
    vdrv_desc(&dev, 0, 3, vdrv_pa(&at), 1, VDRV_F_NEXT, 1);
    expect("vi2c_read_with_write_data_err", run(0), 1, MSG_ERR);
    /* 8 KiB to write in one message. */
    request(0, EEPROM, 0, 1, &at);
    vdrv_desc(&dev, 0, 1, vdrv_pa(big), sizeof(big), VDRV_F_NEXT, 2);
    expect("vi2c_too_long_err", run(0), 1, MSG_ERR);
    /* No status byte: nowhere to answer. */
    request(0, EEPROM, 0, 1, &at);
    vdrv_desc(&dev, 0, 1, vdrv_pa(buf[0]), 1, 0, 0);
    len = run(0);
    test_check("vi2c_no_status_refused", len == 0 && status[0] == 0xee,
               "used len %lld, status %#x", (long long)len, (unsigned)status[0]);
    /* A loop. */
    request(0, EEPROM, 0, 1, &at);
    vdrv_desc(&dev, 0, 2, vdrv_pa(&status[0]), 1, VDRV_F_WRITE | VDRV_F_NEXT, 0);
    len = run(0);
    test_check("vi2c_loop_refused", len == 0 && status[0] == 0xee, "used len %lld, status %#x",
               (long long)len, (unsigned)status[0]);
}

void guest_main(const struct platform *p)
{
    uint64_t f;

    timer_init(p);
    if (!test_check("vi2c_gic", gic_init(p) == 0, "GIC init failed")) {
        return;
    }
    (void)irq_register(INTID, on_irq, NULL);
    gic_irq_enable(INTID, GIC_PRIO_DEFAULT);
    irq_enable();
    if (!test_check("vi2c_identity", vdrv_probe(&dev, VBASE, 34), "magic %#x version %u device %u",
                    vdrv_rd(&dev, VDRV_MAGIC), vdrv_rd(&dev, VDRV_VERSION),
                    vdrv_rd(&dev, VDRV_DEVICE_ID))) {
        return;
    }
    f = vdrv_device_features(&dev);
    test_check("vi2c_features", (f & (UINT64_C(1) << 32)) && (f & (UINT64_C(1) << F_ZERO_LEN)),
               "features %#llx", (unsigned long long)f);
    if (!test_check("vi2c_init", vdrv_init(&dev, (UINT64_C(1) << 32) | (UINT64_C(1) << F_ZERO_LEN), 1),
                    "features or queue refused")) {
        return;
    }
    write_pattern();
    read_back("vi2c_read_back");
    absent_and_groups();
    hostile();
    read_back("vi2c_read_back_after_hostile");
    test_check("vi2c_interrupts", irqs != 0U, "no interrupt on INTID %u", INTID);
}
