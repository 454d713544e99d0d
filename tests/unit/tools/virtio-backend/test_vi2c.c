/* virtio-i2c requests of tools/virtio-backend: writes and reads of the
 * simulated 24c02 EEPROM (its page wrap, its address pointer), a NACK from
 * an absent address, zero-length transfers, the address as the header
 * carries it (bits 7:1), FAIL_NEXT groups, and every malformed request
 * (short header, data on the wrong side, bad flags or address, too long,
 * unreachable buffers, no status byte, a walk that failed) answered with
 * ERR, or not at all, and never reaching the bus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "i2c_eeprom.h"
#include "vi2c.h"
#include "vq_env.h"
#include "vq_random.h"

#define HDR     G_BUF
#define DATA    (G_BUF + 0x1000u)
#define STATUS  (G_BUF + 0x800u)
#define EEPROM  0x50u

static struct i2c_sim_bus sim;
static struct vi2c dev;
static struct vq vq;
static struct vq_chain chain;

/* A bus that records the last message and answers as told. */
static struct {
    struct i2c_bus bus;
    unsigned calls;
    uint16_t addr, len;
    bool read;
    int answer;
} rec;

static int rec_xfer(struct i2c_bus *bus, uint16_t addr, bool read, uint8_t *buf, uint16_t len)
{
    (void)bus;
    /* Whatever the guest sent, the bus sees a 7-bit address and a
     * message the device could hold. */
    assert_true(addr <= 0x7f && len <= VI2C_MAX_LEN);
    rec.calls++;
    rec.addr = addr;
    rec.read = read;
    rec.len = len;
    if (read)
        memset(buf, 0xa5, len);
    return rec.answer;
}

static int setup(void **state)
{
    (void)state;
    i2c_sim_init(&sim);
    assert_int_equal(i2c_sim_add_eeprom(&sim, EEPROM), 0);
    vi2c_init(&dev, &sim.bus);
    memset(&rec, 0, sizeof(rec));
    rec.bus.xfer = rec_xfer;
    g_reset(&vq, 1);
    return 0;
}

/* Header (addr as the driver encodes it, flags), then a data buffer of
 * len bytes the device reads (write) or writes (read), none when len is
 * 0, then the status byte; popped into chain. */
