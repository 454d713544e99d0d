# The fakes themselves: no hypervisor sources.
test_fake_arch-src :=
