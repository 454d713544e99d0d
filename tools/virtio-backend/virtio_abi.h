/* Numbers of the VirtIO 1.2 specification used by the back end: the
 * virtio-mmio registers (version 2), the split ring, virtio-blk and
 * virtio-net. Written from the specification's text; the guest side is
 * Linux's virtio_mmio, virtio_blk and virtio_net. */
#ifndef VBE_VIRTIO_ABI_H
#define VBE_VIRTIO_ABI_H

/* virtio-mmio register offsets (4.2.2). */
#define VMMIO_MAGIC              0x000
#define VMMIO_VERSION            0x004
#define VMMIO_DEVICE_ID          0x008
#define VMMIO_VENDOR_ID          0x00c
#define VMMIO_DEVICE_FEATURES    0x010
#define VMMIO_DEVICE_FEATURES_SEL 0x014
#define VMMIO_DRIVER_FEATURES    0x020
#define VMMIO_DRIVER_FEATURES_SEL 0x024
#define VMMIO_QUEUE_SEL          0x030
#define VMMIO_QUEUE_NUM_MAX      0x034
#define VMMIO_QUEUE_NUM          0x038
#define VMMIO_QUEUE_READY        0x044
#define VMMIO_QUEUE_NOTIFY       0x050
#define VMMIO_INTERRUPT_STATUS   0x060
#define VMMIO_INTERRUPT_ACK      0x064
#define VMMIO_STATUS             0x070
#define VMMIO_QUEUE_DESC_LOW     0x080
#define VMMIO_QUEUE_DESC_HIGH    0x084
#define VMMIO_QUEUE_DRIVER_LOW   0x090
#define VMMIO_QUEUE_DRIVER_HIGH  0x094
#define VMMIO_QUEUE_DEVICE_LOW   0x0a0
#define VMMIO_QUEUE_DEVICE_HIGH  0x0a4
#define VMMIO_SHM_SEL            0x0ac
#define VMMIO_SHM_LEN_LOW        0x0b0
#define VMMIO_SHM_LEN_HIGH       0x0b4
#define VMMIO_SHM_BASE_LOW       0x0b8
#define VMMIO_SHM_BASE_HIGH      0x0bc
#define VMMIO_QUEUE_RESET        0x0c0
#define VMMIO_CONFIG_GENERATION  0x0fc
#define VMMIO_CONFIG             0x100
/* libxl gives each device a window of this size (VIRTIO_MMIO_DEV_SIZE). */
#define VMMIO_WINDOW             0x200

#define VMMIO_MAGIC_VALUE        0x74726976u /* "virt" */

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE   1u
#define VIRTIO_STATUS_DRIVER        2u
#define VIRTIO_STATUS_DRIVER_OK     4u
#define VIRTIO_STATUS_FEATURES_OK   8u
#define VIRTIO_STATUS_NEEDS_RESET   64u
#define VIRTIO_STATUS_FAILED        128u

/* InterruptStatus bits. */
#define VMMIO_INT_VRING          1u
#define VMMIO_INT_CONFIG         2u

/* Device-independent feature bits (6). */
#define VIRTIO_F_INDIRECT_DESC   28
#define VIRTIO_F_EVENT_IDX       29
#define VIRTIO_F_VERSION_1       32
#define VIRTIO_F_ACCESS_PLATFORM 33

/* Split virtqueue (2.7). */
#define VIRTQ_DESC_F_NEXT        1u
#define VIRTQ_DESC_F_WRITE       2u
#define VIRTQ_DESC_F_INDIRECT    4u
#define VIRTQ_DESC_SIZE          16u
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u

/* virtio-blk (5.2). */
#define VIRTIO_ID_BLOCK          2
#define VIRTIO_BLK_F_SIZE_MAX    1
#define VIRTIO_BLK_F_SEG_MAX     2
#define VIRTIO_BLK_F_RO          5
#define VIRTIO_BLK_F_BLK_SIZE    6
#define VIRTIO_BLK_F_FLUSH       9
#define VIRTIO_BLK_F_MQ          12
#define VIRTIO_BLK_F_DISCARD     13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

#define VIRTIO_BLK_T_IN          0u
#define VIRTIO_BLK_T_OUT         1u
#define VIRTIO_BLK_T_FLUSH       4u
#define VIRTIO_BLK_T_GET_ID      8u
#define VIRTIO_BLK_T_DISCARD     11u
#define VIRTIO_BLK_T_WRITE_ZEROES 13u

#define VIRTIO_BLK_S_OK          0u
#define VIRTIO_BLK_S_IOERR       1u
#define VIRTIO_BLK_S_UNSUPP      2u

#define VIRTIO_BLK_ID_BYTES      20u
#define VIRTIO_BLK_WZ_UNMAP      1u   /* write-zeroes segment flag */

/* Offsets in struct virtio_blk_config. */
#define VBLK_CFG_CAPACITY        0x00
#define VBLK_CFG_SEG_MAX         0x0c
#define VBLK_CFG_BLK_SIZE        0x14
#define VBLK_CFG_NUM_QUEUES      0x22
#define VBLK_CFG_MAX_DISCARD_SECTORS 0x24
#define VBLK_CFG_MAX_DISCARD_SEG 0x28
#define VBLK_CFG_DISCARD_ALIGN   0x2c
#define VBLK_CFG_MAX_WZ_SECTORS  0x30
#define VBLK_CFG_MAX_WZ_SEG      0x34
#define VBLK_CFG_WZ_MAY_UNMAP    0x38
#define VBLK_CFG_SIZE            0x3c

/* virtio-net (5.1). */
#define VIRTIO_ID_NET            1
#define VIRTIO_NET_F_MTU         3
#define VIRTIO_NET_F_MAC         5
#define VIRTIO_NET_F_STATUS      16
#define VIRTIO_NET_S_LINK_UP     1u
/* struct virtio_net_hdr with VERSION_1: num_buffers always present. */
#define VNET_HDR_LEN             12u
#define VNET_HDR_NUM_BUFFERS     10u
/* Offsets in struct virtio_net_config. */
#define VNET_CFG_MAC             0x00
#define VNET_CFG_STATUS          0x06
#define VNET_CFG_MAX_VQ_PAIRS    0x08
#define VNET_CFG_MTU             0x0a
#define VNET_CFG_SIZE            0x0c

#endif
