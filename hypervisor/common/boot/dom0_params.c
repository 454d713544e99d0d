/* dom0's resources from the command line: dom0_mem= and dom0_max_vcpus=.
 * Xen on Arm takes one plain size and one integer (no x86 min:/max: forms). */
#include <proxenos/cmdline.h>
#include <proxenos/dom0_params.h>
#include <proxenos/errno.h>

#define DOM0_MEM_DEFAULT (512ULL << 20)   /* Xen 4.17's fallback on Arm */

static uint64_t dom0_mem;
static bool dom0_mem_given;
static unsigned int dom0_max_vcpus;
PARAM_UINT("dom0_max_vcpus", dom0_max_vcpus);
static bool dom0_vcpus_pin;
PARAM_BOOL("dom0_vcpus_pin", dom0_vcpus_pin);
/* Not a Xen 4.17 option: dom0's stage-2 pool in MiB (0: Xen's formula). */
static unsigned int dom0_p2m_mem_mb;
PARAM_UINT("dom0_p2m_mem_mb", dom0_p2m_mem_mb);

static int parse_dom0_mem(const char *s)
{
    const char *end;
    uint64_t v;
    int rc = cmdline_parse_size(s, &end, &v);

    if ((rc != 0) || (*end != '\0') || (v == 0U)) {
        return -EINVAL;
    }
    dom0_mem = v;
    dom0_mem_given = true;
    return 0;
}
PARAM_CUSTOM("dom0_mem", parse_dom0_mem);

uint64_t dom0_mem_bytes(bool *given)
{
    if (given != NULL) {
        *given = dom0_mem_given;
    }
    return dom0_mem_given ? dom0_mem : DOM0_MEM_DEFAULT;
}

unsigned int dom0_vcpus(unsigned int nr_pcpus)
{
    return (dom0_max_vcpus != 0U) ? dom0_max_vcpus : nr_pcpus;
}

bool dom0_pin_vcpus(void)
{
    return dom0_vcpus_pin;
}

uint64_t dom0_p2m_pool_pages(uint64_t default_pages)
{
    return (dom0_p2m_mem_mb != 0U) ? ((uint64_t)dom0_p2m_mem_mb << (20U - PAGE_SHIFT)) :
           default_pages;
}
