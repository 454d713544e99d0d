# The discovery mode's configuration file and the decision per device
# (configuration line, backend-args, or not served and why).
test_dom0less_conf-src := ../tools/virtio-backend/dom0less_conf.c \
	../tools/virtio-backend/dom0less_plan.c ../tools/virtio-backend/devargs.c
test_dom0less_conf-cppflags := -I$(SRCDIR)/tools/virtio-backend
$(O)/unit/tools/virtio-backend/test_dom0less_conf: $(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
