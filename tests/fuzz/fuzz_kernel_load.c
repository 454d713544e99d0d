/* libFuzzer target: where a guest's kernel, device tree and ramdisk go.
 * The domain's RAM over the guest banks (guest_ram.c with arm64's banks),
 * the arm64 Image header and the copy of the image into the first bank
 * (kernel_image.c arch_kernel_load, domain.c domain_copy_to_guest_phys),
 * then the device tree and ramdisk above it (arch_kernel_place_modules),
 * as dom0less_build.c chains them. The input gives the RAM size, the
 * Image header's fields, the image's length and the sizes of the device
 * tree and ramdisk, each a usual value most of the time and a raw one
 * otherwise. Whatever they are, nothing may be placed outside the bank
 * and nothing may overlap: a violation traps. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <fake_arch.h>
#include <proxenos/arch/kernel.h>
#include <proxenos/domain.h>
#include <proxenos/domain_create.h>
#include <proxenos/errno.h>
#include <proxenos/guest_ram.h>
#include <public/arch-arm.h>

#include "fuzz_input.h"

#define MIB(n) ((uint64_t)(n) << 20)
#define FAKE_PA 0x100000000ULL      /* host "physical" address of bank 0 */
#define IMAGE_MAX 8192U
#define ALIGN_2M MIB(2)

static const uint64_t RAM_BYTES[] = {
    MIB(16), MIB(64), MIB(128), MIB(130), MIB(256), MIB(3072), MIB(3074), MIB(2), 0U,
};
static const uint64_t TEXT_OFFSETS[] = { 0U, 0x80000U, 0x200000U, MIB(127), MIB(3072) - 4096U };
static const uint64_t IMAGE_SIZES[] = { 0U, 0x1000U, MIB(4), MIB(126), MIB(3072) };
static const uint64_t DTB_SIZES[] = { 0x1000U, 0x10000U, 0U, 1U, MIB(2) };
static const uint64_t INITRD_SIZES[] = { 0U, 0x1000U, MIB(2), MIB(100), MIB(3000), UINT64_MAX };

static uint8_t *bank0;
static uint8_t image[IMAGE_MAX];
static struct domain dom;
static unsigned long runs;

static void put_le64(uint8_t *p, uint64_t v)
{
    for (unsigned int i = 0U; i < 8U; i++) {
        p[i] = (uint8_t)(v >> (8U * i));
    }
}

/* The layout covers exactly the bytes asked for, bank by bank in order. */
static unsigned int check_layout(uint64_t bytes, uint64_t size[GUEST_RAM_MAX_BANKS])
{
    const struct guest_ram_bank *b = NULL;
    unsigned int nb = arch_guest_ram_banks(&b);
    unsigned int n = guest_ram_layout(bytes, size);
    uint64_t sum = 0U;
    uint64_t total = 0U;

    for (unsigned int i = 0U; i < nb; i++) {
        total += b[i].size;
    }
    FUZZ_ASSERT(n <= nb);
    if (n == 0U) {
        /* Refused only when there is nothing to lay out or too much. */
        FUZZ_ASSERT((bytes == 0U) || (bytes > total));
        return 0U;
    }
    for (unsigned int i = 0U; i < GUEST_RAM_MAX_BANKS; i++) {
        if (i < n) {
            FUZZ_ASSERT((size[i] != 0U) && (size[i] <= b[i].size));
            FUZZ_ASSERT((i + 1U == n) || (size[i] == b[i].size));   /* filled in order */
            sum += size[i];
        } else {
            FUZZ_ASSERT(size[i] == 0U);
        }
    }
    FUZZ_ASSERT(sum == bytes);
    /* Of whole pages (as "memory" in KiB, a multiple of 4, gives), the
     * last frame is in the last bank used. */
    if ((bytes & 0xfffU) == 0U) {
        uint64_t last = guest_ram_last_gfn(bytes >> 12);

        FUZZ_ASSERT(((last << 12) >= b[n - 1U].base) &&
                    ((last << 12) < (b[n - 1U].base + size[n - 1U])));
    }
    return n;
}

