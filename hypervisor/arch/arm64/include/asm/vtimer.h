#ifndef ASM_VTIMER_H
#define ASM_VTIMER_H

#include <proxenos/domain.h>

#define VTIMER_PPI 27U

void vtimer_vcpu_init(struct vcpu *v);
void vtimer_vcpu_destroy(struct vcpu *v);
/* v moved to v->processor: its software timer fires there from now on. */
void vtimer_vcpu_moved(struct vcpu *v);
void vtimer_cpu_init(void);
/* On each guest exit, before the vGIC syncs: lower PPI 27 once the guest
 * has re-armed or stopped its timer. */
void vtimer_sync(struct vcpu *v);
void vtimer_save(struct vcpu *v);
void vtimer_restore(struct vcpu *v);

#endif
