/* virtio-blk requests of tools/virtio-backend on a 1 MiB image file: reads
 * and writes land where the header says and nowhere else, flush, GET_ID,
 * discard and write-zeroes, and every malformed request (short header, no
 * status byte, a walk that failed, sectors past the end or wrapping, bad
 * lengths, unreachable buffers, a read-only disk) gets an error status, or
 * none at all when there is nowhere to put one. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "blk.h"
#include "vq_env.h"

#define DISK_BYTES  (1024u * 1024u)
#define SECTORS     (DISK_BYTES / BLK_SECTOR)
#define HDR         G_BUF
#define DATA        (G_BUF + 0x1000u)
#define STATUS      (G_BUF + 0x800u)

static struct blk_disk disk;
static struct vq vq;
static struct vq_chain chain;
static uint8_t file_copy[DISK_BYTES];

static int setup(void **state)
{
    FILE *f = tmpfile();
    int fd;

    (void)state;
    assert_non_null(f);
    fd = dup(fileno(f));
    fclose(f);
    assert_int_equal(ftruncate(fd, DISK_BYTES), 0);
    /* A recognisable image: byte i of sector s is s + i. */
    for (unsigned s = 0; s < SECTORS; s++)
        for (unsigned i = 0; i < BLK_SECTOR; i++)
            file_copy[s * BLK_SECTOR + i] = (uint8_t)(s + i);
    assert_int_equal(pwrite(fd, file_copy, DISK_BYTES, 0), DISK_BYTES);
    blk_attach(&disk, fd, DISK_BYTES, false, false);
    g_reset(&vq, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    blk_close(&disk);
    return 0;
}

static void header(uint32_t type, uint64_t sector)
{
    put_le32(g_ptr(HDR), type);
    put_le32(g_ptr(HDR + 4), 0);
    put_le64(g_ptr(HDR + 8), sector);
}

/* header, then a data buffer (device-readable or -writable, or none when
 * len is 0), then the status byte; popped into chain. */
