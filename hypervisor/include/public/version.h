/* XENVER_* sub-operations of the xen_version hypercall, as Xen 4.17 defines
 * them for an arm64 guest (xen/include/public/version.h). Numbers, sizes and
 * layouts only. Self-contained: includes nothing but <stdint.h>. */
#ifndef PUBLIC_VERSION_H
#define PUBLIC_VERSION_H

#include <stdint.h>

/* Result: major << 16 | minor. No argument. */
#define XENVER_version 0

#define XENVER_extraversion 1
typedef char xen_extraversion_t[16];

#define XENVER_compile_info 2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;

#define XENVER_capabilities 3
typedef char xen_capabilities_info_t[1024];

#define XENVER_changeset 4
typedef char xen_changeset_info_t[64];

#define XENVER_platform_parameters 5
struct xen_platform_parameters {
    uint64_t virt_start;    /* xen_ulong_t: 64 bits on Arm */
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

#define XENVER_get_features 6
struct xen_feature_info {
    uint32_t submap_idx;    /* IN: which 32-bit word of feature bits */
    uint32_t submap;        /* OUT */
};
typedef struct xen_feature_info xen_feature_info_t;

/* Result: the page size; the argument must be NULL. */
#define XENVER_pagesize 7

/* The domain's 16-byte handle (UUID). */
#define XENVER_guest_handle 8
typedef uint8_t xen_domain_handle_t[16];

#define XENVER_commandline 9
typedef char xen_commandline_t[1024];

/* IN len, OUT the build id bytes in buf; result: their number. A NULL
 * argument asks only for the size. */
#define XENVER_build_id 10
struct xen_build_id {
    uint32_t len;
    unsigned char buf[];
};
typedef struct xen_build_id xen_build_id_t;

#endif
