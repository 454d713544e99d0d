# dom0's list of dom0less VirtIO devices read from a /proc/device-tree
# made in a temporary directory: good nodes, and each malformed one refused.
test_dom0less_dt-src := ../tools/virtio-backend/dom0less_dt.c
test_dom0less_dt-cppflags := -I$(SRCDIR)/tools/virtio-backend
$(O)/unit/tools/virtio-backend/test_dom0less_dt: $(UNIT_DIR)/tools/virtio-backend/d0l_tree.h \
	$(wildcard $(SRCDIR)/tools/virtio-backend/*.h)
