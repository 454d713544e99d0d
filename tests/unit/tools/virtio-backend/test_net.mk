# virtio-net of our back end: its frame paths and the whole device (shared
# transport, rx thread, tx worker) with a socket pair for the tap, on a
# fake guest RAM (vq_env.h).
test_net-src := ../tools/virtio-backend/net.c ../tools/virtio-backend/net_dev.c \
	../tools/virtio-backend/tap.c ../tools/virtio-backend/vdev.c \
	../tools/virtio-backend/virtio_mmio.c ../tools/virtio-backend/virtqueue.c \
	../tools/virtio-backend/log.c
test_net-cppflags := -I$(SRCDIR)/tools/virtio-backend -pthread
$(O)/unit/tools/virtio-backend/test_net: $(UNIT_DIR)/tools/virtio-backend/vq_env.h \
	$(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
