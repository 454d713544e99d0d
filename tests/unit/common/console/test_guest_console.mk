# A guest's console output alone, onto the shared fake of the console
# (which keeps the lines it is given).
test_guest_console-src := common/console/guest_console.c common/console/ratelimit.c common/lib/vsnprintf.c \
	../tests/unit/common/fake_console_api.c
$(O)/unit/common/console/test_guest_console: $(UNIT_DIR)/common/fake_console_api.h
