#ifndef PROXENOS_VERSION_H
#define PROXENOS_VERSION_H

#define PROXENOS_VERSION "0.1"
/* The Xen release whose interfaces Proxenos implements. */
#define XEN_COMPAT_MAJOR 4
#define XEN_COMPAT_MINOR 17

#endif
