# Default configuration: QEMU virt (GICv3), debug checks on.
# Each line is CONFIG_<NAME> := y | n | <value>. The build turns this file
# into include/generated/config.h in the build directory.
CONFIG_ARCH := arm64
CONFIG_NR_CPUS := 16
CONFIG_DEBUG := y
# Console used before the device tree is read (Xen calls this early printk):
# QEMU virt's PL011. Set to 0 to print nothing before the DTB is parsed.
CONFIG_EARLY_UART_PL011 := 0x09000000
CONFIG_SCHED_CREDIT2 := y
CONFIG_SCHED_CREDIT := y
CONFIG_SCHED_NULL := y
CONFIG_SCHED_ARINC653 := y
CONFIG_SCHED_RTDS := y
CONFIG_STATIC_MEMORY := y
CONFIG_CONRING_SIZE := 16384
