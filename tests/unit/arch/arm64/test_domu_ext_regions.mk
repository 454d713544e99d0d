test_domu_ext_regions-src := arch/arm64/domu_ext_regions.c
