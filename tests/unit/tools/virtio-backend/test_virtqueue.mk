# The split-ring parser of our virtio-blk back end, on a fake guest RAM.
test_virtqueue-src := ../tools/virtio-backend/virtqueue.c
test_virtqueue-cppflags := -I$(SRCDIR)/tools/virtio-backend
$(O)/unit/tools/virtio-backend/test_virtqueue: $(UNIT_DIR)/tools/virtio-backend/vq_env.h \
	$(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
