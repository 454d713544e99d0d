/* A guest for the back end's host tests: a flat piece of "guest RAM" behind
 * the guest_mem interface (anything outside it is unreachable, as an
 * unmapped guest page is), and helpers that lay out a split ring in it the
 * way a driver would. Included by each test of tools/virtio-backend. */
#ifndef VQ_ENV_H
#define VQ_ENV_H

#include <stdint.h>
#include <string.h>

#include "guest_mem.h"
#include "le.h"
#include "virtio_abi.h"
#include "virtqueue.h"

#define G_BASE   0x40000000ull
#define G_SIZE   (256u * 1024u)
#define G_DESC   (G_BASE + 0x0000u)
#define G_AVAIL  (G_BASE + 0x1000u)
#define G_USED   (G_BASE + 0x2000u)
#define G_IND    (G_BASE + 0x3000u)  /* indirect tables */
#define G_BUF    (G_BASE + 0x10000u) /* data buffers */
#define G_NUM    16u

static uint8_t g_ram[G_SIZE];

static int g_reach(uint64_t gpa, size_t len)
{
    return gpa >= G_BASE && gpa - G_BASE <= G_SIZE && len <= G_SIZE - (gpa - G_BASE);
}

static int g_read(struct guest_mem *gm, uint64_t gpa, void *dst, size_t len)
{
    (void)gm;
    if (!g_reach(gpa, len))
        return -1;
    memcpy(dst, g_ram + (gpa - G_BASE), len);
    return 0;
}

static int g_write(struct guest_mem *gm, uint64_t gpa, const void *src, size_t len)
{
    (void)gm;
    if (!g_reach(gpa, len))
        return -1;
    memcpy(g_ram + (gpa - G_BASE), src, len);
    return 0;
}

static struct guest_mem g_mem = { g_read, g_write };

static inline uint8_t *g_ptr(uint64_t gpa)
{
    return g_ram + (gpa - G_BASE);
}

/* Descriptor i of the table at table. */
static inline void g_desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                   uint16_t next)
{
    uint8_t *d = g_ptr(table + 16u * i);

    put_le64(d, addr);
    put_le32(d + 8, len);
    put_le16(d + 12, flags);
    put_le16(d + 14, next);
}

/* The driver offers head as its avail_idx-th entry and publishes it. */
static inline void g_offer(unsigned idx, uint16_t head)
{
    put_le16(g_ptr(G_AVAIL + 4 + 2u * (idx % G_NUM)), head);
    put_le16(g_ptr(G_AVAIL + 2), (uint16_t)(idx + 1));
}

static inline void g_reset(struct vq *vq, int indirect)
{
    memset(g_ram, 0, sizeof(g_ram));
    vq_init(vq, &g_mem, G_NUM, G_DESC, G_AVAIL, G_USED, indirect != 0);
}

#endif
