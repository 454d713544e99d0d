/* Checked copies to and from the current vCPU's memory, and pinned guest
 * pages (see <proxenos/guest_access.h>). */
#include <proxenos/guest_access.h>
#include <proxenos/arch/domain.h>
#include <proxenos/arch/guest_access.h>
#include <proxenos/arch/mm.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/page_alloc.h>
#include <proxenos/string.h>

/* Hypervisor address of the byte at gva in the current domain's RAM, for
 * an access that stays within gva's page. */
static void *guest_va_to_virt(uint64_t gva, bool write)
{
    struct vcpu *v = current_vcpu();
    paddr_t ipa;
    paddr_t ma;

    if ((v == NULL) || (arch_guest_va_to_ipa(gva, write, &ipa) != 0) ||
        (arch_guest_ram_to_maddr(v->domain, ipa, &ma) != 0)) {
        return NULL;
    }
    return arch_maddr_to_virt(ma);
}

/* Bytes from gva to the end of its page, at most len. */
static size_t chunk_len(uint64_t gva, size_t len)
{
    size_t room = (size_t)(PAGE_SIZE - (gva & (PAGE_SIZE - 1U)));

    return (len < room) ? len : room;
}

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
    uint8_t *out = dst;

    while (len > 0U) {
        size_t n = chunk_len(gva, len);
        const void *src = guest_va_to_virt(gva, false);

        if (src == NULL) {
            return -EFAULT;
        }
        (void)memcpy(out, src, n);
        out += n;
        gva += n;
        len -= n;
    }
    return 0;
}

int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
    const uint8_t *in = src;

    while (len > 0U) {
        size_t n = chunk_len(gva, len);
        void *dst = guest_va_to_virt(gva, true);

        if (dst == NULL) {
            return -EFAULT;
        }
        (void)memcpy(dst, in, n);
        in += n;
        gva += n;
        len -= n;
    }
    return 0;
}

int guest_page_get(struct domain *d, gfn_t gfn, struct guest_page *gp)
{
    paddr_t ma;
    struct page_info *pg;

    gp->pg = NULL;
    gp->va = NULL;
    if ((gfn_x(gfn) >= (UINT64_MAX >> PAGE_SHIFT)) ||
        (arch_guest_ram_to_maddr(d, gfn_x(gfn) << PAGE_SHIFT, &ma) != 0)) {
        return -EINVAL;
    }
    pg = mfn_to_page(paddr_to_mfn(ma));
    if (pg == NULL) {
        return -EINVAL;
    }
    (void)__atomic_add_fetch(&pg->u.guest.pins, 1U, __ATOMIC_ACQ_REL);
    gp->pg = pg;
    gp->mfn = paddr_to_mfn(ma);
    gp->va = arch_maddr_to_virt(ma);
    return 0;
}

void guest_page_put(struct guest_page *gp)
{
    if (gp->pg != NULL) {
        (void)__atomic_sub_fetch(&gp->pg->u.guest.pins, 1U, __ATOMIC_ACQ_REL);
        gp->pg = NULL;
        gp->va = NULL;
    }
}

bool guest_page_pinned(const struct page_info *pg)
{
    return __atomic_load_n(&pg->u.guest.pins, __ATOMIC_ACQUIRE) != 0U;
}
