# The decisions of arch/arm64/spectre.c, as plain functions (no hardware).
test_spectre_policy-src := arch/arm64/spectre_policy.c common/boot/cmdline.c
test_spectre_policy-cppflags := -I$(HYP)/arch/arm64/include
