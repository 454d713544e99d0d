/* What the xen_version hypercall reports that only boot code knows. */
#ifndef PROXENOS_XEN_VERSION_H
#define PROXENOS_XEN_VERSION_H

/* Keep a copy of the hypervisor command line for XENVER_commandline (the
 * boot code calls this once, after parsing it; NULL: none). Lines longer
 * than 1023 bytes are cut, as in Xen. */
void xen_version_set_cmdline(const char *line);

#endif