static void request(uint32_t type, uint64_t sector, uint32_t len, bool data_in)
{
    unsigned n = 0;

    header(type, sector);
    g_ptr(STATUS)[0] = 0xee;
    g_desc(G_DESC, n, HDR, 16, VIRTQ_DESC_F_NEXT, (uint16_t)(n + 1));
    n++;
    if (len) {
        g_desc(G_DESC, n, DATA, len, VIRTQ_DESC_F_NEXT | (data_in ? VIRTQ_DESC_F_WRITE : 0),
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

    *used = blk_request(&disk, &g_mem, &chain, &st);
    return st;
}

static void disk_unchanged(void)
{
    static uint8_t now[DISK_BYTES];

    assert_int_equal(pread(disk.fd, now, DISK_BYTES, 0), DISK_BYTES);
    assert_memory_equal(now, file_copy, DISK_BYTES);
}

static void test_read(void **state)
{
    uint32_t used;

    (void)state;
    request(VIRTIO_BLK_T_IN, 7, 3 * BLK_SECTOR, true);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    assert_int_equal(used, 3 * BLK_SECTOR + 1);
    assert_int_equal(g_ptr(STATUS)[0], VIRTIO_BLK_S_OK);
    assert_memory_equal(g_ptr(DATA), file_copy + 7 * BLK_SECTOR, 3 * BLK_SECTOR);
}

static void test_write(void **state)
{
    uint32_t used;

    (void)state;
    memset(g_ptr(DATA), 0x5a, 2 * BLK_SECTOR);
    request(VIRTIO_BLK_T_OUT, SECTORS - 2, 2 * BLK_SECTOR, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    assert_int_equal(used, 1);
    memset(file_copy + DISK_BYTES - 2 * BLK_SECTOR, 0x5a, 2 * BLK_SECTOR);
    disk_unchanged();
}

/* Data in three buffers at odd addresses, across page boundaries: 1000,
 * 70000 and 168 bytes (139 sectors). */
#define SPLIT_BYTES (1000u + 70000u + 168u)
static const uint64_t split_at[3] = { DATA + 0x123u, DATA + 0x2001u, DATA + 0x14000u };
static const uint32_t split_len[3] = { 1000u, 70000u, 168u };

static uint8_t split_request(uint32_t type, uint64_t sector)
{
    uint16_t w = type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0;
    uint32_t used;
    uint8_t st;

    header(type, sector);
    g_desc(G_DESC, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    for (unsigned i = 0; i < 3; i++)
        g_desc(G_DESC, i + 1, split_at[i], split_len[i], VIRTQ_DESC_F_NEXT | w, (uint16_t)(i + 2));
    g_desc(G_DESC, 4, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(chain.error, 0);
    st = run(&used);
    assert_int_equal(used, st == VIRTIO_BLK_S_OK && w ? SPLIT_BYTES + 1 : 1);
    /* Whatever path the data took, nothing stays held. */
    assert_int_equal(g_held, 0);
    return st;
}

static void split_fill(uint8_t v)
{
    for (unsigned i = 0; i < 3; i++)
        memset(g_ptr(split_at[i]), v, split_len[i]);
}

static void split_holds(const uint8_t *want)
{
    for (unsigned i = 0; i < 3; i++) {
        assert_memory_equal(g_ptr(split_at[i]), want, split_len[i]);
        want += split_len[i];
    }
}

/* The same bytes land in the guest whether they go straight from the file
 * into its pages, through the copy when guest memory has no get, or partly
 * each way when the get fails for one buffer. */
static void test_read_direct_and_copied(void **state)
{
    (void)state;
    split_fill(0xcc);
    assert_int_equal(split_request(VIRTIO_BLK_T_IN, 11), VIRTIO_BLK_S_OK);
    assert_true(g_gets >= 3);
    split_holds(file_copy + 11 * BLK_SECTOR);

    split_fill(0xcc);
    g_mem.get = NULL;
    g_gets = 0;
    assert_int_equal(split_request(VIRTIO_BLK_T_IN, 12), VIRTIO_BLK_S_OK);
    assert_int_equal(g_gets, 0);
    split_holds(file_copy + 12 * BLK_SECTOR);
    g_mem.get = g_get;

    split_fill(0xcc);
    g_gets_left = 2;
    assert_int_equal(split_request(VIRTIO_BLK_T_IN, 13), VIRTIO_BLK_S_OK);
    split_holds(file_copy + 13 * BLK_SECTOR);
    disk_unchanged();
}

static void test_write_direct_and_copied(void **state)
{
    static uint8_t want[SPLIT_BYTES];

    (void)state;
    for (unsigned i = 0; i < SPLIT_BYTES; i++)
        want[i] = (uint8_t)(i * 7u + 1u);
    for (unsigned pass = 0; pass < 3; pass++) {
        uint64_t sector = 40 + pass * 200;
        const uint8_t *p = want;

        for (unsigned i = 0; i < 3; i++) {
            memcpy(g_ptr(split_at[i]), p, split_len[i]);
            p += split_len[i];
        }
        g_mem.get = pass == 1 ? NULL : g_get;
        g_gets_left = pass == 2 ? 1 : -1;
        assert_int_equal(split_request(VIRTIO_BLK_T_OUT, sector), VIRTIO_BLK_S_OK);
        memcpy(file_copy + sector * BLK_SECTOR, want, SPLIT_BYTES);
        disk_unchanged();
    }
}

/* A disk that says it is larger than its file: the read past the file's
 * end comes back short, an error either way, with nothing held. */
static void test_short_read_is_an_error(void **state)
{
    uint32_t used;

    (void)state;
    blk_attach(&disk, disk.fd, 2 * DISK_BYTES, false, false);
    request(VIRTIO_BLK_T_IN, SECTORS + 4, 2 * BLK_SECTOR, true);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    assert_int_equal(used, 1);
    assert_true(g_gets > 0);
    assert_int_equal(g_held, 0);
    g_mem.get = NULL;
    request(VIRTIO_BLK_T_IN, SECTORS + 4, 2 * BLK_SECTOR, true);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    g_mem.get = g_get;
}

static void test_out_of_range(void **state)
{
    uint32_t used;

    (void)state;
    /* One sector past the end. */
    request(VIRTIO_BLK_T_OUT, SECTORS - 1, 2 * BLK_SECTOR, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    assert_int_equal(used, 1);
    assert_int_equal(g_ptr(STATUS)[0], VIRTIO_BLK_S_IOERR);
    /* A sector whose byte offset wraps around 64 bits. */
    request(VIRTIO_BLK_T_OUT, ~0ull / BLK_SECTOR + 1, BLK_SECTOR, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    request(VIRTIO_BLK_T_IN, ~0ull, BLK_SECTOR, true);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    assert_int_equal(used, 1);
    disk_unchanged();
}

static void test_partial_sector(void **state)
{
    uint32_t used;

    (void)state;
    request(VIRTIO_BLK_T_OUT, 0, 100, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    request(VIRTIO_BLK_T_IN, 0, 100, true);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    disk_unchanged();
}

static void test_short_header(void **state)
{
    uint32_t used;

    (void)state;
    header(VIRTIO_BLK_T_OUT, 0);
    g_desc(G_DESC, 0, HDR, 8, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    assert_int_equal(used, 1);
    assert_int_equal(g_ptr(STATUS)[0], VIRTIO_BLK_S_IOERR);
}

static void test_split_header(void **state)
{
    uint32_t used;

    (void)state;
    /* Header in two pieces, data and status in one writable buffer. */
    header(VIRTIO_BLK_T_IN, 3);
    g_desc(G_DESC, 0, HDR, 5, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, HDR + 5, 11, VIRTQ_DESC_F_NEXT, 2);
    g_desc(G_DESC, 2, DATA, BLK_SECTOR + 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    assert_int_equal(used, BLK_SECTOR + 1);
    assert_memory_equal(g_ptr(DATA), file_copy + 3 * BLK_SECTOR, BLK_SECTOR);
    assert_int_equal(g_ptr(DATA + BLK_SECTOR)[0], VIRTIO_BLK_S_OK);
}

static void test_no_status_byte(void **state)
{
    uint32_t used;
    uint8_t st;

    (void)state;
    header(VIRTIO_BLK_T_OUT, 0);
    g_desc(G_DESC, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, DATA, BLK_SECTOR, 0, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    used = blk_request(&disk, &g_mem, &chain, &st);
    assert_int_equal(used, 0);
    assert_int_equal(st, 0xff);
    disk_unchanged();
}

static void test_malformed_chain_not_answered(void **state)
{
    uint32_t used;
    uint8_t st;

    (void)state;
    g_ptr(STATUS)[0] = 0xee;
    g_desc(G_DESC, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, STATUS, 1, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    header(VIRTIO_BLK_T_OUT, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(chain.error, -ELOOP);
    used = blk_request(&disk, &g_mem, &chain, &st);
    assert_int_equal(used, 0);
    assert_int_equal(st, 0xff);
    assert_int_equal(g_ptr(STATUS)[0], 0xee);
    disk_unchanged();
}

static void test_unreachable_buffers(void **state)
{
    uint32_t used;

    (void)state;
    header(VIRTIO_BLK_T_IN, 0);
    g_desc(G_DESC, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, 0x1000, BLK_SECTOR, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    g_desc(G_DESC, 2, STATUS, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    assert_int_equal(g_ptr(STATUS)[0], VIRTIO_BLK_S_IOERR);
    /* A write whose data the device cannot read: nothing written. */
    header(VIRTIO_BLK_T_OUT, 0);
    g_desc(G_DESC, 1, G_BASE + G_SIZE, BLK_SECTOR, VIRTQ_DESC_F_NEXT, 2);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    disk_unchanged();
    /* A status byte outside guest memory: no answer. */
    g_desc(G_DESC, 1, G_BASE + G_SIZE, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(vq.last_avail, 0);
    assert_int_equal(vq_pop(&vq, &chain), 1);
    assert_int_equal(blk_request(&disk, &g_mem, &chain, &(uint8_t){ 0 }), 0);
}

static void test_flush_and_get_id(void **state)
{
    uint32_t used;

    (void)state;
    request(VIRTIO_BLK_T_FLUSH, 0, 0, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    assert_int_equal(used, 1);
    memset(g_ptr(DATA), 0xff, 32);
    request(VIRTIO_BLK_T_GET_ID, 0, VIRTIO_BLK_ID_BYTES, true);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    assert_int_equal(used, VIRTIO_BLK_ID_BYTES + 1);
    assert_string_equal((char *)g_ptr(DATA), "proxenos-vblk");
    /* A shorter buffer gets what fits. */
    request(VIRTIO_BLK_T_GET_ID, 0, 4, true);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    assert_int_equal(used, 5);
}

static void test_unknown_type(void **state)
{
    uint32_t used;

    (void)state;
    request(0x7777, 0, 0, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_UNSUPP);
    assert_int_equal(used, 1);
}

static void segment(unsigned i, uint64_t sector, uint32_t n, uint32_t flags)
{
    put_le64(g_ptr(DATA + 16u * i), sector);
    put_le32(g_ptr(DATA + 16u * i + 8), n);
    put_le32(g_ptr(DATA + 16u * i + 12), flags);
}

static void test_discard_and_write_zeroes(void **state)
{
    uint32_t used;

    (void)state;
    segment(0, 8, 8, 0);
    segment(1, 100, 1, 0);
    request(VIRTIO_BLK_T_DISCARD, 0, 32, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    memset(file_copy + 8 * BLK_SECTOR, 0, 8 * BLK_SECTOR);
    memset(file_copy + 100 * BLK_SECTOR, 0, BLK_SECTOR);
    disk_unchanged();

    segment(0, 200, 3, VIRTIO_BLK_WZ_UNMAP);
    request(VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    memset(file_copy + 200 * BLK_SECTOR, 0, 3 * BLK_SECTOR);
    segment(0, 300, 1, 0);
    request(VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    memset(file_copy + 300 * BLK_SECTOR, 0, BLK_SECTOR);
    disk_unchanged();
}

static void test_bad_ranges_change_nothing(void **state)
{
    uint32_t used;

    (void)state;
    /* The second segment runs past the end: the first is not done either. */
    segment(0, 8, 8, 0);
    segment(1, SECTORS - 1, 2, 0);
    request(VIRTIO_BLK_T_DISCARD, 0, 32, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    segment(1, ~0ull, 2, 0);
    request(VIRTIO_BLK_T_WRITE_ZEROES, 0, 32, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    /* The unmap flag means nothing to discard; other flags to neither. */
    segment(0, 8, 8, VIRTIO_BLK_WZ_UNMAP);
    request(VIRTIO_BLK_T_DISCARD, 0, 16, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_UNSUPP);
    segment(0, 8, 8, 2);
    request(VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_UNSUPP);
    /* Not whole segments, none, too many. */
    request(VIRTIO_BLK_T_DISCARD, 0, 24, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    request(VIRTIO_BLK_T_DISCARD, 0, 0, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    for (unsigned i = 0; i <= BLK_MAX_DISCARD_SEG; i++)
        segment(i, 8, 1, 0);
    request(VIRTIO_BLK_T_DISCARD, 0, 16 * (BLK_MAX_DISCARD_SEG + 1), false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    disk_unchanged();
}

static void test_read_only(void **state)
{
    uint32_t used;
    uint64_t f;

    (void)state;
    disk.ro = true;
    f = blk_features(&disk);
    assert_true(f & (1ull << VIRTIO_BLK_F_RO));
    assert_false(f & (1ull << VIRTIO_BLK_F_DISCARD));
    memset(g_ptr(DATA), 0x11, BLK_SECTOR);
    request(VIRTIO_BLK_T_OUT, 0, BLK_SECTOR, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    segment(0, 0, 1, 0);
    request(VIRTIO_BLK_T_DISCARD, 0, 16, false);
    assert_int_equal(run(&used), VIRTIO_BLK_S_IOERR);
    request(VIRTIO_BLK_T_IN, 0, BLK_SECTOR, true);
    assert_int_equal(run(&used), VIRTIO_BLK_S_OK);
    disk_unchanged();
}

static void test_features_and_config(void **state)
{
    uint8_t cfg[VBLK_CFG_SIZE];
    uint64_t f = blk_features(&disk);

    (void)state;
    assert_true(f & (1ull << VIRTIO_F_VERSION_1));
    assert_true(f & (1ull << VIRTIO_F_INDIRECT_DESC));
    assert_true(f & (1ull << VIRTIO_BLK_F_FLUSH));
    assert_true(f & (1ull << VIRTIO_BLK_F_MQ));
    assert_true(f & (1ull << VIRTIO_BLK_F_DISCARD));
    assert_false(f & (1ull << VIRTIO_BLK_F_RO));
    blk_config(&disk, 3, cfg);
    assert_int_equal(le64(cfg + VBLK_CFG_CAPACITY), SECTORS);
    assert_int_equal(le16(cfg + VBLK_CFG_NUM_QUEUES), 3);
    assert_int_equal(le32(cfg + VBLK_CFG_SEG_MAX), BLK_SEG_MAX);
    assert_int_equal(le32(cfg + VBLK_CFG_MAX_DISCARD_SEG), BLK_MAX_DISCARD_SEG);
}

/* Garbage everywhere the device looks (descriptors, indirect tables,
 * rings, headers), many seeds: every chain is walked and answered or
 * refused, the sanitizers see no access outside our buffers, and nothing
 * lands on the disk outside it (the file keeps its size). */
static void test_random_rings(void **state)
{
    unsigned seed, n, walked = 0, refused = 0, answered = 0;
    struct stat st;

    (void)state;
    for (seed = 1; seed <= 300; seed++) {
        srand(seed);
        for (n = 0; n < 0x20000u; n++)
            g_ram[n] = (uint8_t)rand();
        /* Mostly small numbers where they matter, so chains get long. */
        for (n = 0; n < G_NUM; n++) {
            uint8_t *d = g_ptr(G_DESC + 16u * n);

            if (rand() % 2)
                put_le64(d, G_BASE + (uint64_t)(rand() % 0x20000));
            if (rand() % 2)
                put_le32(d + 8, (uint32_t)(rand() % 4096));
            d[12] &= 7;
            put_le16(d + 14, (uint16_t)(rand() % (G_NUM + 2)));
        }
        for (n = 0; n < G_NUM; n++)
            put_le16(g_ptr(G_AVAIL + 4 + 2 * n), (uint16_t)(rand() % (G_NUM + 1)));
        put_le16(g_ptr(G_AVAIL + 2), (uint16_t)(rand() % (G_NUM + 4)));
        vq_init(&vq, &g_mem, G_NUM, G_DESC, G_AVAIL, G_USED, rand() % 2);
        for (n = 0; n < 2 * G_NUM; n++) {
            uint8_t status;
            int r = vq_pop(&vq, &chain);

            if (r <= 0)
                break;
            vq_push(&vq, chain.head, blk_request(&disk, &g_mem, &chain, &status));
            assert_int_equal(g_held, 0);
            walked += chain.error == 0;
            refused += chain.error != 0;
            answered += status != 0xff;
        }
    }
    /* The garbage did reach every path. */
    print_message("%u chains walked, %u refused, %u answered\n", walked, refused, answered);
    assert_true(walked > 100 && refused > 100 && answered > 50);
    assert_int_equal(fstat(disk.fd, &st), 0);
    assert_int_equal(st.st_size, DISK_BYTES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_direct_and_copied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_direct_and_copied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_read_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partial_sector, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_split_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_status_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_chain_not_answered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreachable_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush_and_get_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discard_and_write_zeroes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_ranges_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_features_and_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_rings, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
