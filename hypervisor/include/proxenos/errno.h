/* Hypervisor error codes: Xen's public numbers (include/public/errno.h),
 * returned negated, so that a guest-visible error needs no translation. */
#ifndef PROXENOS_ERRNO_H
#define PROXENOS_ERRNO_H

#include <public/errno.h>

#define EPERM     XEN_EPERM
#define ENOENT    XEN_ENOENT
#define ESRCH     XEN_ESRCH
#define EINTR     XEN_EINTR
#define EIO       XEN_EIO
#define ENXIO     XEN_ENXIO
#define E2BIG     XEN_E2BIG
#define ENOEXEC   XEN_ENOEXEC
#define EBADF     XEN_EBADF
#define EAGAIN    XEN_EAGAIN
#define ENOMEM    XEN_ENOMEM
#define EACCES    XEN_EACCES
#define EFAULT    XEN_EFAULT
#define EBUSY     XEN_EBUSY
#define EEXIST    XEN_EEXIST
#define EXDEV     XEN_EXDEV
#define ENODEV    XEN_ENODEV
#define EINVAL    XEN_EINVAL
#define ENFILE    XEN_ENFILE
#define EMFILE    XEN_EMFILE
#define ENOSPC    XEN_ENOSPC
#define EROFS     XEN_EROFS
#define EMLINK    XEN_EMLINK
#define EDOM      XEN_EDOM
#define ERANGE    XEN_ERANGE
#define EDEADLK   XEN_EDEADLK
#define ENAMETOOLONG XEN_ENAMETOOLONG
#define ENOLCK    XEN_ENOLCK
#define ENOSYS    XEN_ENOSYS
#define ENOTEMPTY XEN_ENOTEMPTY
#define ENODATA   XEN_ENODATA
#define ETIME     XEN_ETIME
#define EBADMSG   XEN_EBADMSG
#define EOVERFLOW XEN_EOVERFLOW
#define EILSEQ    XEN_EILSEQ
#define ERESTART  XEN_ERESTART
#define ENOTSOCK  XEN_ENOTSOCK
#define EOPNOTSUPP XEN_EOPNOTSUPP
#define EADDRINUSE XEN_EADDRINUSE
#define EADDRNOTAVAIL XEN_EADDRNOTAVAIL
#define ENOBUFS   XEN_ENOBUFS
#define EISCONN   XEN_EISCONN
#define ENOTCONN  XEN_ENOTCONN
#define ETIMEDOUT XEN_ETIMEDOUT

#endif
