/* A stand-in for the ICH_* hardware (vgic_lr.c) in host tests of the
 * vGIC, with a small model of the guest's side of the virtual CPU
 * interface: acknowledge the best pending list register, deactivate an
 * active one. */
#ifndef FAKE_VGIC_LR_H
#define FAKE_VGIC_LR_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_VGIC_MAX_LRS 16U

struct fake_vgic_hw {
    unsigned int nr_lrs;
    uint64_t lr[FAKE_VGIC_MAX_LRS];
    uint64_t hcr;
    uint64_t vmcr;
    uint32_t ap0r[4];
    uint32_t ap1r[4];
    unsigned int lr_writes;
    unsigned int hcr_writes;
    unsigned int eoi_maint;     /* LRs with the EOI bit the guest emptied */
};

extern struct fake_vgic_hw fake_vgic;

/* Forget everything; nr_lrs list registers (1..16). */
void fake_vgic_reset(unsigned int nr_lrs);

/* The guest acknowledges its highest-priority pending interrupt (reads
 * ICV_IAR1_EL1): pending -> active. Returns the INTID, 1023 if none. */
unsigned int fake_guest_ack(void);
/* The guest deactivates intid (ICV_EOIR1_EL1 with EOImode 0): active ->
 * invalid, active+pending -> pending. False if no LR holds it active. */
bool fake_guest_eoi(unsigned int intid);
/* The LR holding intid, -1 if none; and its state bits (0 if none). */
int fake_lr_find(unsigned int intid);
unsigned int fake_lr_state_of(unsigned int intid);
/* How many LRs are valid (state != 0). */
unsigned int fake_lr_valid(void);

#endif
