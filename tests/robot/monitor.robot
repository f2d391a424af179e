*** Settings ***
Documentation     The monitor through `Execute Command`: errors fail the keyword with a message that names the
...               problem (and leave the machine as it was), and the commands suites rely on give their values.
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}
Resource          lwkt-keywords.robot
Default Tags      monitor
Test Timeout      2 minutes

*** Variables ***
${BOARD_REPL}       ${CURDIR}/../../board.repl
${MISSING_REPL}     ${CURDIR}/no-such-board.repl
${RAM_SCRATCH}      0x87f00000

*** Test Cases ***
Unknown Command Is An Error
    Run Keyword And Expect Error    *frobnicate*    Execute Command    frobnicate
    Execute Command    mach create
    Run Keyword And Expect Error    *frobnicate*    Execute Command    frobnicate now
    Run Keyword And Expect Error    *NoSuchMethod*    Execute Command    sysbus NoSuchMethod

Bad Argument Is An Error
    Execute Command    mach create
    Execute Command    machine LoadPlatformDescription @${BOARD_REPL}
    Run Keyword And Expect Error    *ReadDoubleWord*hello*    Execute Command    sysbus ReadDoubleWord hello
    Run Keyword And Expect Error    *    Execute Command    sysbus WriteDoubleWord ${RAM_SCRATCH}
    # The failed commands changed nothing; a good one still works.
    Execute Command    sysbus WriteDoubleWord ${RAM_SCRATCH} 0x1234abcd
    ${value}=    Execute Command    sysbus ReadDoubleWord ${RAM_SCRATCH}
    Should Be Equal As Integers    ${value.strip()}    0x1234abcd

Missing Platform File Is An Error
    Execute Command    mach create
    Run Keyword And Expect Error    *no-such-board.repl*    Execute Command    machine LoadPlatformDescription @${MISSING_REPL}
    ${peripherals}=    Execute Command    peripherals
    Should Not Contain    ${peripherals}    uart0

Malformed Platform Description Reports E32 And Loads Nothing
    [Documentation]    Indentation must be a multiple of four spaces; the error is Renode's `E32`, with the
    ...                line, and no peripheral of the failed text is created.
    Execute Command    mach create
    Run Keyword And Expect Error    *E32*
    ...    Execute Command    machine LoadPlatformDescriptionFromString """scratch: Memory.MappedMemory @ sysbus 0x90000000\n${SPACE * 3}size: 0x1000"""
    ${peripherals}=    Execute Command    peripherals
    Should Not Contain    ${peripherals}    scratch
    # The same entry, correctly indented, loads.
    Execute Command    machine LoadPlatformDescriptionFromString """scratch: Memory.MappedMemory @ sysbus 0x90000000\n${SPACE * 4}size: 0x1000"""
    ${peripherals}=    Execute Command    peripherals
    Should Contain    ${peripherals}    scratch

Bad ELF Is An Error
    Execute Command    mach create
    Execute Command    machine LoadPlatformDescription @${BOARD_REPL}
    Run Keyword And Expect Error    *ELF*    Execute Command    sysbus LoadELF @${BOARD_REPL}
    Run Keyword And Expect Error    *no-such.elf*    Execute Command    sysbus LoadELF @${CURDIR}/no-such.elf
    # A failed load did not move the harts to some entry point: a good ELF still sets them all.
    Execute Command    sysbus LoadELF @${ELF}
    ${entry}=    Execute Command    sysbus GetSymbolAddress "_start"
    ${pc}=    Execute Command    cpu3 PC
    Should Be Equal As Integers    ${pc.strip()}    ${entry.strip()}

Bus Reads Return Memory Contents
    Create LWKT Board
    # The first instruction of the kernel, as the ELF has it at its entry point.
    ${entry}=    Execute Command    sysbus GetSymbolAddress "_start"
    ${word}=    Execute Command    sysbus ReadDoubleWord ${entry.strip()}
    Should Not Be Equal As Integers    ${word.strip()}    0    msg=no code at the entry point
    Execute Command    sysbus WriteDoubleWord ${RAM_SCRATCH} 0xfeedf00d
    ${word}=    Execute Command    sysbus ReadDoubleWord ${RAM_SCRATCH}
    Should Be Equal As Integers    ${word.strip()}    0xfeedf00d

CPU PC Reads And Writes The Program Counter
    Create LWKT Board
    ${entry}=    Execute Command    sysbus GetSymbolAddress "_start"
    ${pc}=    Execute Command    cpu0 PC
    Should Be Equal As Integers    ${pc.strip()}    ${entry.strip()}
    Execute Command    cpu1 PC 0x80000100
    ${pc}=    Execute Command    cpu1 PC
    Should Be Equal As Integers    ${pc.strip()}    0x80000100
    PC Should Be Equal    0x80000100    cpuName=cpu1
    # The running guest moves it.
    Execute Command    cpu1 PC ${entry.strip()}
    Start LWKT
    ${pc}=    Execute Command    cpu0 PC
    Should Not Be Equal As Integers    ${pc.strip()}    ${entry.strip()}

CPU Statistics Count Executed Instructions
    [Documentation]    emulator-only: `cpuN Statistics` is this emulator's command; Renode has none.
    [Tags]    emulator-only
    Boot LWKT
    ${before}=    Execute Command    cpu0 Statistics
    ${before}=    Should Match Regexp    ${before}    Instructions: (\\d+)
    Run Shell Command    uptime
    ${after}=    Execute Command    cpu0 Statistics
    ${after}=    Should Match Regexp    ${after}    Instructions: (\\d+)
    Should Be True    ${before}[1] > 0
    Should Be True    ${after}[1] > ${before}[1]    msg=cpu0 ran the shell but its instruction count did not grow

SetSeed Takes A Number
    Execute Command    emulation SetSeed 7
    Run Keyword And Expect Error    *SetSeed*    Execute Command    emulation SetSeed seven
    Boot LWKT
