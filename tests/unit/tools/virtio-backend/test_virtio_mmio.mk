# The virtio-mmio version 2 register file of our back end.
test_virtio_mmio-src := ../tools/virtio-backend/virtio_mmio.c
test_virtio_mmio-cppflags := -I$(SRCDIR)/tools/virtio-backend
$(O)/unit/tools/virtio-backend/test_virtio_mmio: $(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
