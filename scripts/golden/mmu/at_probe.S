// Bare-metal probe for qemu-system-aarch64 -M virt,virtualization=on: runs at
// EL2, and for each case (loaded at 0x47000000 as 7 little-endian words:
// TTBR0_EL1, TTBR1_EL1, TCR_EL1, MAIR_EL1, SCTLR_EL1, VA, op) programs the
// EL1&0 regime, executes AT S1E1R/S1E1W/S1E0R/S1E0W (op 0..3) and prints
// PAR_EL1 in hex on the PL011 UART, one line a case.  op = -1 ends the list;
// the probe then exits through semihosting.
        .equ UART, 0x09000000
        .equ CASES, 0x47000000
        .text
        .global _start
_start:
        mov     x1, #(1 << 31)          // HCR_EL2.RW: EL1 is AArch64; VM=0: no stage 2
        msr     hcr_el2, x1
        isb
        ldr     x0, =CASES
        ldr     x10, =UART
next:
        ldr     x2, [x0, #48]
        cmn     x2, #1
        b.eq    done
        ldp     x3, x4, [x0]
        ldp     x5, x6, [x0, #16]
        ldp     x7, x8, [x0, #32]
        msr     ttbr0_el1, x3
        msr     ttbr1_el1, x4
        msr     tcr_el1, x5
        msr     mair_el1, x6
        msr     sctlr_el1, x7
        isb
        tlbi    vmalle1
        dsb     sy
        isb
        cmp     x2, #0
        b.ne    1f
        at      s1e1r, x8
        b       9f
1:      cmp     x2, #1
        b.ne    2f
        at      s1e1w, x8
        b       9f
2:      cmp     x2, #2
        b.ne    3f
        at      s1e0r, x8
        b       9f
3:      at      s1e0w, x8
9:      isb
        mrs     x9, par_el1
        mov     x11, #60
hex:    lsr     x12, x9, x11
        and     x12, x12, #0xf
        cmp     x12, #10
        b.lt    4f
        add     x12, x12, #('a' - 10)
        b       5f
4:      add     x12, x12, #'0'
5:      strb    w12, [x10]
        subs    x11, x11, #4
        b.ge    hex
        mov     x12, #'\n'
        strb    w12, [x10]
        add     x0, x0, #56
        b       next
done:
        mov     x1, #0x0026
        movk    x1, #2, lsl #16         // ADP_Stopped_ApplicationExit
        mov     x0, #0x18               // SYS_EXIT
        hlt     #0xf000
        b       .
        .ltorg
