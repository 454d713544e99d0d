# The hypervisor's own string functions under other names: the compiler
# would otherwise expand calls to memcpy and the rest itself (or reach
# libc's), and the test would never run common/lib/string.c. The renaming
# covers every file of this test, so the fake arch uses them too.
test_string-src := common/lib/string.c
test_string-cppflags := -Dmemcpy=pxn_memcpy -Dmemmove=pxn_memmove -Dmemset=pxn_memset \
	-Dmemcmp=pxn_memcmp -Dmemchr=pxn_memchr -Dstrlen=pxn_strlen -Dstrnlen=pxn_strnlen \
	-Dstrcmp=pxn_strcmp -Dstrncmp=pxn_strncmp -Dstrchr=pxn_strchr
