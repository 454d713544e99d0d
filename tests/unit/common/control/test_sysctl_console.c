/* XEN_SYSCTL_readconsole (common/control/sysctl_console.c) over the real
 * console ring (common/console/console.c): plain and incremental reads, counts,
 * clearing, a ring that went round, and faults. The ring lives as long as
 * the test program, so each test works from the indexes it finds. And
 * XEN_SYSCTL_debug_keys, handed to control_env.h's key recorder. */
#include "control_env.h"

#include <proxenos/console.h>

#define RING CONFIG_CONRING_SIZE

static struct xen_sysctl *readcon(bool clear, bool incremental, uint32_t index, uint32_t count,
                                  uint64_t buf, long expect)
{
    struct xen_sysctl *op = sysctl_in(0U, XEN_SYSCTL_readconsole);

    op->u.readconsole.clear = clear ? 1U : 0U;
    op->u.readconsole.incremental = incremental ? 1U : 0U;
    op->u.readconsole.index = index;
    op->u.readconsole.count = count;
    op->u.readconsole.buffer = buf;
    assert_int_equal(call_sysctl(), expect);
    return op;
}

/* Empty what the ring offers (a read with "clear" forgets only what it
 * read: a zero count would forget nothing). */
static void drain(void)
{
    (void)readcon(true, false, 0U, RING, BUF_GVA, 0);
    assert_int_equal(readcon(false, false, 0U, 64U, BUF_GVA, 0)->u.readconsole.count, 0U);
}

/* dom0's raw output, kept in the ring as with console_to_ring (without
 * it only the hypervisor's and the domUs' lines are). */
static void console_put(const char *s)
{
    console_set_dom0_to_ring(true);
    console_write(s, strlen(s));
}

static void reads_and_indexes(void **state)
{
    const char *buf = garg(0U, BUF_OFF);
    struct xen_sysctl *op;
    uint32_t cons;
    uint32_t prod;
    uint32_t at;

    (void)state;
    drain();
    console_put("hello");
    console_ring_indexes(&cons, &prod);
    op = readcon(false, false, 0U, 64U, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, 5U);
    assert_memory_equal(buf, "hello", 5U);
    assert_int_equal(op->u.readconsole.index, prod);
    at = op->u.readconsole.index;
    /* Incremental: from where the last read stopped. */
    console_put(" world");
    op = readcon(false, true, at, 64U, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, 6U);
    assert_memory_equal(buf, " world", 6U);
    /* An index outside (oldest offered, newest] means "from the oldest". */
    op = readcon(false, true, cons, 64U, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, 11U);
    op = readcon(false, true, prod + 100U, 64U, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, 11U);
    /* No more than count, and the index says where it stopped. */
    op = readcon(false, true, at, 2U, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, 2U);
    assert_int_equal(op->u.readconsole.index, at + 2U);
    assert_memory_equal(buf, " w", 2U);
    op = readcon(false, true, at + 2U, 64U, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, 4U);
    assert_memory_equal(buf, "orld", 4U);
    /* A zero count reads nothing and keeps the start. */
    op = readcon(false, true, at, 0U, UNMAPPED, 0);
    assert_int_equal(op->u.readconsole.count, 0U);
    assert_int_equal(op->u.readconsole.index, at);
}

static void clear_forgets_what_was_read(void **state)
{
    const char *buf = garg(0U, BUF_OFF);
    struct xen_sysctl *op;

    (void)state;
    drain();
    console_put("abcdef");
    /* Clearing after reading nothing forgets nothing. */
    (void)readcon(true, false, 0U, 0U, BUF_GVA, 0);
    assert_int_equal(readcon(false, false, 0U, 64U, BUF_GVA, 0)->u.readconsole.count, 6U);
    /* Read 4 and clear: only the rest is offered afterwards. */
    op = readcon(true, false, 0U, 4U, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, 4U);
    op = readcon(false, false, 0U, 64U, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, 2U);
    assert_memory_equal(buf, "ef", 2U);
}

