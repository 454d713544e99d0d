/* The vcpu_op hypercall (Xen 4.17, xen/include/public/vcpu.h): command
 * numbers and the layouts an arm64 guest passes. Xen on Arm accepts only
 * register_vcpu_info and register_runstate_memory_area; the other numbers
 * are listed because guests issue them and get -EINVAL. */
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

#include <stdint.h>

#define VCPUOP_initialise                     0
#define VCPUOP_up                             1
#define VCPUOP_down                           2
#define VCPUOP_is_up                          3
#define VCPUOP_get_runstate_info              4
#define VCPUOP_register_runstate_memory_area  5
#define VCPUOP_set_periodic_timer             6
#define VCPUOP_stop_periodic_timer            7
#define VCPUOP_set_singleshot_timer           8
#define VCPUOP_stop_singleshot_timer          9
#define VCPUOP_register_vcpu_info             10
#define VCPUOP_send_nmi                       11
#define VCPUOP_get_physid                     12
#define VCPUOP_register_vcpu_time_memory_area 13

/* Time (ns) a vCPU spent in each RUNSTATE_*, and when it entered the
 * current one. 48 bytes. */
struct vcpu_runstate_info {
    int32_t state;
    uint32_t pad;
    uint64_t state_entry_time;
    uint64_t time[4];
};

/* Set in state_entry_time while the hypervisor rewrites the area (with
 * VMASST_TYPE_runstate_update_flag enabled). */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

struct vcpu_register_runstate_memory_area {
    uint64_t addr;          /* guest virtual address of the area; 0: none */
};

struct vcpu_register_vcpu_info {
    uint64_t mfn;           /* guest frame of the page */
    uint32_t offset;        /* byte offset of vcpu_info in it */
    uint32_t rsvd;
};

#endif
