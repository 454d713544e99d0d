# The discovery mode whole (dom0less.c): a temporary /proc/device-tree
# and configuration in, one serving process per good device out (a fake
# serve_device() in the child records what it was asked to serve), none
# for the others; the parent ends when its children have.
test_dom0less_run-src := ../tools/virtio-backend/dom0less.c \
	../tools/virtio-backend/dom0less_dt.c ../tools/virtio-backend/dom0less_conf.c \
	../tools/virtio-backend/dom0less_plan.c ../tools/virtio-backend/devargs.c \
	../tools/virtio-backend/log.c
test_dom0less_run-cppflags := -I$(SRCDIR)/tools/virtio-backend
$(O)/unit/tools/virtio-backend/test_dom0less_run: $(UNIT_DIR)/tools/virtio-backend/d0l_tree.h \
	$(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
