/* virtio-blk request handling (VirtIO 1.2, 5.2.6). */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "blk.h"
#include "le.h"

#define HDR_LEN      16u
#define DISCARD_SEG  16u
/* Data moves through a buffer of this size per thread: large requests
 * need no large allocation, and a guest cannot make us allocate. */
#define CHUNK        (64u * 1024u)

/* Reads and writes move straight between the disk and the guest's pages
 * in pieces of up to 1 MiB (what Linux sends at most in one request):
 * 256 pages, plus one iovec more for each segment boundary, well within
 * IOV_MAX. A piece whose pages cannot be had that way is copied through
 * chunk instead. */
#define DIRECT_PIECE (1024u * 1024u)
#define DIRECT_IOV   512u

static _Thread_local uint8_t chunk[CHUNK];
static _Thread_local struct iovec direct_iov[DIRECT_IOV];

void blk_attach(struct blk_disk *disk, int fd, uint64_t bytes, bool ro, bool is_bdev)
{
    memset(disk, 0, sizeof(*disk));
    disk->fd = fd;
    disk->sectors = bytes / BLK_SECTOR;
    disk->ro = ro;
    disk->is_bdev = is_bdev;
    strncpy(disk->id, "proxenos-vblk", sizeof(disk->id));
}

int blk_open(struct blk_disk *disk, const char *path, bool ro)
{
    struct stat st;
    uint64_t bytes;
    int fd = open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);

    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0)
        goto fail;
    if (S_ISBLK(st.st_mode)) {
        if (ioctl(fd, BLKGETSIZE64, &bytes) != 0)
            goto fail;
    } else if (S_ISREG(st.st_mode)) {
        bytes = (uint64_t)st.st_size;
    } else {
        errno = EINVAL;
        goto fail;
    }
    blk_attach(disk, fd, bytes, ro, S_ISBLK(st.st_mode));
    /* A serial number the guest can tell disks apart by. */
    snprintf(disk->id, sizeof(disk->id), "pxn-%lx-%lx", (unsigned long)st.st_dev,
             (unsigned long)(S_ISBLK(st.st_mode) ? st.st_rdev : st.st_ino));
    return 0;
fail:
    {
        int e = errno;

        close(fd);
        errno = e;
    }
    return -1;
}

void blk_close(struct blk_disk *disk)
{
    if (disk->fd >= 0)
        close(disk->fd);
    disk->fd = -1;
}

uint64_t blk_features(const struct blk_disk *disk)
{
    uint64_t f = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_INDIRECT_DESC) |
                 (1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_BLK_SIZE) |
                 (1ull << VIRTIO_BLK_F_FLUSH) | (1ull << VIRTIO_BLK_F_MQ);

    if (disk->ro)
        f |= 1ull << VIRTIO_BLK_F_RO;
    else
        f |= (1ull << VIRTIO_BLK_F_DISCARD) | (1ull << VIRTIO_BLK_F_WRITE_ZEROES);
    return f;
}

void blk_config(const struct blk_disk *disk, uint16_t nqueues, uint8_t *cfg)
{
    memset(cfg, 0, VBLK_CFG_SIZE);
    put_le64(cfg + VBLK_CFG_CAPACITY, disk->sectors);
    put_le32(cfg + VBLK_CFG_SEG_MAX, BLK_SEG_MAX);
    put_le32(cfg + VBLK_CFG_BLK_SIZE, BLK_SECTOR);
    put_le16(cfg + VBLK_CFG_NUM_QUEUES, nqueues);
    put_le32(cfg + VBLK_CFG_MAX_DISCARD_SECTORS, BLK_MAX_DISCARD_SECTORS);
    put_le32(cfg + VBLK_CFG_MAX_DISCARD_SEG, BLK_MAX_DISCARD_SEG);
    put_le32(cfg + VBLK_CFG_DISCARD_ALIGN, 1);
    put_le32(cfg + VBLK_CFG_MAX_WZ_SECTORS, BLK_MAX_DISCARD_SECTORS);
    put_le32(cfg + VBLK_CFG_MAX_WZ_SEG, BLK_MAX_DISCARD_SEG);
    cfg[VBLK_CFG_WZ_MAY_UNMAP] = 1;
}

/* Whether [sector, sector + count) lies on the disk. */
static bool in_range(const struct blk_disk *disk, uint64_t sector, uint64_t count)
{
    return sector <= disk->sectors && count <= disk->sectors - sector;
}

/* n bytes between the disk at pos and the chain's data at off (writable
 * part when to_guest), without a copy: 1 when done, 0 when the guest's
 * pages cannot be had that way, -1 on an I/O error. */
