/* The vcpu_op and vm_assist hypercalls as Xen 4.17 on Arm answers them.
 *
 * Arm Xen accepts only two vCPU operations, registering a vcpu_info page
 * and a runstate area; every other command (up, down, is_up, timers,
 * initialise, ...) gets -EINVAL there, because Arm guests bring vCPUs up
 * with PSCI and take their timer from the architecture. Proxenos does the
 * same. */
#include <proxenos/domain.h>
#include <proxenos/domain_pv.h>
#include <proxenos/errno.h>
#include <proxenos/hypercall.h>
#include <proxenos/nospec.h>
#include <proxenos/runstate.h>
#include <proxenos/spinlock.h>
#include <proxenos/string.h>
#include <public/vcpu.h>

static long register_vcpu_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info info;
    struct domain *d = v->domain;
    struct guest_page gp;
    struct vcpu_info *vi;
    unsigned long flags;
    long rc = 0;

    if (copy_from_guest(&info, arg, sizeof(info)) != 0) {
        return -EFAULT;
    }
    /* Xen's checks, in its order: the slot must fit in the page and be
     * aligned for the structure; one registration per vCPU; only the vCPU
     * itself, or a vCPU that is still down, may be set up. */
    if ((info.offset > (PAGE_SIZE - sizeof(struct vcpu_info))) ||
        ((info.offset & (_Alignof(struct vcpu_info) - 1U)) != 0U)) {
        return -ENXIO;
    }
    flags = spin_lock_irqsave(&d->lock);
    if (v->vcpu_info_page.pg != NULL) {
        rc = -EINVAL;
    } else if ((v != current_vcpu()) && (v->state != VCPU_OFFLINE)) {
        rc = -EINVAL;
    } else if (guest_page_get(d, gfn(info.mfn), &gp) != 0) {
        rc = -EINVAL;
    } else {
        vi = (struct vcpu_info *)((uint8_t *)gp.va + info.offset);
        if (v->vcpu_info == &v->vcpu_info_dummy) {
            (void)memset(vi, 0, sizeof(*vi));
        } else {
            (void)memcpy(vi, v->vcpu_info, sizeof(*vi));
        }
        v->vcpu_info_page = gp;
        vcpu_set_vcpu_info(v, vi);
    }
    spin_unlock_irqrestore(&d->lock, flags);
    if (rc == 0) {
        /* The guest may have missed events while the slot moved: say
         * every word may hold one. A spurious upcall is harmless. */
        __atomic_thread_fence(__ATOMIC_RELEASE);
        __atomic_store_n(&v->vcpu_info->evtchn_pending_sel, ~(xen_ulong_t)0U, __ATOMIC_RELEASE);
        vcpu_mark_events_pending(v);
    }
    return rc;
}

static long register_runstate(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_runstate_memory_area area;
    struct vcpu_runstate_info r;

    if (copy_from_guest(&area, arg, sizeof(area)) != 0) {
        return -EFAULT;
    }
    v->runstate_gva = area.addr;
    if (area.addr != 0U) {
        /* First contents now; a fault only means the guest reads junk. */
        vcpu_runstate_get(v, v != current_vcpu(), &r);
        (void)copy_to_guest(area.addr, &r, sizeof(r));
    }
    return 0;
}

long do_vcpu_op(struct hcall_args *args)
{
    struct vcpu *cur = current_vcpu();
    /* Xen takes (int cmd, unsigned int vcpuid): the low 32 bits count. */
    uint32_t cmd = (uint32_t)args->a[0];
    uint32_t id = (uint32_t)args->a[1];
    struct domain *d;
    struct vcpu *v;

    if (cur == NULL) {
        return -ESRCH;
    }
    d = cur->domain;
    if (id >= d->max_vcpus) {
        return -ENOENT;
    }
    v = d->vcpu[array_index_nospec(id, d->max_vcpus)];
    if (v == NULL) {
        return -ENOENT;
    }
    switch (cmd) {
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, args->a[2]);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate(v, args->a[2]);
    default:
        return -EINVAL;
    }
}

long do_vm_assist(struct hcall_args *args)
{
    struct vcpu *cur = current_vcpu();
    uint32_t cmd = (uint32_t)args->a[0];
    uint32_t type = (uint32_t)args->a[1];
    uint64_t bit;

    if (cur == NULL) {
        return -ESRCH;
    }
    if ((type >= 64U) || (((1ULL << type) & VMASST_ARM_VALID) == 0U)) {
        return -EINVAL;
    }
    bit = 1ULL << type;
    switch (cmd) {
    case VMASST_CMD_enable:
        (void)__atomic_fetch_or(&cur->domain->vm_assist, bit, __ATOMIC_ACQ_REL);
        return 0;
    case VMASST_CMD_disable:
        (void)__atomic_fetch_and(&cur->domain->vm_assist, ~bit, __ATOMIC_ACQ_REL);
        return 0;
    default:
        return -ENOSYS;
    }
}
