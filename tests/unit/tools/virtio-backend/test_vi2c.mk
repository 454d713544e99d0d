# virtio-i2c requests of our back end on the simulated EEPROM bus and on a
# fake bus that records what reached it, with chains laid out in a fake
# guest RAM (vq_env.h).
test_vi2c-src := ../tools/virtio-backend/vi2c.c ../tools/virtio-backend/i2c_eeprom.c \
	../tools/virtio-backend/virtqueue.c
test_vi2c-cppflags := -I$(SRCDIR)/tools/virtio-backend
$(O)/unit/tools/virtio-backend/test_vi2c: $(UNIT_DIR)/tools/virtio-backend/vq_env.h \
	$(UNIT_DIR)/tools/virtio-backend/vq_random.h \
	$(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