static int direct(struct blk_disk *disk, struct guest_mem *gm, const struct vq_chain *c,
                  bool to_guest, uint64_t off, uint64_t pos, size_t n)
{
    int cnt = vq_chain_get(gm, c, to_guest, off, n, direct_iov, DIRECT_IOV);
    ssize_t r;

    if (cnt <= 0)
        return 0;
    if (to_guest)
        r = preadv(disk->fd, direct_iov, cnt, (off_t)pos);
    else
        r = pwritev(disk->fd, direct_iov, cnt, (off_t)pos);
    vq_chain_put(gm, c, to_guest, off, n, direct_iov);
    return r == (ssize_t)n ? 1 : -1;
}

/* The same through chunk: 0, or -1 on an I/O error or unreachable memory. */
static int copied(struct blk_disk *disk, struct guest_mem *gm, const struct vq_chain *c,
                  bool to_guest, uint64_t off, uint64_t pos, size_t len)
{
    size_t done = 0;

    while (done < len) {
        size_t n = len - done < CHUNK ? len - done : CHUNK;

        if (to_guest) {
            if (pread(disk->fd, chunk, n, (off_t)(pos + done)) != (ssize_t)n ||
                vq_chain_write(gm, c, off + done, chunk, n) != 0)
                return -1;
        } else {
            if (vq_chain_read(gm, c, off + done, chunk, n) != 0 ||
                pwrite(disk->fd, chunk, n, (off_t)(pos + done)) != (ssize_t)n)
                return -1;
        }
        done += n;
    }
    return 0;
}

/* Data of a read (to_guest) or write request, whose data starts at off of
 * the chain's part, len bytes from sector on. */
static uint8_t transfer(struct blk_disk *disk, struct guest_mem *gm, const struct vq_chain *c,
                        bool to_guest, uint64_t off, uint64_t sector, uint64_t len)
{
    uint64_t done = 0;

    if (len % BLK_SECTOR != 0 || len > BLK_MAX_IO || !in_range(disk, sector, len / BLK_SECTOR))
        return VIRTIO_BLK_S_IOERR;
    while (done < len) {
        size_t n = len - done < DIRECT_PIECE ? (size_t)(len - done) : DIRECT_PIECE;
        uint64_t pos = sector * BLK_SECTOR + done;
        int r = direct(disk, gm, c, to_guest, off + done, pos, n);

        if (r < 0 || (r == 0 && copied(disk, gm, c, to_guest, off + done, pos, n) != 0))
            return VIRTIO_BLK_S_IOERR;
        done += n;
    }
    return VIRTIO_BLK_S_OK;
}

static uint8_t do_read(struct blk_disk *disk, struct guest_mem *gm, const struct vq_chain *c,
                       uint64_t sector, uint64_t len)
{
    return transfer(disk, gm, c, true, 0, sector, len);
}

static uint8_t do_write(struct blk_disk *disk, struct guest_mem *gm, const struct vq_chain *c,
                        uint64_t sector, uint64_t len)
{
    if (disk->ro)
        return VIRTIO_BLK_S_IOERR;
    return transfer(disk, gm, c, false, HDR_LEN, sector, len);
}

/* Zeroes over [off, off + len) of the disk, unmapping them if unmap and the
 * disk can; plain writes of zeroes where the kernel offers nothing better. */
static int zero_range(struct blk_disk *disk, uint64_t off, uint64_t len, bool unmap)
{
    if (disk->is_bdev) {
        uint64_t range[2] = { off, len };

        /* The kernel unmaps where the device zeroes that way by itself. */
        (void)unmap;
        if (ioctl(disk->fd, BLKZEROOUT, range) == 0)
            return 0;
    } else {
        int mode = unmap ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE : FALLOC_FL_ZERO_RANGE |
                                                                         FALLOC_FL_KEEP_SIZE;

        if (fallocate(disk->fd, mode, (off_t)off, (off_t)len) == 0)
            return 0;
    }
    memset(chunk, 0, CHUNK);
    while (len != 0) {
        size_t n = len < CHUNK ? (size_t)len : CHUNK;

        if (pwrite(disk->fd, chunk, n, (off_t)off) != (ssize_t)n)
            return -1;
        off += n;
        len -= n;
    }
    return 0;
}

static int discard_range(struct blk_disk *disk, uint64_t off, uint64_t len)
{
    int r;

    if (disk->is_bdev) {
        uint64_t range[2] = { off, len };

        r = ioctl(disk->fd, BLKDISCARD, range);
    } else {
        r = fallocate(disk->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len);
    }
    /* Discard is a hint: a file system or disk that cannot is no error. */
    return r == 0 || errno == EOPNOTSUPP ? 0 : -1;
}

