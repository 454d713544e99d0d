test_xen_version_arch-src := arch/arm64/xen_version_arch.c
