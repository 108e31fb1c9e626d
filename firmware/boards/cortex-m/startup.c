/* Cortex-M start-up: vector table, .data/.bss set-up, FPU enable, then main(). */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
extern int main(void);

void Reset_Handler(void);
void Default_Handler(void);
void Fault_Handler(void);
void tg_fault_entry(const uint32_t *frame);
/* Reports a fault (the firmware's link sends it to the host); the default reports nothing. */
void tg_fault_report(uint32_t pc, uint32_t status) __attribute__((weak));
void tg_exit_report(int code, uint32_t caller) __attribute__((weak));
void _exit(int code);
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

/* Integers, not pointers: ISO C has no conversion between function and object pointers. */
__attribute__((section(".isr_vector"), used)) const uintptr_t tg_vectors[16] = {
    (uintptr_t)&_estack,
    (uintptr_t)Reset_Handler,
    (uintptr_t)Default_Handler, /* NMI */
    (uintptr_t)Fault_Handler, /* HardFault */
    (uintptr_t)Fault_Handler, /* MemManage */
    (uintptr_t)Fault_Handler, /* BusFault */
    (uintptr_t)Fault_Handler, /* UsageFault */
    0, 0, 0, 0,
    (uintptr_t)Default_Handler, /* SVCall */
    (uintptr_t)Default_Handler, /* DebugMon */
    0,
    (uintptr_t)Default_Handler, /* PendSV */
    (uintptr_t)SysTick_Handler,
};

void Reset_Handler(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;
    while (dst < &_edata) {
        *dst++ = *src++;
    }
    for (dst = &_sbss; dst < &_ebss; ++dst) {
        *dst = 0;
    }
#if defined(__ARM_FP)
    /* CPACR: full access to CP10 and CP11 so compiler-generated FPU code does not fault. */
    *(volatile uint32_t *)0xE000ED88u |= (0xFu << 20);
    __asm volatile("dsb\n\tisb");
#endif
    main();
    for (;;) {
    }
}

void Default_Handler(void)
{
    for (;;) {
    }
}

/* Faults hand the stacked exception frame to tg_fault_entry (frame[6] is the faulting pc), so a
 * crash is reported to the host as an error instead of a silent board. */
__attribute__((naked)) void Fault_Handler(void)
{
    __asm volatile("mrs r0, msp\n\t"
                   "ldr r1, =tg_fault_entry\n\t"
                   "bx r1\n\t"
                   ".ltorg");
}

void tg_fault_entry(const uint32_t *frame)
{
    uint32_t status = 0;
#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_8M_MAIN__)
    status = *(volatile const uint32_t *)0xE000ED28u; /* CFSR; ARMv6-M has none */
#endif
    if (tg_fault_report) {
        tg_fault_report(frame[6], status);
    }
    for (;;) {
    }
}

/* newlib's exit() and abort() (a failed assertion in library code, for instance) end here: say so. */
void _exit(int code)
{
    if (tg_exit_report) {
        tg_exit_report(code, (uint32_t)(uintptr_t)__builtin_return_address(0));
    }
    for (;;) {
    }
}
