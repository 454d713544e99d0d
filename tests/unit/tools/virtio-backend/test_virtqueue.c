/* The split virtqueue of tools/virtio-backend: chains walked and checked,
 * the used ring filled. Everything a guest can get wrong in its descriptors
 * fails that one chain (or, for the ring's own indices, the queue), and
 * never reads or writes outside what the guest named. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "vq_env.h"

static struct vq vq;
static struct vq_chain chain;

static int pop(void)
{
    return vq_pop(&vq, &chain);
}

static void test_header_data_status(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    g_desc(G_DESC, 3, G_BUF, 16, VIRTQ_DESC_F_NEXT, 7);
    g_desc(G_DESC, 7, G_BUF + 0x100, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    g_desc(G_DESC, 1, G_BUF + 0x400, 1, VIRTQ_DESC_F_WRITE, 0);
    g_offer(0, 3);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, 0);
    assert_int_equal(chain.head, 3);
    assert_int_equal(chain.nseg, 3);
    assert_int_equal(chain.readable, 16);
    assert_int_equal(chain.writable, 513);
    assert_false(chain.seg[0].device_writes);
    assert_true(chain.seg[2].device_writes);
    assert_int_equal(pop(), 0);
}

static void test_empty_ring(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    assert_int_equal(pop(), 0);
}

static void test_loop_fails_the_chain(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    g_desc(G_DESC, 0, G_BUF, 16, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, G_BUF, 16, VIRTQ_DESC_F_NEXT, 0);
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -ELOOP);
    /* A descriptor that names itself. */
    g_desc(G_DESC, 5, G_BUF, 16, VIRTQ_DESC_F_NEXT, 5);
    g_offer(1, 5);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -ELOOP);
}

static void test_next_out_of_range(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    g_desc(G_DESC, 0, G_BUF, 16, VIRTQ_DESC_F_NEXT, G_NUM);
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);
    g_desc(G_DESC, 0, G_BUF, 16, VIRTQ_DESC_F_NEXT, 0xffff);
    g_offer(1, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);
}

static void test_address_wraps(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    g_desc(G_DESC, 0, ~0ull - 10, 100, VIRTQ_DESC_F_WRITE, 0);
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EFAULT);
}

static void test_table_outside_guest(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    vq.desc = G_BASE + G_SIZE;      /* a table the guest has no memory for */
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EFAULT);
}

static void test_readable_after_writable(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    g_desc(G_DESC, 0, G_BUF, 16, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    g_desc(G_DESC, 1, G_BUF + 16, 16, 0, 0);
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);
}

static void test_lengths_do_not_overflow(void **state)
{
    unsigned i;

    (void)state;
    g_reset(&vq, 0);
    /* Sixteen buffers of 4 GiB - 1: totals past 32 bits are kept exactly. */
    for (i = 0; i < G_NUM; i++)
        g_desc(G_DESC, i, G_BUF, 0xffffffffu,
               VIRTQ_DESC_F_WRITE | (i + 1 < G_NUM ? VIRTQ_DESC_F_NEXT : 0), (uint16_t)(i + 1));
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, 0);
    assert_true(chain.writable == 16ull * 0xffffffffull);
}

