/* The xen_version hypercall: which Xen the guest talks to and which of its
 * features it may use. A guest sees Xen 4.17: the same sub-ops, feature
 * bits and permission rules (Xen's default XSM policy); what differs by
 * architecture comes from the arch_xen_* hooks. */
#include <proxenos/arch/xen_version.h>
#include <proxenos/hypercall.h>
#include <proxenos/xen_version.h>
#include <proxenos/domain.h>
#include <proxenos/build_id.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/string.h>
#include <proxenos/version.h>
#include <public/features.h>
#include <public/version.h>

#define DENIED "<denied>"

#ifdef __GNUC__
#define COMPILER_NAME "gcc " __VERSION__
#else
#define COMPILER_NAME "unknown"
#endif

static char saved_cmdline[sizeof(xen_commandline_t)];

void xen_version_set_cmdline(const char *line)
{
    size_t n = (line != NULL) ? strnlen(line, sizeof(saved_cmdline) - 1U) : 0U;

    (void)memset(saved_cmdline, 0, sizeof(saved_cmdline));
    if (n > 0U) {
        (void)memcpy(saved_cmdline, line, n);
    }
}

/* Copy s into the zeroed buffer dst of size n, cut to fit with its NUL. */
static void put_str(char *dst, size_t n, const char *s)
{
    size_t len = strnlen(s, n - 1U);

    (void)memset(dst, 0, n);
    (void)memcpy(dst, s, len);
}

/* Xen's default policy: version, platform_parameters and get_features
 * answer everyone; extraversion, compile_info, capabilities, changeset,
 * pagesize and guest_handle answer everyone too; anything else (the
 * command line, the build id) only the privileged domain. Others get the
 * sub-op's "denied" answer. */
static bool denied(const struct domain *d, uint32_t cmd)
{
    switch (cmd) {
    case XENVER_version:
    case XENVER_platform_parameters:
    case XENVER_get_features:
    case XENVER_extraversion:
    case XENVER_compile_info:
    case XENVER_capabilities:
    case XENVER_changeset:
    case XENVER_pagesize:
    case XENVER_guest_handle:
        return false;
    default:
        return !d->is_privileged;
    }
}

static long put_string_op(uint64_t arg, size_t size, const char *value, bool deny)
{
    char buf[sizeof(xen_capabilities_info_t)];

    put_str(buf, size, deny ? DENIED : value);
    return (copy_to_guest(arg, buf, size) != 0) ? -EFAULT : 0;
}

static long compile_info(uint64_t arg, bool deny)
{
    xen_compile_info_t info;

    put_str(info.compiler, sizeof(info.compiler), deny ? DENIED : COMPILER_NAME);
    put_str(info.compile_by, sizeof(info.compile_by), deny ? DENIED : "proxenos");
    put_str(info.compile_domain, sizeof(info.compile_domain), deny ? DENIED : "");
    put_str(info.compile_date, sizeof(info.compile_date),
            deny ? DENIED : (__DATE__ " " __TIME__));
    return (copy_to_guest(arg, &info, sizeof(info)) != 0) ? -EFAULT : 0;
}

/* Feature bits of submap 0 as Xen 4.17 sets them on Arm: every guest is
 * auto-translated with writable page tables and has a vNUMA-aware
 * memory_op, plus what its architecture adds (arm64: SMCCC); dom0 also
 * gets XENFEAT_dom0; a domain whose RAM is mapped 1:1 is told so (Linux
 * then needs no bounce buffers for DMA). */
static uint32_t features(const struct domain *d)
{
    uint32_t f = (1U << XENFEAT_memory_op_vnode_supported) |
                 (1U << XENFEAT_writable_page_tables) |
                 (1U << XENFEAT_auto_translated_physmap) |
                 arch_xen_features();

    if (d->is_privileged) {
        f |= 1U << XENFEAT_dom0;
    }
    if (d->direct_map) {
        f |= 1U << XENFEAT_direct_mapped;
    } else {
        f |= 1U << XENFEAT_not_direct_mapped;
    }
    return f;
}

