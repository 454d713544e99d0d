# array_index_nospec() is header-only (include/proxenos/nospec.h).
test_nospec-src :=
