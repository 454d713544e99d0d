# virtio-blk requests of our back end against a temporary image file, on
# chains laid out in a fake guest RAM (vq_env.h).
test_blk-src := ../tools/virtio-backend/blk.c ../tools/virtio-backend/virtqueue.c
test_blk-cppflags := -I$(SRCDIR)/tools/virtio-backend
$(O)/unit/tools/virtio-backend/test_blk: $(UNIT_DIR)/tools/virtio-backend/vq_env.h \
	$(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
