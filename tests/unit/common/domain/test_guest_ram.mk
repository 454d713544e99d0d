# A domain's RAM over the guest banks, on the host fake's banks.
test_guest_ram-src := common/domain/guest_ram.c
