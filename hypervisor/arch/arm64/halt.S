/*
 * Stop this CPU for good: interrupts masked, waiting forever. Boot code,
 * the exception return path and C all end here, so it is a file of its own
 * that calls nothing: none of them depends on another through it.
 */
    .text
    .globl  halt_forever
halt_forever:
    msr     daifset, #0xf
1:  wfi
    b       1b
