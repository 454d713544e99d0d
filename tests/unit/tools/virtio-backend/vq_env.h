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

/* The host-address path, cut at 4 KiB boundaries as foreign mappings are.
 * g_gets_left counts the gets that will still succeed (negative: all);
 * g_held the bytes got and not yet put, which must be 0 between requests. */
static int g_gets_left = -1;
static long long g_held;
static unsigned g_gets;

static int g_get(struct guest_mem *gm, uint64_t gpa, size_t len, struct iovec *iov, unsigned max)
{
    unsigned cnt = 0;
    size_t done = 0;

    (void)gm;
    if (!g_reach(gpa, len) || g_gets_left == 0)
        return -1;
    while (done < len) {
        size_t n = 4096u - (size_t)((gpa + done) & 4095u);

        if (n > len - done)
            n = len - done;
        if (cnt == max)
            return -1;
        iov[cnt].iov_base = g_ram + (gpa + done - G_BASE);
        iov[cnt].iov_len = n;
        cnt++;
        done += n;
    }
    if (g_gets_left > 0)
        g_gets_left--;
    g_gets++;
    g_held += (long long)len;
    return (int)cnt;
}

/* Checks that it is given back exactly what g_get gave. */
static unsigned g_put(struct guest_mem *gm, uint64_t gpa, size_t len, const struct iovec *iov)
{
    unsigned cnt = 0;
    size_t done = 0;

    (void)gm;
    while (done < len) {
        size_t n = 4096u - (size_t)((gpa + done) & 4095u);

        if (n > len - done)
            n = len - done;
        if (iov[cnt].iov_base != g_ram + (gpa + done - G_BASE) || iov[cnt].iov_len != n)
            g_held = -1000000;
        cnt++;
        done += n;
    }
    g_held -= (long long)len;
    return cnt;
}

static struct guest_mem g_mem = { g_read, g_write, g_get, g_put };

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
    g_mem.get = g_get;
    g_mem.put = g_put;
    g_gets_left = -1;
    g_held = 0;
    g_gets = 0;
    vq_init(vq, &g_mem, G_NUM, G_DESC, G_AVAIL, G_USED, indirect != 0);
}

#endif
