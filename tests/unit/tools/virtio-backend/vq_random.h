/* Random requests for the request handlers' robustness tests: chains that
 * walk (so that they reach the handler) but whose buffers have any
 * direction, order and length, sometimes outside guest RAM, holding bytes
 * that are mostly plausible. Included after vq_env.h. */
#ifndef VQ_RANDOM_H
#define VQ_RANDOM_H

#include <stdlib.h>

#define G_RANDOM_AREA 0x1000u    /* buffers land in G_BUF .. + this */

static inline uint32_t g_random_len(void)
{
    static const uint32_t common[] = { 0, 1, 2, 3, 7, 8, 9, 16, 64 };

    return rand() % 4 ? common[rand() % 9] : (uint32_t)(rand() % 512);
}

/* A chain of 1 to 4 buffers at descriptors 0.., offered and popped into
 * chain; the readable bytes filled by fill(p, len) when given. */
static inline void g_random_chain(struct vq *vq, struct vq_chain *chain,
                                  void (*fill)(uint8_t *p, uint32_t len))
{
    static const uint32_t sound_in[] = { 2, 8, 8, 9 }, sound_out[] = { 1, 2, 2, 32 };
    /* Half of them the shape requests have: one readable, one writable. */
    bool sound = rand() % 2;
    unsigned nseg = sound ? 2 : 1 + (unsigned)rand() % 4, i;

    for (i = 0; i < nseg; i++) {
        uint32_t len = sound ? (i == 0 ? sound_in[rand() % 4] : sound_out[rand() % 4])
                             : g_random_len();
        uint64_t at = G_BUF + (uint64_t)(rand() % (G_RANDOM_AREA - 512));
        bool out_of_ram = rand() % 16 == 0;
        /* Mostly readable first, as a driver lays them out. */
        bool writes = sound ? i == 1 : i >= nseg / 2 ? rand() % 4 != 0 : rand() % 8 == 0;

        if (out_of_ram)
            at = G_BASE + G_SIZE + (uint64_t)(rand() % 4096);
        else if (!writes && fill)
            fill(g_ptr(at), len);
        g_desc(G_DESC, i, at, len,
               (uint16_t)((i + 1 < nseg ? VIRTQ_DESC_F_NEXT : 0) | (writes ? VIRTQ_DESC_F_WRITE : 0)),
               (uint16_t)(i + 1));
    }
    g_offer(vq->last_avail, 0);
    assert_int_equal(vq_pop(vq, chain), 1);
}

#endif
