# virtio-gpio requests and interrupts of our back end on a fake chip that
# records what reached it, and on the simulated paired chip, with chains
# laid out in a fake guest RAM (vq_env.h).
test_vgpio-src := ../tools/virtio-backend/vgpio.c ../tools/virtio-backend/gpio_sim.c \
	../tools/virtio-backend/virtqueue.c
test_vgpio-cppflags := -I$(SRCDIR)/tools/virtio-backend -pthread
$(O)/unit/tools/virtio-backend/test_vgpio: $(UNIT_DIR)/tools/virtio-backend/vq_env.h \
	$(UNIT_DIR)/tools/virtio-backend/vq_random.h \
	$(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
