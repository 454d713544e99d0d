# The debug keys of the image: the dispatcher, its help key and the crash
# key, in the table the linker gathers as the hypervisor's does. UBSan's
# null check is off here: the crash key's read of address 0 is the point,
# and the test catches the fault it makes.
test_keyhandler-src := common/console/keyhandler.c common/console/debug_crash_key.c
test_keyhandler-cppflags := -Wl,-T,$(UNIT_DIR)/common/image_tables.lds -fno-sanitize=null
$(O)/unit/common/console/test_keyhandler: $(UNIT_DIR)/common/image_tables.lds
