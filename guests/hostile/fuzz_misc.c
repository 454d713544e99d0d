/*
 * The small families: console_io (never printing: the log must stay
 * readable, so only counts of zero and buffers that are not there),
 * xen_version, hvm_op parameters around the table's end, physdev_op.
 */
#include "hostile.h"

static long console(struct hctx *c)
{
    uint32_t cmd = rnd_below(c, 3U);
    uint64_t n;
    uint64_t a;

    if (cmd == CONSOLEIO_write) {
        /* nothing that could print: no bytes from a real buffer, any count from a wild one */
        void *b;

        a = arg_addr(c, &b, 16U);
        n = 0U;
        if (rnd_chance(c, 2U)) {
            /* only addresses nothing is ever mapped at: a hole, past the VA
             * space, a TTBR1 address. Not just past RAM: that is the free
             * GPA region, which populate_physmap fills with pages of zeros
             * for a count of 2^32 - 1 to print (seed 0xa264a49ee3bf) */
            static const uint64_t nowhere[3] = { UINT64_C(0x01000000), UINT64_C(0x8000000000),
                                                 UINT64_C(0xffff000000000000) };

            a = nowhere[rnd_below(c, 3U)] + rnd_below(c, 64U);
            n = rnd_near(c, 16U);
        }
    } else {
        /* read: a domU may not, or gets nothing; an unknown command */
        a = wild_addr(c, 16U);
        n = rnd_near(c, 16U);
    }
    return xen_hypercall(__HYPERVISOR_console_io, cmd, n, a);
}

static long version(struct hctx *c)
{
    void *b;
    uint64_t a = arg_addr(c, &b, 1024U);

    return hyp_xen_version((uint32_t)rnd_near(c, XENVER_build_id), (void *)(uintptr_t)a);
}

static long hvm(struct hctx *c)
{
    struct xen_hvm_param *p;
    void *b;
    uint64_t a = arg_addr(c, &b, sizeof(*p));
    uint32_t cmd = rnd_chance(c, 8U) ? (uint32_t)rnd_near(c, 24U) : rnd_below(c, 2U);

    p = b;
    p->domid = any_domid(c);
    p->index = (uint32_t)rnd_near(c, (uint64_t)HVM_NR_PARAMS);
    /* set: values that are ports, frames, or nonsense */
    p->value = rnd_chance(c, 2U) ? rnd_below(c, 80U) : rnd(c);
    return hyp_hvm_op(cmd, (void *)(uintptr_t)a);
}

static long physdev(struct hctx *c)
{
    void *b;
    uint64_t a = arg_addr(c, &b, 64U);

    return xen_hypercall(__HYPERVISOR_physdev_op, rnd_below(c, 34U), a, 0U);
}

long fuzz_misc(struct hctx *c)
{
    switch (rnd_below(c, 4U)) {
    case 0U: return console(c);
    case 1U: return version(c);
    case 2U: return hvm(c);
    default: return physdev(c);
    }
}