static void request(uint16_t addr_field, uint32_t flags, uint32_t len, bool dev_writes)
{
    unsigned n = 0;

    put_le16(g_ptr(HDR), addr_field);
    put_le16(g_ptr(HDR + 2), 0);
    put_le32(g_ptr(HDR + 4), flags);
    g_ptr(STATUS)[0] = 0xee;
    g_desc(G_DESC, n, HDR, 8, VIRTQ_DESC_F_NEXT, (uint16_t)(n + 1));
    n++;
    if (len) {
        g_desc(G_DESC, n, DATA, len, VIRTQ_DESC_F_NEXT | (dev_writes ? VIRTQ_DESC_F_WRITE : 0),
               (uint16_t)(n + 1));
        n++;
    }
    g_desc(G_DESC, n, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(chain.error, 0);
}

static uint8_t run(uint32_t *used)
{
    uint8_t st;

    *used = vi2c_request(&dev, &g_mem, &chain, &st);
    if (st != 0xff)
        assert_int_equal(g_ptr(STATUS)[0], st);
    return st;
}

static void eeprom_write(uint8_t at, const uint8_t *bytes, uint32_t n)
{
    uint32_t used;

    g_ptr(DATA)[0] = at;
    if (n)
        memcpy(g_ptr(DATA + 1), bytes, n);
    request(EEPROM << 1, 0, n + 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    assert_int_equal(used, 1);
}

static void eeprom_read(uint8_t at, uint8_t *out, uint32_t n)
{
    uint32_t used;

    /* Set the pointer (a one-byte write), then read from it. */
    eeprom_write(at, NULL, 0);
    memset(g_ptr(DATA), 0, n);
    request(EEPROM << 1, VIRTIO_I2C_FLAGS_M_RD, n, true);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    assert_int_equal(used, n + 1);
    memcpy(out, g_ptr(DATA), n);
}

static void test_features(void **state)
{
    uint64_t f = vi2c_features();

    (void)state;
    assert_true(f & (1ull << VIRTIO_F_VERSION_1));
    assert_true(f & (1ull << VIRTIO_I2C_F_ZERO_LENGTH_REQUEST));
}

static void test_write_then_read(void **state)
{
    uint8_t pattern[8] = { 1, 2, 3, 4, 0xde, 0xad, 0xbe, 0xef }, back[16];

    (void)state;
    eeprom_write(0x40, pattern, 8);
    eeprom_read(0x40, back, 8);
    assert_memory_equal(back, pattern, 8);
    /* Erased bytes read 0xff, and the pointer wraps at 256. */
    eeprom_read(0xfc, back, 8);
    assert_memory_equal(back, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
}

static void test_page_wrap(void **state)
{
    uint8_t four[4] = { 0x11, 0x22, 0x33, 0x44 }, back[8];

    (void)state;
    /* Two bytes to the end of page 0x18-0x1f, then back to its start. */
    eeprom_write(0x1e, four, 4);
    eeprom_read(0x18, back, 8);
    assert_memory_equal(back, "\x33\x44\xff\xff\xff\xff\x11\x22", 8);
}

static void test_absent_address_nacks(void **state)
{
    uint32_t used;

    (void)state;
    g_ptr(DATA)[0] = 0;
    request(0x51 << 1, 0, 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
    assert_int_equal(used, 1);
    request(0x51 << 1, VIRTIO_I2C_FLAGS_M_RD, 4, true);
    memset(g_ptr(DATA), 0x5a, 4);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
    assert_int_equal(used, 1);
    assert_memory_equal(g_ptr(DATA), "\x5a\x5a\x5a\x5a", 4);
}

static void test_zero_length(void **state)
{
    uint32_t used;

    (void)state;
    request(EEPROM << 1, 0, 0, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    assert_int_equal(used, 1);
    request(EEPROM << 1, VIRTIO_I2C_FLAGS_M_RD, 0, true);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    assert_int_equal(used, 1);
    request(0x20 << 1, 0, 0, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
}

static void test_address_and_direction_reach_the_bus(void **state)
{
    uint32_t used;

    (void)state;
    vi2c_init(&dev, &rec.bus);
    request(0x3a << 1, VIRTIO_I2C_FLAGS_M_RD, 3, true);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    assert_int_equal(used, 4);
    assert_int_equal(rec.addr, 0x3a);
    assert_true(rec.read);
    assert_int_equal(rec.len, 3);
    assert_memory_equal(g_ptr(DATA), "\xa5\xa5\xa5", 3);
    request(0x7f << 1, 0, 5, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    assert_int_equal(rec.addr, 0x7f);
    assert_false(rec.read);
    assert_int_equal(rec.len, 5);
}

static void test_fail_next_group(void **state)
{
    uint32_t used;

    (void)state;
    vi2c_init(&dev, &rec.bus);
    rec.answer = -1;
    request(0x10 << 1, VIRTIO_I2C_FLAGS_FAIL_NEXT, 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
    assert_int_equal(rec.calls, 1);
    rec.answer = 0;
    /* The rest of the group fails without reaching the bus... */
    request(0x10 << 1, VIRTIO_I2C_FLAGS_FAIL_NEXT | VIRTIO_I2C_FLAGS_M_RD, 2, true);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
    request(0x10 << 1, VIRTIO_I2C_FLAGS_M_RD, 2, true);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
    assert_int_equal(rec.calls, 1);
    /* ...up to its last request; the next group goes to the bus. */
    request(0x10 << 1, 0, 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    assert_int_equal(rec.calls, 2);
    /* A success with FAIL_NEXT does not fail the next one. */
    request(0x10 << 1, VIRTIO_I2C_FLAGS_FAIL_NEXT, 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    request(0x10 << 1, 0, 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    /* A failure without it does not either. */
    rec.answer = -1;
    request(0x10 << 1, 0, 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
    rec.answer = 0;
    request(0x10 << 1, 0, 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
    assert_int_equal(rec.calls, 6);
}

static void test_reset_ends_a_group(void **state)
{
    uint32_t used;

    (void)state;
    vi2c_init(&dev, &rec.bus);
    rec.answer = -1;
    request(0x10 << 1, VIRTIO_I2C_FLAGS_FAIL_NEXT, 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
    rec.answer = 0;
    vi2c_reset(&dev);
    request(0x10 << 1, 0, 1, false);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_OK);
}

/* Each malformed request: ERR in the status byte, one byte used, and
 * nothing sent on the bus. */
static void refused(void)
{
    uint32_t used;

    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
    assert_int_equal(used, 1);
    assert_int_equal(rec.calls, 0);
}

static void test_malformed_requests(void **state)
{
    (void)state;
    vi2c_init(&dev, &rec.bus);
    /* Unknown flag bits. */
    request(0x10 << 1, 4, 1, false);
    refused();
    /* Bit 0 of the address, and ten-bit addresses. */
    request((0x10 << 1) | 1, 0, 1, false);
    refused();
    request(0x300, 0, 1, false);
    refused();
    /* A read with data to write as well. */
    put_le16(g_ptr(HDR), 0x10 << 1);
    put_le32(g_ptr(HDR + 4), VIRTIO_I2C_FLAGS_M_RD);
    g_desc(G_DESC, 0, HDR, 8, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, DATA, 4, VIRTQ_DESC_F_NEXT, 2);
    g_desc(G_DESC, 2, DATA + 8, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 3);
    g_desc(G_DESC, 3, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    refused();
    /* A write with room to read into. */
    request(0x10 << 1, 0, 4, true);
    refused();
    /* Longer than any message carried. */
    request(0x10 << 1, 0, VI2C_MAX_LEN + 2, false);
    refused();
    /* A header of 6 bytes. */
    g_desc(G_DESC, 0, HDR, 6, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    refused();
}

static void test_unreachable_buffers(void **state)
{
    uint32_t used;

    (void)state;
    vi2c_init(&dev, &rec.bus);
    /* Data to write outside guest RAM. */
    g_desc(G_DESC, 0, HDR, 8, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, G_BASE + G_SIZE + 0x1000, 4, VIRTQ_DESC_F_NEXT, 2);
    g_desc(G_DESC, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    put_le16(g_ptr(HDR), 0x10 << 1);
    put_le32(g_ptr(HDR + 4), 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    refused();
    /* Room to read into outside guest RAM: the bus was read, the guest
     * learns it failed. */
    put_le32(g_ptr(HDR + 4), VIRTIO_I2C_FLAGS_M_RD);
    g_desc(G_DESC, 1, G_BASE + G_SIZE + 0x1000, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(run(&used), VIRTIO_I2C_MSG_ERR);
    assert_int_equal(used, 1);
    /* The status byte itself outside: nothing to report. */
    g_desc(G_DESC, 0, HDR, 8, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, G_BASE + G_SIZE + 0x1000, 1, VIRTQ_DESC_F_WRITE, 0);
    put_le32(g_ptr(HDR + 4), 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    {
        uint8_t st;

        assert_int_equal(vi2c_request(&dev, &g_mem, &chain, &st), 0);
        assert_int_equal(st, 0xff);
    }
}

static void test_no_status_or_broken_chain(void **state)
{
    uint8_t st;

    (void)state;
    vi2c_init(&dev, &rec.bus);
    /* Nothing writable: nowhere to answer. */
    g_desc(G_DESC, 0, HDR, 8, 0, 0);
    put_le16(g_ptr(HDR), 0x10 << 1);
    put_le32(g_ptr(HDR + 4), 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(vi2c_request(&dev, &g_mem, &chain, &st), 0);
    assert_int_equal(st, 0xff);
    /* A loop: the walk failed, nothing is touched. */
    g_desc(G_DESC, 0, HDR, 8, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, STATUS, 1, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
    g_ptr(STATUS)[0] = 0xee;
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_not_equal(chain.error, 0);
    assert_int_equal(vi2c_request(&dev, &g_mem, &chain, &st), 0);
    assert_int_equal(g_ptr(STATUS)[0], 0xee);
    assert_int_equal(rec.calls, 0);
}

static void test_sim_addresses(void **state)
{
    struct i2c_sim_bus s;

    (void)state;
    i2c_sim_init(&s);
    assert_int_equal(i2c_sim_add_eeprom(&s, 0x07), -1);
    assert_int_equal(i2c_sim_add_eeprom(&s, 0x78), -1);
    assert_int_equal(i2c_sim_add_eeprom(&s, 0x50), 0);
    assert_int_equal(i2c_sim_add_eeprom(&s, 0x50), -1);
    assert_int_equal(i2c_sim_add_eeprom(&s, 0x51), 0);
    assert_int_equal(i2c_sim_add_eeprom(&s, 0x52), 0);
    assert_int_equal(i2c_sim_add_eeprom(&s, 0x53), 0);
    assert_int_equal(i2c_sim_add_eeprom(&s, 0x54), -1);
}

/* Any bytes where the header goes, but mostly a sound address and small
 * flags, so that some requests reach the bus. */
static void random_header(uint8_t *p, uint32_t len)
{
    uint32_t i;

    for (i = 0; i < len; i++)
        p[i] = (uint8_t)rand();
    if (len >= 8 && rand() % 4) {
        put_le16(p, (uint16_t)((0x40u + (unsigned)rand() % 0x20u) << 1));
        put_le32(p + 4, (uint32_t)(rand() % 5));
    }
}

/* 300 seeds of random requests: each answered within its writable part
 * (status last) or not at all, under ASan/UBSan; some reach the bus, none
 * with an address or length the device could not have meant. */
static void test_random_requests(void **state)
{
    unsigned seed, n, ok = 0, err = 0, none = 0;

    (void)state;
    vi2c_init(&dev, &rec.bus);
    for (seed = 1; seed <= 300; seed++) {
        srand(seed);
        rec.answer = rand() % 3 ? 0 : -1;
        for (n = 0; n < 8; n++) {
            uint8_t st;
            uint32_t len;

            g_random_chain(&vq, &chain, random_header);
            len = vi2c_request(&dev, &g_mem, &chain, &st);
            assert_true(len <= chain.writable);
            assert_true(st == VIRTIO_I2C_MSG_OK || st == VIRTIO_I2C_MSG_ERR || st == 0xff);
            assert_true((st == 0xff) == (len == 0));
            ok += st == VIRTIO_I2C_MSG_OK;
            err += st == VIRTIO_I2C_MSG_ERR;
            none += st == 0xff;
        }
    }
    print_message("%u OK, %u ERR, %u unanswered; %u reached the bus\n", ok, err, none, rec.calls);
    assert_true(ok > 10 && err > 100 && none > 20 && rec.calls > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_features, setup),
        cmocka_unit_test_setup(test_write_then_read, setup),
        cmocka_unit_test_setup(test_page_wrap, setup),
        cmocka_unit_test_setup(test_absent_address_nacks, setup),
        cmocka_unit_test_setup(test_zero_length, setup),
        cmocka_unit_test_setup(test_address_and_direction_reach_the_bus, setup),
        cmocka_unit_test_setup(test_fail_next_group, setup),
        cmocka_unit_test_setup(test_reset_ends_a_group, setup),
        cmocka_unit_test_setup(test_malformed_requests, setup),
        cmocka_unit_test_setup(test_unreachable_buffers, setup),
        cmocka_unit_test_setup(test_no_status_or_broken_chain, setup),
        cmocka_unit_test_setup(test_sim_addresses, setup),
        cmocka_unit_test_setup(test_random_requests, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
