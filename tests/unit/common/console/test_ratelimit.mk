# The token bucket alone: pure arithmetic on the times a test gives it.
test_ratelimit-src := common/console/ratelimit.c