static void a_ring_that_went_round(void **state)
{
    char chunk[1000];
    const char *buf = garg(0U, BUF_OFF);
    struct xen_sysctl *op;
    uint32_t cons;
    uint32_t prod;

    (void)state;
    drain();
    for (unsigned int i = 0U; i < 20U; i++) {
        memset(chunk, 'a' + (int)i, sizeof(chunk));
        console_write(chunk, sizeof(chunk));
    }
    console_ring_indexes(&cons, &prod);
    assert_int_equal(prod - cons, RING);
    op = readcon(false, false, 0U, 6U * PAGE_SIZE, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, RING);
    assert_int_equal(op->u.readconsole.index, prod);
    /* The oldest byte left is 20000 - RING bytes into the output. */
    assert_int_equal(buf[0], 'a' + (int)((20000U - RING) / 1000U));
    assert_int_equal(buf[RING - 1U], 't');
    /* An index already overwritten: from the oldest byte still held. */
    op = readcon(false, true, cons - 10U, 6U * PAGE_SIZE, BUF_GVA, 0);
    assert_int_equal(op->u.readconsole.count, RING);
}

static void faults_and_privilege(void **state)
{
    struct xen_sysctl *op;

    (void)state;
    drain();
    console_put("x");
    op = readcon(false, false, 0U, 64U, UNMAPPED, -EFAULT);
    assert_int_equal(op->u.readconsole.count, 64U);     /* not copied back */
    /* A domU may not read the hypervisor's console. */
    as(1U, 0U);
    op = sysctl_in(1U, XEN_SYSCTL_readconsole);
    op->u.readconsole.count = 64U;
    op->u.readconsole.buffer = BUF_GVA;
    assert_int_equal(call_sysctl(), -EPERM);
}

static struct xen_sysctl *keys(unsigned int d, uint64_t at, uint32_t n, long expect)
{
    struct xen_sysctl *op = sysctl_in(d, XEN_SYSCTL_debug_keys);

    op->u.debug_keys.keys = at;
    op->u.debug_keys.nr_keys = n;
    assert_int_equal(call_sysctl(), expect);
    return op;
}

static void debug_keys(void **state)
{
    char *k = garg(0U, BUF_OFF);
    struct xen_sysctl *op;

    (void)state;
    memcpy(k, "hmq", 3U);
    op = keys(0U, BUF_GVA, 3U, 0);
    assert_int_equal(env_nr_keys(), 3U);
    assert_memory_equal(fake_keys(NULL), "hmq", 3U);
    /* Nothing is copied back. */
    assert_int_equal(op->u.debug_keys.nr_keys, 3U);
    (void)keys(0U, UNMAPPED, 0U, 0);
    /* Keys before an unreadable one are handled, as on Xen. */
    fake_console_api_reset();
    memcpy(garg(0U, (ENV_PAGES * PAGE_SIZE) - 2U), "rq", 2U);
    (void)keys(0U, GUEST_BASE + (ENV_PAGES * PAGE_SIZE) - 2U, 5U, -EFAULT);
    assert_int_equal(env_nr_keys(), 2U);
    assert_memory_equal(fake_keys(NULL), "rq", 2U);
    /* Not from a domU. */
    fake_console_api_reset();
    as(1U, 0U);
    memcpy(garg(1U, BUF_OFF), "h", 1U);
    (void)keys(1U, BUF_GVA, 1U, -EPERM);
    assert_int_equal(env_nr_keys(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(reads_and_indexes, env_test_setup),
        cmocka_unit_test_setup(clear_forgets_what_was_read, env_test_setup),
        cmocka_unit_test_setup(a_ring_that_went_round, env_test_setup),
        cmocka_unit_test_setup(faults_and_privilege, env_test_setup),
        cmocka_unit_test_setup(debug_keys, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
