#include "hypercall.h"

#include <stddef.h>

#include "test.h"

long xen_hypercall5(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x4 __asm__("x4") = a4;
    register uint64_t x16 __asm__("x16") = nr;

    /* every argument register may come back changed (debug builds poison them) */
    __asm__ volatile(XEN_HVC_INSN
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x16)
                     :
                     : "memory");
    return (long)x0;
}

long xen_map_shared_info(uint64_t gfn)
{
    struct xen_add_to_physmap x = { XEN_DOMID_SELF, 0U, XENMAPSPACE_shared_info, 0U, gfn };

    return hyp_memory_op(XENMEM_add_to_physmap, &x);
}

long xen_get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param hp = { .domid = XEN_DOMID_SELF, .index = index };
    long rc = hyp_hvm_op(HVMOP_get_param, &hp);

    *value = hp.value;
    return rc;
}

const char *xen_errno_name(long rc)
{
    static const struct {
        long err;
        const char *name;
    } names[] = {
        { XEN_EPERM, "-EPERM" }, { XEN_ENOENT, "-ENOENT" }, { XEN_ESRCH, "-ESRCH" },
        { XEN_ENXIO, "-ENXIO" }, { XEN_EBADF, "-EBADF" }, { XEN_EAGAIN, "-EAGAIN" }, { XEN_ENOMEM, "-ENOMEM" },
        { XEN_EACCES, "-EACCES" }, { XEN_EFAULT, "-EFAULT" }, { XEN_EBUSY, "-EBUSY" },
        { XEN_EEXIST, "-EEXIST" }, { XEN_ENODEV, "-ENODEV" }, { XEN_EINVAL, "-EINVAL" },
        { XEN_ENOSPC, "-ENOSPC" }, { XEN_ERANGE, "-ERANGE" }, { XEN_ENOSYS, "-ENOSYS" },
        { XEN_EOPNOTSUPP, "-EOPNOTSUPP" }, { XEN_E2BIG, "-E2BIG" }, { XEN_ENODATA, "-ENODATA" },
    };
    size_t i;

    if (rc == 0) {
        return "0";
    }
    for (i = 0U; i < (sizeof(names) / sizeof(names[0])); i++) {
        if (rc == -names[i].err) {
            return names[i].name;
        }
    }
    return (rc > 0) ? "positive" : "-E?";
}

bool xen_expect(const char *name, long got, long want)
{
    return test_check(name, got == want, "got %ld (%s), want %ld (%s)",
                      got, xen_errno_name(got), want, xen_errno_name(want));
}
