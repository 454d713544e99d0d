/* physdev_op command numbers (Xen 4.17, xen/include/public/physdev.h). Xen
 * 4.17 on Arm is built without PCI support and answers every one of them
 * with -ENOSYS; the numbers are here for guests and tests that try them
 * (Linux's dom0 issues PHYSDEVOP_pci_device_add for each PCI device). */
#ifndef PUBLIC_PHYSDEV_H
#define PUBLIC_PHYSDEV_H

#define PHYSDEVOP_irq_status_query   5
#define PHYSDEVOP_set_iopl           6
#define PHYSDEVOP_set_iobitmap       7
#define PHYSDEVOP_apic_read          8
#define PHYSDEVOP_apic_write         9
#define PHYSDEVOP_alloc_irq_vector   10
#define PHYSDEVOP_free_irq_vector    11
#define PHYSDEVOP_eoi                12
#define PHYSDEVOP_map_pirq           13
#define PHYSDEVOP_unmap_pirq         14
#define PHYSDEVOP_manage_pci_add     15
#define PHYSDEVOP_manage_pci_remove  16
#define PHYSDEVOP_pirq_eoi_gmfn_v1   17
#define PHYSDEVOP_restore_msi        19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_setup_gsi          21
#define PHYSDEVOP_get_free_pirq      23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add     25
#define PHYSDEVOP_pci_device_remove  26
#define PHYSDEVOP_restore_msi_ext    27
#define PHYSDEVOP_pirq_eoi_gmfn_v2   28
#define PHYSDEVOP_dbgp_op            29
#define PHYSDEVOP_prepare_msix       30
#define PHYSDEVOP_release_msix       31

#endif
