/* The hvm_op hypercall as Xen 4.17 on Arm answers it
 * (xen/include/public/hvm/hvm_op.h). */
#ifndef PUBLIC_HVM_OP_H
#define PUBLIC_HVM_OP_H

#include <stdint.h>

#define HVMOP_set_param              0
#define HVMOP_get_param              1
#define HVMOP_guest_request_vm_event 24

struct xen_hvm_param {
    uint16_t domid;         /* IN (DOMID_SELF allowed) */
    uint16_t pad;
    uint32_t index;         /* IN: HVM_PARAM_* */
    uint64_t value;         /* IN (set) / OUT (get) */
};

#endif
