/* Runstate areas: the guest reads how long each vCPU ran, waited and slept
 * (Linux uses it for steal time). Written when a vCPU registers the area
 * and every time the vCPU is switched in. */
#include <proxenos/runstate.h>
#include <proxenos/guest_access.h>
#include <proxenos/timer.h>

_Static_assert(sizeof(struct vcpu_runstate_info) == 48U, "runstate info is 48 bytes");

/* The scheduler's states in Xen's numbering. */
static uint32_t xen_state(enum vcpu_state s)
{
    switch (s) {
    case VCPU_RUNNING: return RUNSTATE_running;
    case VCPU_RUNNABLE: return RUNSTATE_runnable;
    case VCPU_BLOCKED: return RUNSTATE_blocked;
    default: return RUNSTATE_offline;
    }
}

void vcpu_runstate_get(const struct vcpu *v, bool add_current, struct vcpu_runstate_info *out)
{
    static const enum vcpu_state ours[4] = {
        [RUNSTATE_running] = VCPU_RUNNING,
        [RUNSTATE_runnable] = VCPU_RUNNABLE,
        [RUNSTATE_blocked] = VCPU_BLOCKED,
        [RUNSTATE_offline] = VCPU_OFFLINE,
    };
    uint32_t st = xen_state(v->state);

    out->state = (int32_t)st;
    out->pad = 0U;
    out->state_entry_time = (uint64_t)v->state_entry_time;
    for (unsigned int i = 0U; i < 4U; i++) {
        out->time[i] = v->runstate_time[ours[i]];
    }
    if (add_current) {
        s_time_t now = NOW();

        if (now > v->state_entry_time) {
            out->time[st] += (uint64_t)(now - v->state_entry_time);
        }
    }
}

void vcpu_runstate_update(struct vcpu *v)
{
    struct vcpu_runstate_info r;
    uint64_t gva = v->runstate_gva;
    uint64_t entry_gva = gva + offsetof(struct vcpu_runstate_info, state_entry_time);
    bool flag = (v->domain->vm_assist & (1ULL << VMASST_TYPE_runstate_update_flag)) != 0U;
    uint64_t t;

    if (gva == 0U) {
        return;
    }
    vcpu_runstate_get(v, false, &r);
    /* A guest that asked for the update flag sees it set while the area
     * is inconsistent, and retries its read. Faults are the guest's
     * problem, as in Xen: the area simply is not updated. */
    if (flag) {
        t = r.state_entry_time | XEN_RUNSTATE_UPDATE;
        (void)copy_to_guest(entry_gva, &t, sizeof(t));
        __atomic_thread_fence(__ATOMIC_RELEASE);
        r.state_entry_time = t;
    }
    (void)copy_to_guest(gva, &r, sizeof(r));
    if (flag) {
        t = r.state_entry_time & ~XEN_RUNSTATE_UPDATE;
        __atomic_thread_fence(__ATOMIC_RELEASE);
        (void)copy_to_guest(entry_gva, &t, sizeof(t));
    }
}
