# Host device drivers. Paths are relative to hypervisor/.
hyp-src-y += drivers/uart_pl011.c
hyp-src-y += drivers/dt_uart.c
