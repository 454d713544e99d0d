test_domu_ext_regions-src := arch/arm64/domu_ext_regions.c arch/arm64/host_ext_regions.c
test_domu_ext_regions-cppflags := -I$(HYP)/arch/arm64/include