/* [at, at + len) inside [lo, hi), without wrapping. */
static int inside(uint64_t at, uint64_t len, uint64_t lo, uint64_t hi)
{
    return (at >= lo) && (at <= hi) && (len <= (hi - at));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in;
    uint64_t ram[GUEST_RAM_MAX_BANKS];
    uint64_t bytes;
    uint64_t len;
    uint64_t dtb_size;
    uint64_t initrd_size;
    uint64_t bank_end;
    struct kernel_load k;
    paddr_t dtb_at = 0U;
    paddr_t initrd_at = 0U;
    int rc;

    if (bank0 == NULL) {
        fake_console_quiet(true);
        bank0 = fake_ram_alloc(FAKE_PA, GUEST_RAM0_SIZE);
    }
    fin_init(&in, data, size);
    bytes = fin_pick(&in, RAM_BYTES, sizeof(RAM_BYTES) / sizeof(RAM_BYTES[0]));
    if (fin_below(&in, 4U) == 0U) {
        bytes &= ~0xfffULL;     /* whole pages, as the parser hands it over */
    }
    if (check_layout(bytes, ram) == 0U) {
        return 0;
    }

    /* The Image: a header with fuzzed fields, then fuzzed bytes. */
    len = 64U + (fin_u16(&in) % (IMAGE_MAX - 63U));
    memset(image, 0, (size_t)len);
    fin_bytes(&in, image, (size_t)(len < 128U ? len : 128U));
    put_le64(&image[8], fin_pick(&in, TEXT_OFFSETS, sizeof(TEXT_OFFSETS) / sizeof(TEXT_OFFSETS[0])));
    put_le64(&image[16], fin_pick(&in, IMAGE_SIZES, sizeof(IMAGE_SIZES) / sizeof(IMAGE_SIZES[0])));
    if (fin_below(&in, 16U) != 0U) {
        memcpy(&image[0x38], "ARM\x64", 4U);
    }
    dtb_size = fin_pick(&in, DTB_SIZES, sizeof(DTB_SIZES) / sizeof(DTB_SIZES[0]));
    initrd_size = fin_pick(&in, INITRD_SIZES, sizeof(INITRD_SIZES) / sizeof(INITRD_SIZES[0]));

    memset(&dom, 0, sizeof(dom));
    fake_guest_map(&dom, GUEST_RAM0_BASE, FAKE_PA, ram[0]);
    bank_end = GUEST_RAM0_BASE + ram[0];

    rc = arch_kernel_load(&dom, image, len, GUEST_RAM0_BASE, ram[0], &k);
    FUZZ_ASSERT((rc == 0) || (rc == -ENOEXEC) || (rc == -ENOSPC));
    if (rc == 0) {
        FUZZ_ASSERT(k.load_addr <= k.end);
        FUZZ_ASSERT(inside(k.load_addr, k.end - k.load_addr, GUEST_RAM0_BASE, bank_end));
        FUZZ_ASSERT(inside(k.load_addr, len, k.load_addr, k.end));
        FUZZ_ASSERT(k.entry == k.load_addr);
        /* What was copied is the image, where the header said. */
        FUZZ_ASSERT(memcmp(bank0 + (k.load_addr - GUEST_RAM0_BASE), image, (size_t)len) == 0);
        (void)madvise(bank0 + ((k.load_addr - GUEST_RAM0_BASE) & ~0xfffULL),
                      (size_t)(len + 0x1000U), MADV_DONTNEED);

        rc = arch_kernel_place_modules(GUEST_RAM0_BASE, ram[0], k.end, dtb_size, initrd_size,
                                       &dtb_at, &initrd_at);
        FUZZ_ASSERT((rc == 0) || (rc == -ENOSPC));
        if (rc == 0) {
            FUZZ_ASSERT(((dtb_at % ALIGN_2M) == 0U) && ((initrd_at % ALIGN_2M) == 0U));
            FUZZ_ASSERT(dtb_at >= k.end);                           /* above the kernel */
            FUZZ_ASSERT(inside(dtb_at, dtb_size, GUEST_RAM0_BASE, bank_end));
            FUZZ_ASSERT(inside(dtb_at, dtb_size, dtb_at, initrd_at)); /* below the ramdisk */
            FUZZ_ASSERT(inside(initrd_at, initrd_size, GUEST_RAM0_BASE, bank_end));
        }
    }
    fake_guest_unmap(&dom, GUEST_RAM0_BASE);
    /* Give the whole bank back now and then: the fuzzer counts every page
     * ever touched against its RSS limit. */
    if ((++runs % 4096U) == 0U) {
        (void)madvise(bank0, (size_t)GUEST_RAM0_SIZE, MADV_DONTNEED);
    }
    return 0;
}