static void test_indirect(void **state)
{
    (void)state;
    g_reset(&vq, 1);
    g_desc(G_IND, 0, G_BUF, 16, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_IND, 1, G_BUF + 0x100, 4096, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
    g_desc(G_IND, 2, G_BUF + 0x2000, 1, VIRTQ_DESC_F_WRITE, 0);
    g_desc(G_DESC, 4, G_IND, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(0, 4);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, 0);
    assert_int_equal(chain.head, 4);
    assert_int_equal(chain.nseg, 3);
    assert_int_equal(chain.readable, 16);
    assert_int_equal(chain.writable, 4097);
}

static void test_indirect_misuse(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    g_desc(G_IND, 0, G_BUF, 16, 0, 0);
    g_desc(G_DESC, 0, G_IND, 16, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);    /* not negotiated */

    vq.indirect = true;
    g_desc(G_DESC, 0, G_IND, 20, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(1, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);    /* not a whole number of descriptors */

    g_desc(G_DESC, 0, G_IND, 0, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(2, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);    /* empty table */

    g_desc(G_DESC, 0, G_IND, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
    g_offer(3, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);    /* indirect and next */

    g_desc(G_IND, 0, G_IND + 0x100, 16, VIRTQ_DESC_F_INDIRECT, 0);
    g_desc(G_DESC, 0, G_IND, 16, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(4, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);    /* nested */

    g_desc(G_DESC, 0, G_IND, (VQ_MAX_INDIRECT + 1) * 16, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(5, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);    /* too large */

    g_desc(G_DESC, 0, ~0ull - 15, 32, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(6, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);    /* wraps */

    g_desc(G_IND, 0, G_BUF, 16, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_IND, 1, G_BUF, 16, VIRTQ_DESC_F_NEXT, 0);
    g_desc(G_DESC, 0, G_IND, 32, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(7, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -ELOOP);     /* loop inside the table */

    g_desc(G_IND, 0, G_BUF, 16, VIRTQ_DESC_F_NEXT, 2);
    g_desc(G_DESC, 0, G_IND, 32, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(8, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EINVAL);    /* next past the table's end */

    /* Its first entry is the last 16 bytes of guest RAM, its second none. */
    g_desc(G_BASE + G_SIZE - 16, 0, G_BUF, 16, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 0, G_BASE + G_SIZE - 16, 32, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(9, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -EFAULT);    /* table runs out of guest memory */
}

static void test_too_many_segments(void **state)
{
    unsigned i;

    (void)state;
    g_reset(&vq, 1);
    /* One direct buffer, then a full indirect table: one more than allowed. */
    for (i = 0; i < VQ_MAX_INDIRECT; i++)
        g_desc(G_IND, i, G_BUF, 8, VIRTQ_DESC_F_WRITE | (i + 1 < VQ_MAX_INDIRECT ? VIRTQ_DESC_F_NEXT : 0),
               (uint16_t)(i + 1));
    g_desc(G_DESC, 0, G_BUF, 16, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, G_IND, VQ_MAX_INDIRECT * 16, VIRTQ_DESC_F_INDIRECT, 0);
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, -E2BIG);
}

static void test_broken_ring(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    /* The driver claims more new entries than the ring holds. */
    put_le16(g_ptr(G_AVAIL + 2), G_NUM + 1);
    assert_int_equal(pop(), -1);
    /* A head past the table. */
    g_reset(&vq, 0);
    g_offer(0, G_NUM);
    assert_int_equal(pop(), -1);
    /* A ring outside guest memory. */
    g_reset(&vq, 0);
    vq.avail = G_BASE + G_SIZE;
    assert_int_equal(pop(), -1);
}

static void test_used_ring_and_wrap(void **state)
{
    unsigned i;

    (void)state;
    g_reset(&vq, 0);
    g_desc(G_DESC, 2, G_BUF, 1, VIRTQ_DESC_F_WRITE, 0);
    /* Indices near the 16-bit wrap, as after a long uptime. */
    vq.last_avail = 0xfffe;
    vq.used_idx = 0xfffe;
    for (i = 0; i < 4; i++) {
        g_offer(0xfffe + i, 2);
        assert_int_equal(pop(), 1);
        assert_int_equal(chain.error, 0);
        assert_int_equal(vq_push(&vq, chain.head, 1 + i), 0);
        assert_int_equal(le32(g_ptr(G_USED + 4 + 8u * ((0xfffe + i) % G_NUM))), 2);
        assert_int_equal(le32(g_ptr(G_USED + 8 + 8u * ((0xfffe + i) % G_NUM))), 1 + i);
        assert_int_equal(le16(g_ptr(G_USED + 2)), (uint16_t)(0xffff + i));
    }
    assert_int_equal(pop(), 0);
    vq.used = G_BASE + G_SIZE;
    assert_int_equal(vq_push(&vq, 2, 1), -1);
}

static void test_layout(void **state)
{
    (void)state;
    assert_true(vq_layout_ok(16, G_DESC, G_AVAIL, G_USED));
    assert_true(vq_layout_ok(VQ_MAX_SIZE, G_DESC, G_AVAIL, G_USED));
    assert_false(vq_layout_ok(0, G_DESC, G_AVAIL, G_USED));
    assert_false(vq_layout_ok(12, G_DESC, G_AVAIL, G_USED));
    assert_false(vq_layout_ok(VQ_MAX_SIZE * 2, G_DESC, G_AVAIL, G_USED));
    assert_false(vq_layout_ok(16, G_DESC + 8, G_AVAIL, G_USED));
    assert_false(vq_layout_ok(16, G_DESC, G_AVAIL + 1, G_USED));
    assert_false(vq_layout_ok(16, G_DESC, G_AVAIL, G_USED + 2));
    assert_false(vq_layout_ok(16, ~0ull - 15, G_AVAIL, G_USED));
}

static void test_chain_copies_across_buffers(void **state)
{
    uint8_t out[16], in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    (void)state;
    g_reset(&vq, 0);
    memcpy(g_ptr(G_BUF), "0123456789", 10);
    memcpy(g_ptr(G_BUF + 0x100), "abcdef", 6);
    g_desc(G_DESC, 0, G_BUF, 10, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, G_BUF + 0x100, 6, VIRTQ_DESC_F_NEXT, 2);
    g_desc(G_DESC, 2, G_BUF + 0x200, 3, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 3);
    g_desc(G_DESC, 3, G_BUF + 0x300, 5, VIRTQ_DESC_F_WRITE, 0);
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(vq_chain_read(&g_mem, &chain, 0, out, 16), 0);
    assert_memory_equal(out, "0123456789abcdef", 16);
    assert_int_equal(vq_chain_read(&g_mem, &chain, 8, out, 4), 0);
    assert_memory_equal(out, "89ab", 4);
    assert_int_equal(vq_chain_read(&g_mem, &chain, 8, out, 9), -1);   /* past the end */
    assert_int_equal(vq_chain_read(&g_mem, &chain, ~0ull, out, 2), -1);
    assert_int_equal(vq_chain_write(&g_mem, &chain, 0, in, 8), 0);
    assert_memory_equal(g_ptr(G_BUF + 0x200), in, 3);
    assert_memory_equal(g_ptr(G_BUF + 0x300), in + 3, 5);
    assert_int_equal(vq_chain_write(&g_mem, &chain, 1, in, 8), -1);
}

static void iov_is(const struct iovec *v, uint64_t gpa, size_t len)
{
    assert_ptr_equal(v->iov_base, g_ptr(gpa));
    assert_int_equal(v->iov_len, len);
}

/* Host addresses of a chain's parts: cut at buffer and page boundaries,
 * from any offset, within the part and the iovecs given, and nothing held
 * after a failure or a put. */
static void test_chain_get_across_buffers(void **state)
{
    struct iovec v[8];

    (void)state;
    g_reset(&vq, 0);
    g_desc(G_DESC, 0, G_BUF, 10, VIRTQ_DESC_F_NEXT, 1);
    g_desc(G_DESC, 1, G_BUF + 0x100, 6, VIRTQ_DESC_F_NEXT, 2);
    /* Writable: 8 bytes across a page boundary, then 5000 from a page. */
    g_desc(G_DESC, 2, G_BUF + 0xffe, 8, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 3);
    g_desc(G_DESC, 3, G_BUF + 0x3000, 5000, VIRTQ_DESC_F_WRITE, 0);
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(vq_chain_get(&g_mem, &chain, true, 0, 5008, v, 8), 4);
    iov_is(&v[0], G_BUF + 0xffe, 2);
    iov_is(&v[1], G_BUF + 0x1000, 6);
    iov_is(&v[2], G_BUF + 0x3000, 4096);
    iov_is(&v[3], G_BUF + 0x4000, 904);
    vq_chain_put(&g_mem, &chain, true, 0, 5008, v);
    assert_int_equal(g_held, 0);
    assert_int_equal(vq_chain_get(&g_mem, &chain, true, 7, 2, v, 8), 2);
    iov_is(&v[0], G_BUF + 0x1005, 1);
    iov_is(&v[1], G_BUF + 0x3000, 1);
    vq_chain_put(&g_mem, &chain, true, 7, 2, v);
    assert_int_equal(vq_chain_get(&g_mem, &chain, false, 8, 4, v, 8), 2);
    iov_is(&v[0], G_BUF + 8, 2);
    iov_is(&v[1], G_BUF + 0x100, 2);
    vq_chain_put(&g_mem, &chain, false, 8, 4, v);
    assert_int_equal(vq_chain_get(&g_mem, &chain, true, 3, 0, v, 8), 0);
    assert_int_equal(g_held, 0);
    /* Past either part's end, wrapping, or more pieces than iovecs: the
     * last after the first buffer was got, which must be given back. */
    assert_int_equal(vq_chain_get(&g_mem, &chain, true, 8, 5001, v, 8), -1);
    assert_int_equal(vq_chain_get(&g_mem, &chain, false, 0, 17, v, 8), -1);
    assert_int_equal(vq_chain_get(&g_mem, &chain, true, ~0ull, 2, v, 8), -1);
    assert_int_equal(vq_chain_get(&g_mem, &chain, true, 0, 5008, v, 3), -1);
    assert_int_equal(g_held, 0);
    /* The memory refusing the second buffer: the first is given back. */
    g_gets_left = 1;
    assert_int_equal(vq_chain_get(&g_mem, &chain, true, 0, 5008, v, 8), -1);
    assert_int_equal(g_held, 0);
    /* No get at all: refused, never called. */
    g_gets_left = -1;
    g_mem.get = NULL;
    g_gets = 0;
    assert_int_equal(vq_chain_get(&g_mem, &chain, true, 0, 8, v, 8), -1);
    g_mem.get = g_get;
    assert_int_equal(g_gets, 0);
    assert_int_equal(g_held, 0);
}

static void test_buffer_outside_guest_fails_the_copy(void **state)
{
    uint8_t b[4] = { 0 };

    (void)state;
    g_reset(&vq, 0);
    g_desc(G_DESC, 0, 0x1000, 4, VIRTQ_DESC_F_WRITE, 0);  /* below guest RAM */
    g_offer(0, 0);
    assert_int_equal(pop(), 1);
    assert_int_equal(chain.error, 0);   /* the walk does not touch buffers... */
    assert_int_equal(vq_chain_write(&g_mem, &chain, 0, b, 4), -1);   /* ...the copy fails */
    assert_int_equal(vq_chain_get(&g_mem, &chain, true, 0, 4, &(struct iovec){ 0 }, 1), -1);
    assert_int_equal(g_held, 0);
}

static void test_no_interrupt_flag(void **state)
{
    (void)state;
    g_reset(&vq, 0);
    assert_true(vq_wants_irq(&vq));
    put_le16(g_ptr(G_AVAIL), VIRTQ_AVAIL_F_NO_INTERRUPT);
    assert_false(vq_wants_irq(&vq));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_data_status),
        cmocka_unit_test(test_empty_ring),
        cmocka_unit_test(test_loop_fails_the_chain),
        cmocka_unit_test(test_next_out_of_range),
        cmocka_unit_test(test_address_wraps),
        cmocka_unit_test(test_table_outside_guest),
        cmocka_unit_test(test_readable_after_writable),
        cmocka_unit_test(test_lengths_do_not_overflow),
        cmocka_unit_test(test_indirect),
        cmocka_unit_test(test_indirect_misuse),
        cmocka_unit_test(test_too_many_segments),
        cmocka_unit_test(test_broken_ring),
        cmocka_unit_test(test_used_ring_and_wrap),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_chain_copies_across_buffers),
        cmocka_unit_test(test_chain_get_across_buffers),
        cmocka_unit_test(test_buffer_outside_guest_fails_the_copy),
        cmocka_unit_test(test_no_interrupt_flag),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
