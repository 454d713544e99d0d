/* HVM_PARAM_* indexes an Arm guest uses and the encoding of
 * HVM_PARAM_CALLBACK_IRQ (Xen 4.17, xen/include/public/hvm/params.h). */
#ifndef PUBLIC_HVM_PARAMS_H
#define PUBLIC_HVM_PARAMS_H

#define HVM_PARAM_CALLBACK_IRQ 0
/* Bits 63:56: how the event-channel upcall is delivered. */
#define HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT 56
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK  0xFF00000000000000ULL
#define HVM_PARAM_CALLBACK_TYPE_GSI       0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX  1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR    2   /* x86 */
#define HVM_PARAM_CALLBACK_TYPE_PPI       2   /* Arm: bits 7:0 the PPI */
/* For the PPI type, bits 15:8 are flags. */
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_SHIFT     8
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_MASK      0xFF00U
#define HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL 2

#define HVM_PARAM_STORE_PFN         1
#define HVM_PARAM_STORE_EVTCHN      2
#define HVM_PARAM_CONSOLE_PFN       17
#define HVM_PARAM_CONSOLE_EVTCHN    18
#define HVM_PARAM_MONITOR_RING_PFN  28

#define HVM_NR_PARAMS 39

#endif
