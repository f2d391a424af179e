*** Settings ***
Documentation     A kernel panic is a test failure that names the panic. `fault` makes the kernel load from
...               address 0x8 (nothing is mapped there): the trap handler prints `panic: fatal trap ...` with
...               mcause/mepc/mtval, the registers and the thread, then ends the machine through the test
...               finisher with failure code 2. Boot LWKT registers `panic:` as a failing UART string, so in
...               every guest suite an unexpected panic fails the next wait at once with the panic line.
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}
Resource          lwkt-keywords.robot
Default Tags      guest    panic
Test Timeout      2 minutes

*** Variables ***
${FINISHER_REPL}    ${CURDIR}/../../platform/boards/finisher.repl
${FINISHER_CS}      ${CURDIR}/../../peripherals/Miscellaneous/TestFinisher.cs
${PANIC_LINE}       panic: fatal trap on hart (\\d+): mcause=(0x[0-9a-f]+) mepc=(0x[0-9a-f]+) mtval=(0x[0-9a-f]+)
${LOAD_ACCESS_FAULT}    0x5

*** Test Cases ***
Kernel Fault Prints A Panic Report
    [Documentation]    The panic line carries the trap's cause, PC and address; the registers and thread follow.
    Boot LWKT
    Unregister Failing Uart String    ${PANIC}
    Write Line To Uart    fault
    ${panic}=    Wait For Line On Uart    ${PANIC_LINE}    treatAsRegex=true    timeout=1
    Should Be Equal    ${panic.Groups[1]}    ${LOAD_ACCESS_FAULT}    msg=mcause is not a load access fault: ${panic.Line}
    Should Be Equal    ${panic.Groups[3]}    0x8    msg=mtval is not the faulting address: ${panic.Line}
    # mepc is the faulting load, a few instructions into the shell's `fault` command.
    ${cmd_fault}=    Execute Command    sysbus GetSymbolAddress "cmd_fault"
    ${cmd_fault}=    Convert To Integer    ${cmd_fault.strip()}
    ${mepc}=    Convert To Integer    ${panic.Groups[2]}
    Should Be True    0 < ${mepc} - ${cmd_fault} < 0x40    msg=mepc ${panic.Groups[2]} is not in cmd_fault
    Wait For Line On Uart    ra${SPACE}${SPACE}=0x    timeout=1
    Wait For Line On Uart    thread=shell    timeout=1

Kernel Fault Stops The Machine With Failure Code 2
    [Documentation]    With QEMU virt's test finisher (platform/boards/finisher.repl, a Renode plugin, see
    ...                docs/peripherals.md) the panic ends the emulation; the finisher logs the failure code the
    ...                kernel wrote. emulator-only: it counts `panic:` in `Get Terminal Tester Report`, whose text
    ...                differs in Renode (host timestamps, and each wait's pattern is listed too).
    [Tags]    guest    panic    emulator-only
    Create LWKT Board
    Execute Command    include @${FINISHER_CS}
    Execute Command    machine LoadPlatformDescription @${FINISHER_REPL}
    Create Log Tester    1
    Start LWKT
    Unregister Failing Uart String    ${PANIC}
    Write Line To Uart    fault
    Wait For Line On Uart    ${PANIC_LINE}    treatAsRegex=true    timeout=1
    Wait For Line On Uart    thread=shell    timeout=1
    Wait For Pause    1
    Wait For Log Entry    guest wrote FAIL with code 2 to the test finisher    timeout=0
    ${report}=    Get Terminal Tester Report
    Should Contain X Times    ${report}    panic:    1    msg=the machine went on after the panic

Unexpected Panic Fails The Test With The Panic Line
    [Documentation]    What any guest suite gets when the kernel panics: the wait in progress fails at once
    ...                (no timeout), and its message is the panic line with mcause and mepc.
    Boot LWKT
    # Renode's exact message (UartKeywords.WaitForLineOnUart in renode/renode), so this holds under renode-test.
    Run Keyword And Expect Error
    ...    Terminal tester failed!\n\nTest failing entry has been found on UART:\npanic: fatal trap on hart *: mcause=${LOAD_ACCESS_FAULT} mepc=0x* mtval=0x8
    ...    Run Shell Command    fault

Booting Without A Device Tree Is One Panic Line
    [Documentation]    `sysbus LoadELF` alone (no `sysbus LoadFdt`, no a0/a1 handoff) enters every hart with
    ...                a1 = 0: the first prints one panic line naming the missing device tree and fails the
    ...                machine through the finisher; the others park.
    [Tags]    guest    panic    emulator-only
    Execute Command    mach create
    Execute Command    machine LoadPlatformDescription @${CURDIR}/../../board.repl
    Execute Command    machine LoadPlatformDescription @${FINISHER_REPL}
    Execute Command    sysbus LoadELF @${ELF}
    Create Log Tester    1
    Create Terminal Tester    ${UART}    timeout=1
    Start Emulation
    Wait For Line On Uart    panic: boot: entered with a1 = 0 (no device tree)
    Wait For Pause    1
    Wait For Log Entry    finisher: guest wrote FAIL with code 1 to the test finisher    timeout=0
    ${report}=    Get Terminal Tester Report
    Should Contain X Times    ${report}    panic:    1    msg=more than one panic line: ${report}
