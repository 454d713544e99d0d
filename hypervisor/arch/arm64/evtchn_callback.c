/* HVM_PARAM_CALLBACK_IRQ as Xen on Arm's dom0 builder sets it: the upcall
 * is a PPI, active-low level triggered, whose INTID is in the low byte.
 * Toolstacks and kernels read it to learn how events arrive. */
#include <proxenos/arch/evtchn.h>
#include <public/hvm_params.h>

uint64_t arch_evtchn_callback_via(unsigned int irq)
{
    return ((uint64_t)HVM_PARAM_CALLBACK_TYPE_PPI << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) |
           ((uint64_t)HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL <<
            HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_SHIFT) |
           (uint64_t)(irq & 0xffU);
}
