# The decoder alone: pure functions of an ISS or an instruction word.
test_mmio_decode-src := arch/arm64/mmio_decode.c
test_mmio_decode-cppflags := -I$(HYP)/arch/arm64/include
