/* Host implementation of the vGIC's hardware backend (see
 * vgic/vgic_internal.h): registers are plain variables. */
#include <string.h>

#include <asm/vgic.h>
#include "vgic_internal.h"
#include "fake_vgic_lr.h"

struct fake_vgic_hw fake_vgic;

void fake_vgic_reset(unsigned int nr_lrs)
{
    memset(&fake_vgic, 0, sizeof(fake_vgic));
    fake_vgic.nr_lrs = nr_lrs;
}

unsigned int vgic_lr_count(void)
{
    return fake_vgic.nr_lrs;
}

uint64_t vgic_lr_read(unsigned int n)
{
    return (n < fake_vgic.nr_lrs) ? fake_vgic.lr[n] : 0U;
}

void vgic_lr_write(unsigned int n, uint64_t lr)
{
    if (n < fake_vgic.nr_lrs) {
        fake_vgic.lr[n] = lr;
        fake_vgic.lr_writes++;
    }
}

void vgic_lr_write_hcr(uint64_t hcr)
{
    fake_vgic.hcr = hcr;
    fake_vgic.hcr_writes++;
}

void vgic_lr_save_ctx(struct vgic_hw_ctx *c)
{
    c->vmcr = fake_vgic.vmcr;
    memcpy(c->ap0r, fake_vgic.ap0r, sizeof(c->ap0r));
    memcpy(c->ap1r, fake_vgic.ap1r, sizeof(c->ap1r));
    fake_vgic.hcr = 0U;
}

void vgic_lr_restore_ctx(const struct vgic_hw_ctx *c)
{
    fake_vgic.vmcr = c->vmcr;
    memcpy(fake_vgic.ap0r, c->ap0r, sizeof(c->ap0r));
    memcpy(fake_vgic.ap1r, c->ap1r, sizeof(c->ap1r));
    fake_vgic.hcr = c->hcr;
}

void vgic_hw_cpu_init(void)
{
    if (fake_vgic.nr_lrs == 0U) {
        fake_vgic.nr_lrs = 4U;      /* what QEMU's GICv3 model has */
    }
}

static unsigned int state_of(uint64_t lr)
{
    return vgic_lr_state(lr);
}

unsigned int fake_guest_ack(void)
{
    int best = -1;

    for (unsigned int n = 0U; n < fake_vgic.nr_lrs; n++) {
        uint64_t lr = fake_vgic.lr[n];

        if (state_of(lr) != VGIC_LR_ST_PENDING) {
            continue;
        }
        if ((best < 0) || (((lr >> ICH_LR_PRIO_SHIFT) & 0xffU) <
                           ((fake_vgic.lr[best] >> ICH_LR_PRIO_SHIFT) & 0xffU))) {
            best = (int)n;
        }
    }
    if (best < 0) {
        return 1023U;
    }
    fake_vgic.lr[best] &= ~(3ULL << ICH_LR_STATE_SHIFT);
    fake_vgic.lr[best] |= (uint64_t)VGIC_LR_ST_ACTIVE << ICH_LR_STATE_SHIFT;
    return (unsigned int)(fake_vgic.lr[best] & ICH_LR_VINTID_MASK);
}

bool fake_guest_eoi(unsigned int intid)
{
    int n = fake_lr_find(intid);
    uint64_t lr;

    if ((n < 0) || ((state_of(fake_vgic.lr[n]) & VGIC_LR_ST_ACTIVE) == 0U)) {
        return false;
    }
    lr = fake_vgic.lr[n] & ~((uint64_t)VGIC_LR_ST_ACTIVE << ICH_LR_STATE_SHIFT);
    if ((state_of(lr) == 0U) && ((lr & ICH_LR_EOI) != 0U)) {
        fake_vgic.eoi_maint++;
    }
    fake_vgic.lr[n] = lr;
    return true;
}

int fake_lr_find(unsigned int intid)
{
    for (unsigned int n = 0U; n < fake_vgic.nr_lrs; n++) {
        if ((state_of(fake_vgic.lr[n]) != 0U) &&
            ((fake_vgic.lr[n] & ICH_LR_VINTID_MASK) == intid)) {
            return (int)n;
        }
    }
    return -1;
}

unsigned int fake_lr_state_of(unsigned int intid)
{
    int n = fake_lr_find(intid);

    return (n < 0) ? 0U : state_of(fake_vgic.lr[n]);
}

unsigned int fake_lr_valid(void)
{
    unsigned int count = 0U;

    for (unsigned int n = 0U; n < fake_vgic.nr_lrs; n++) {
        if (state_of(fake_vgic.lr[n]) != 0U) {
            count++;
        }
    }
    return count;
}
