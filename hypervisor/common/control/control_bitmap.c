/* CPU masks to and from the toolstack's struct xenctl_bitmap, with Xen's
 * rules for buffers of another size than the hypervisor's: only the bytes
 * both sides have are exchanged, the caller's extra bytes are zeroed on
 * the way out and its bits past nr_bits ignored on the way in. */
#include "control.h"
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>

/* Bytes that hold n bits (n may be a guest's 32-bit count: no overflow). */
static uint64_t bytes_for(uint64_t nbits)
{
    return (nbits + 7U) / 8U;
}

static uint64_t low_bits(unsigned int nbits)
{
    return (nbits >= 64U) ? ~0ULL : ((1ULL << nbits) - 1U);
}

int control_bitmap_to_guest(const struct xenctl_bitmap *b, uint64_t mask, unsigned int nbits)
{
    static const uint8_t zeros[64];
    uint8_t bytes[8];
    uint64_t theirs = bytes_for(b->nr_bits);
    uint64_t copy = MIN(theirs, bytes_for(MIN(nbits, 64U)));
    uint64_t m = mask & low_bits(nbits);

    for (unsigned int i = 0U; i < 8U; i++) {
        bytes[i] = (uint8_t)(m >> (8U * i));
    }
    if ((copy != 0U) && (copy_to_guest(b->bitmap, bytes, (size_t)copy) != 0)) {
        return -EFAULT;
    }
    /* Xen writes the rest a byte at a time; whole blocks give the same. */
    for (uint64_t at = copy; at < theirs;) {
        uint64_t n = MIN(theirs - at, (uint64_t)sizeof(zeros));

        if (copy_to_guest(b->bitmap + at, zeros, (size_t)n) != 0) {
            return -EFAULT;
        }
        at += n;
    }
    return 0;
}

int control_bitmap_from_guest(const struct xenctl_bitmap *b, unsigned int nbits, uint64_t *mask)
{
    uint8_t bytes[8] = { 0U };
    uint64_t theirs = bytes_for(b->nr_bits);
    uint64_t copy = MIN(theirs, bytes_for(MIN(nbits, 64U)));
    uint64_t m = 0U;

    if (copy != 0U) {
        if (copy_from_guest(bytes, b->bitmap, (size_t)copy) != 0) {
            return -EFAULT;
        }
        /* The caller's last byte may be partly beyond its nr_bits. */
        if (((b->nr_bits & 7U) != 0U) && (theirs == copy)) {
            bytes[copy - 1U] &= (uint8_t)((1U << (b->nr_bits & 7U)) - 1U);
        }
    }
    for (unsigned int i = 0U; i < 8U; i++) {
        m |= (uint64_t)bytes[i] << (8U * i);
    }
    *mask = m & low_bits(nbits);
    return 0;
}
