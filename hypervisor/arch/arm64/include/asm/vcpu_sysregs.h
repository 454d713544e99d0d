#ifndef ASM_VCPU_SYSREGS_H
#define ASM_VCPU_SYSREGS_H

#include <asm/domain.h>

void vcpu_sysregs_reset(struct vcpu_sysregs *s, uint64_t vmpidr);
void vcpu_sysregs_save(struct vcpu_sysregs *s);
void vcpu_sysregs_restore(const struct vcpu_sysregs *s);

void fpsimd_save(struct vcpu_fpregs *fp);
void fpsimd_restore(const struct vcpu_fpregs *fp);

#endif