static long get_features(const struct domain *d, uint64_t arg)
{
    xen_feature_info_t fi;

    if (copy_from_guest(&fi, arg, sizeof(fi)) != 0) {
        return -EFAULT;
    }
    if (fi.submap_idx != 0U) {
        return -EINVAL;
    }
    fi.submap = features(d);
    return (copy_to_guest(arg, &fi, sizeof(fi)) != 0) ? -EFAULT : 0;
}

static long platform_parameters(uint64_t arg)
{
    xen_platform_parameters_t p = { .virt_start = arch_xen_virt_start() };

    return (copy_to_guest(arg, &p, sizeof(p)) != 0) ? -EFAULT : 0;
}

static long guest_handle(const struct domain *d, uint64_t arg)
{
    /* The handle the toolstack gave the domain (XEN_DOMCTL_setdomainhandle);
     * zero for boot-time domains until then, as on Xen. */
    _Static_assert(sizeof(d->handle) == sizeof(xen_domain_handle_t), "handle size");

    return (copy_to_guest(arg, d->handle, sizeof(d->handle)) != 0) ? -EFAULT : 0;
}

static long commandline(uint64_t arg, bool deny)
{
    if (deny) {
        return (copy_to_guest(arg, DENIED, sizeof(DENIED)) != 0) ? -EFAULT : 0;
    }
    return (copy_to_guest(arg, saved_cmdline, sizeof(saved_cmdline)) != 0) ? -EFAULT : 0;
}

/* The image's build id (Xen's rules): the number of its bytes for a NULL
 * argument, else copied after the argument's len once len holds them. */
static long build_id(uint64_t arg, bool deny)
{
    xen_build_id_t b = { 0 };
    const uint8_t *id = NULL;
    uint32_t len = 0U;
    int rc;

    if (deny) {
        return -EPERM;
    }
    if (arg != 0U) {
        if (copy_from_guest(&b, arg, sizeof(b)) != 0) {
            return -EFAULT;
        }
        if (b.len == 0U) {
            return -EINVAL;
        }
    }
    rc = build_id_get(&id, &len);
    if (rc != 0) {
        return rc;
    }
    if (arg == 0U) {
        return (long)len;
    }
    if (len > b.len) {
        return -ENOBUFS;
    }
    if (copy_to_guest(arg + offsetof(xen_build_id_t, buf), id, len) != 0) {
        return -EFAULT;
    }
    return (long)len;
}

long do_xen_version(struct hcall_args *args)
{
    const struct vcpu *v;
    /* Xen takes the command as an int: only the low 32 bits count. */
    uint32_t cmd = (uint32_t)args->a[0];
    uint64_t arg = args->a[1];
    bool deny;

    /* The query guests make most, and the one that needs nothing looked up. */
    if (cmd == XENVER_version) {
        return (long)(((uint32_t)XEN_COMPAT_MAJOR << 16) | (uint32_t)XEN_COMPAT_MINOR);
    }
    v = current_vcpu();
    if (v == NULL) {
        return -ESRCH;
    }
    deny = denied(v->domain, cmd);
    switch (cmd) {
    case XENVER_extraversion:
        return put_string_op(arg, sizeof(xen_extraversion_t), ".0", deny);
    case XENVER_compile_info:
        return compile_info(arg, deny);
    case XENVER_capabilities:
        return put_string_op(arg, sizeof(xen_capabilities_info_t), arch_xen_capabilities(),
                             deny);
    case XENVER_changeset:
        return put_string_op(arg, sizeof(xen_changeset_info_t), "proxenos-" PROXENOS_VERSION,
                             deny);
    case XENVER_platform_parameters:
        return platform_parameters(arg);
    case XENVER_get_features:
        return get_features(v->domain, arg);
    case XENVER_pagesize:
        return (arg != 0U) ? -EINVAL : (long)PAGE_SIZE;
    case XENVER_guest_handle:
        return guest_handle(v->domain, arg);
    case XENVER_commandline:
        return commandline(arg, deny);
    case XENVER_build_id:
        return build_id(arg, deny);
    default:
        return -ENOSYS;
    }
}
