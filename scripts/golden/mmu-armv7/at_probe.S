@ Bare-metal probe for qemu-system-arm -M virt,secure=on -cpu cortex-a15.
@ secure=on gives the CPU the Security Extensions, as every Cortex-A15 has:
@ without them TTBCR.PD0/PD1 do not exist (QEMU masks them out).  QEMU
@ starts an ELF -kernel image that is not Linux in Secure SVC mode with the
@ MMU off; the probe sets SCR.NS from Monitor mode and returns to
@ Non-secure SVC (PL1), the state Linux runs in on this board.
@
@ For each case (loaded at 0x47000000 as 16 little-endian 32-bit words:
@ TTBR0 low, TTBR0 high, TTBR1 low, TTBR1 high, TTBCR, DACR, SCTLR, PRRR,
@ NMRR, MAIR0, MAIR1, CONTEXTIDR, op, VA, 0, 0) it programs the PL1&0
@ regime, turns the MMU on with the case's SCTLR, executes
@ ATS1CPR/ATS1CPW/ATS1CUR/ATS1CUW (op 0..3), turns the MMU off again and
@ prints PAR on the PL011 UART: 8 hex digits (MRC, 32-bit PAR) when
@ TTBCR.EAE is 0, 16 (MRRC, 64-bit PAR) when it is 1.  op = 0xffffffff ends
@ the list; the probe then exits through semihosting.
@
@ Why PL1 and not Hyp mode: an ATS1C* executed in Hyp mode always returns
@ the 64-bit PAR format (ARMv7-A ARM B4.1.112; ARMv8 ARM G8 PAR), so the
@ short-descriptor PAR could not be observed.  The AT operations translate
@ only while SCTLR.M is 1 (with M = 0 they report the flat, MMU-off
@ mapping), so the probe runs with the case's own tables for the few
@ instructions between the two SCTLR writes: gen_cases.py maps the probe's
@ 1 MiB at 0x40000000 to itself in every case (domain 15, PL1 read/write,
@ executable).  PRRR and MAIR0 are one register (c10, c2, 0), as are NMRR
@ and MAIR1 (c10, c2, 1); the probe writes the pair that TTBCR.EAE selects.
        .syntax unified
        .arm
        .equ UART, 0x09000000
        .equ CASES, 0x47000000
        .text
        .global _start
_start:
        cps     #0x16                   @ Monitor mode
        mrc     p15, 0, r0, c1, c1, 0
        orr     r0, r0, #1              @ SCR.NS
        mcr     p15, 0, r0, c1, c1, 0
        isb
        mov     r0, #0x1d3              @ SVC, A, I and F masked
        msr     spsr_cxsf, r0
        adr     lr, nonsecure
        movs    pc, lr
nonsecure:
        ldr     r0, =vectors
        mcr     p15, 0, r0, c12, c0, 0  @ VBAR: report stray aborts
        ldr     r0, =CASES
        ldr     r10, =UART
        mov     r11, #0                 @ case number, for the abort report
next:
        ldr     r2, [r0, #48]           @ op
        cmn     r2, #1
        beq     done
        ldr     r4, [r0, #16]
        mcr     p15, 0, r4, c2, c0, 2   @ TTBCR
        ldrd    r6, r7, [r0]
        mcrr    p15, 0, r6, r7, c2      @ TTBR0 (64-bit)
        ldrd    r6, r7, [r0, #8]
        mcrr    p15, 1, r6, r7, c2      @ TTBR1 (64-bit)
        ldr     r5, [r0, #20]
        mcr     p15, 0, r5, c3, c0, 0   @ DACR
        tst     r4, #0x80000000         @ TTBCR.EAE
        ldreq   r5, [r0, #28]           @ PRRR
        ldrne   r5, [r0, #36]           @ MAIR0
        mcr     p15, 0, r5, c10, c2, 0
        ldreq   r5, [r0, #32]           @ NMRR
        ldrne   r5, [r0, #40]           @ MAIR1
        mcr     p15, 0, r5, c10, c2, 1
        ldr     r5, [r0, #44]
        mcr     p15, 0, r5, c13, c0, 1  @ CONTEXTIDR
        mcr     p15, 0, r5, c8, c7, 0   @ TLBIALL
        dsb
        isb
        ldr     r8, [r0, #52]           @ VA
        ldr     r5, [r0, #24]           @ the case's SCTLR
        mrc     p15, 0, r9, c1, c0, 0   @ SCTLR now (M = 0)
        @ From here to the second SCTLR write the case's tables translate
        @ the instruction fetches: no loads or stores.
        mcr     p15, 0, r5, c1, c0, 0
        isb
        cmp     r2, #1
        beq     1f
        cmp     r2, #2
        beq     2f
        cmp     r2, #3
        beq     3f
        mcr     p15, 0, r8, c7, c8, 0   @ ATS1CPR
        b       9f
1:      mcr     p15, 0, r8, c7, c8, 1   @ ATS1CPW
        b       9f
2:      mcr     p15, 0, r8, c7, c8, 2   @ ATS1CUR
        b       9f
3:      mcr     p15, 0, r8, c7, c8, 3   @ ATS1CUW
9:      isb
        mcr     p15, 0, r9, c1, c0, 0   @ MMU off again
        isb
        tst     r4, #0x80000000
        mrceq   p15, 0, r6, c7, c4, 0   @ 32-bit PAR
        beq     short
        mrrc    p15, 0, r6, r7, c7      @ 64-bit PAR
        mov     r1, r7
        bl      hex32
short:  mov     r1, r6
        bl      hex32
        mov     r3, #'\n'
        strb    r3, [r10]
        add     r0, r0, #64
        add     r11, r11, #1
        b       next

@ Prints r1 as 8 hex digits; clobbers r1, r3, r12.
hex32:  mov     r12, #28
1:      lsr     r3, r1, r12
        and     r3, r3, #0xf
        cmp     r3, #10
        addlt   r3, r3, #'0'
        addge   r3, r3, #('a' - 10)
        strb    r3, [r10]
        subs    r12, r12, #4
        bge     1b
        bx      lr

done:   mov     r0, #0x18               @ SYS_EXIT
        ldr     r1, =0x20026            @ ADP_Stopped_ApplicationExit
        svc     0x123456
        b       .

@ Any exception: MMU off, report "abort <vector offset> <case number>",
@ exit.  A case whose tables do not map the probe ends here.
        .balign 32
vectors:
        .rept   8
        b       trap
        .endr
trap:   mcr     p15, 0, r9, c1, c0, 0
        isb
        ldr     r10, =UART
        mov     r1, r11
        adr     r3, msg
1:      ldrb    r12, [r3], #1
        cmp     r12, #0
        strbne  r12, [r10]
        bne     1b
        bl      hex32
        mov     r3, #'\n'
        strb    r3, [r10]
        b       done
msg:    .asciz  "abort in case "
        .balign 4
        .ltorg
