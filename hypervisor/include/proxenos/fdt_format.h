/* The flattened device tree's binary layout (devicetree specification,
 * chapter 5): facts shared by the reader (fdt.c) and the writer
 * (fdt_write.c). */
#ifndef PROXENOS_FDT_FORMAT_H
#define PROXENOS_FDT_FORMAT_H

/* Structure-block tokens. */
#define FDT_BEGIN_NODE 0x1U
#define FDT_END_NODE   0x2U
#define FDT_PROP       0x3U
#define FDT_NOP        0x4U
#define FDT_END        0x9U

/* Header fields: byte offsets of big-endian 32-bit words. */
#define FDT_HDR_MAGIC          0U
#define FDT_HDR_TOTALSIZE      4U
#define FDT_HDR_OFF_STRUCT     8U
#define FDT_HDR_OFF_STRINGS    12U
#define FDT_HDR_OFF_RSVMAP     16U
#define FDT_HDR_VERSION        20U
#define FDT_HDR_LAST_COMP      24U
#define FDT_HDR_BOOT_CPUID     28U
#define FDT_HDR_SIZE_STRINGS   32U
#define FDT_HDR_SIZE_STRUCT    36U
#define FDT_HDR_SIZE_V16       36U
#define FDT_HDR_SIZE_V17       40U

#define FDT_RSV_ENTRY_SIZE     16U   /* address, size: two 64-bit words */
#define FDT_PROP_HEADER_SIZE   12U   /* token, len, nameoff */

#endif
