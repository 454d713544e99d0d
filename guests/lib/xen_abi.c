/*
 * The public headers' layouts as the guests' compiler lays them out: the
 * sizes and offsets an arm64 guest of Xen 4.17 must see. A guest-only build
 * flag (such as -mstrict-align) that changed one would fail here, not in a
 * hypercall. Nothing to link: assertions only.
 */
#include <stddef.h>

#include "evtchn.h"
#include "gnttab.h"
#include "hypercall.h"

_Static_assert(sizeof(struct vcpu_info) == 48U, "Arm vcpu_info");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 48U, "shared_info bitmaps");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16U, "register_vcpu_info");
_Static_assert(sizeof(struct vcpu_runstate_info) == 48U, "vcpu_runstate_info");
_Static_assert(sizeof(struct xen_memory_reservation) == 32U, "memory_reservation");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24U, "memory_reservation domid");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24U, "add_to_physmap");
_Static_assert(sizeof(struct xen_hvm_param) == 16U, "hvm_param");
_Static_assert(sizeof(struct sched_poll) == 24U, "sched_poll");
_Static_assert(sizeof(struct xen_platform_op) == 136U, "platform_op");
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8U, "alloc_unbound");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12U, "bind_interdomain");
_Static_assert(sizeof(struct evtchn_status) == 24U, "evtchn_status");
_Static_assert(sizeof(struct evtchn_init_control) == 24U, "init_control");
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72U, "FIFO control block");
_Static_assert(sizeof(struct grant_entry_v1) == 8U, "grant_entry_v1");
_Static_assert(sizeof(struct gnttab_setup_table) == 24U, "setup_table");
_Static_assert(sizeof(struct gnttab_query_size) == 16U, "query_size");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32U, "map_grant_ref");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24U, "unmap_grant_ref");
_Static_assert(sizeof(struct gnttab_copy) == 40U, "gnttab_copy");
_Static_assert(offsetof(struct gnttab_copy, len) == 32U, "gnttab_copy len");
