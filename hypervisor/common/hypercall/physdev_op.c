/* The physdev_op hypercall. Xen 4.17 on Arm is built without PCI support,
 * so every command, PHYSDEVOP_pci_device_add from a Linux dom0 included,
 * answers -ENOSYS there; so it does here. */
#include <proxenos/hypercall.h>
#include <proxenos/errno.h>

long do_physdev_op(struct hcall_args *args)
{
    (void)args;
    return -ENOSYS;
}