/* DISCARD and WRITE_ZEROES: a list of 16-byte segments after the header. */
static uint8_t do_ranges(struct blk_disk *disk, struct guest_mem *gm, const struct vq_chain *c,
                         bool zeroes)
{
    uint64_t len = c->readable - HDR_LEN, i;
    uint8_t seg[DISCARD_SEG];

    if (disk->ro)
        return VIRTIO_BLK_S_IOERR;
    if (len == 0 || len % DISCARD_SEG != 0 || len / DISCARD_SEG > BLK_MAX_DISCARD_SEG)
        return VIRTIO_BLK_S_IOERR;
    /* Check every segment before acting on any. */
    for (i = 0; i < len / DISCARD_SEG; i++) {
        uint32_t flags;

        if (vq_chain_read(gm, c, HDR_LEN + i * DISCARD_SEG, seg, sizeof(seg)) != 0)
            return VIRTIO_BLK_S_IOERR;
        flags = le32(seg + 12);
        if (flags & ~(zeroes ? VIRTIO_BLK_WZ_UNMAP : 0u))
            return VIRTIO_BLK_S_UNSUPP;
        if (le32(seg + 8) > BLK_MAX_DISCARD_SECTORS || !in_range(disk, le64(seg), le32(seg + 8)))
            return VIRTIO_BLK_S_IOERR;
    }
    for (i = 0; i < len / DISCARD_SEG; i++) {
        uint64_t off, n;
        int r;

        if (vq_chain_read(gm, c, HDR_LEN + i * DISCARD_SEG, seg, sizeof(seg)) != 0)
            return VIRTIO_BLK_S_IOERR;
        /* Read again: the guest may have changed it; check again. */
        if (le32(seg + 8) > BLK_MAX_DISCARD_SECTORS || !in_range(disk, le64(seg), le32(seg + 8)))
            return VIRTIO_BLK_S_IOERR;
        off = le64(seg) * BLK_SECTOR;
        n = (uint64_t)le32(seg + 8) * BLK_SECTOR;
        if (n == 0)
            continue;
        r = zeroes ? zero_range(disk, off, n, (le32(seg + 12) & VIRTIO_BLK_WZ_UNMAP) != 0)
                   : discard_range(disk, off, n);
        if (r != 0)
            return VIRTIO_BLK_S_IOERR;
    }
    return VIRTIO_BLK_S_OK;
}

uint32_t blk_request(struct blk_disk *disk, struct guest_mem *gm, const struct vq_chain *c,
                     uint8_t *status)
{
    uint8_t hdr[HDR_LEN], st;
    uint64_t data_in = 0, sector;
    uint32_t type;

    *status = 0xff;
    if (c->error != 0 || c->writable == 0)
        return 0;
    if (c->readable < HDR_LEN || vq_chain_read(gm, c, 0, hdr, HDR_LEN) != 0) {
        st = VIRTIO_BLK_S_IOERR;
        goto done;
    }
    type = le32(hdr);
    sector = le64(hdr + 8);
    switch (type) {
    case VIRTIO_BLK_T_IN:
        st = do_read(disk, gm, c, sector, c->writable - 1);
        if (st == VIRTIO_BLK_S_OK)
            data_in = c->writable - 1;
        break;
    case VIRTIO_BLK_T_OUT:
        st = do_write(disk, gm, c, sector, c->readable - HDR_LEN);
        break;
    case VIRTIO_BLK_T_FLUSH:
        st = fdatasync(disk->fd) == 0 ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        break;
    case VIRTIO_BLK_T_GET_ID: {
        uint64_t n = c->writable - 1 < VIRTIO_BLK_ID_BYTES ? c->writable - 1 : VIRTIO_BLK_ID_BYTES;

        st = vq_chain_write(gm, c, 0, disk->id, n) == 0 ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        if (st == VIRTIO_BLK_S_OK)
            data_in = n;
        break;
    }
    case VIRTIO_BLK_T_DISCARD:
        st = do_ranges(disk, gm, c, false);
        break;
    case VIRTIO_BLK_T_WRITE_ZEROES:
        st = do_ranges(disk, gm, c, true);
        break;
    default:
        st = VIRTIO_BLK_S_UNSUPP;
        break;
    }
done:
    /* The status byte is the last writable one; if even that cannot be
     * written the guest learns nothing, and we report nothing written. */
    if (vq_chain_write(gm, c, c->writable - 1, &st, 1) != 0)
        return 0;
    *status = st;
    return (uint32_t)(data_in + 1);
}
