*** Settings ***
Documentation     Keywords shared by the LWKT guest suites: boot the board with N harts and drive the
...               kernel's shell on UART0. Four harts use board.resc at the repository root (board.repl);
...               other hart counts load platform/boards/board-N.repl with the same boot handoff as
...               board.resc (ELF, device tree, a0 = hart id, a1 = device tree) using dtb/board-N.dtb,
...               written by `scripts/emu dtb platform/boards/board-N.repl tests/robot/dtb/board-N.dtb`.

*** Variables ***
${UART}             sysbus.uart0
${PROMPT}           lwkt>
${PANIC}            panic:
${BOARD_RESC}       ${CURDIR}/../../board.resc
${REPL_DIR}         ${CURDIR}/../../platform/boards
${DTB_DIR}          ${CURDIR}/dtb
${ELF}              ${CURDIR}/../../guest/build/lwkt.elf
${FDT_ADDR}         0x87ff0000
${DEFAULT_HARTS}    4
${BOOT_TIMEOUT}     30
${TEST_TIMEOUT}     120

*** Keywords ***
Boot LWKT
    [Documentation]    Creates the board with ${harts} harts, starts it and waits for the shell prompt.
    [Arguments]    ${harts}=${DEFAULT_HARTS}
    Create LWKT Board    ${harts}
    Start LWKT

Create LWKT Board
    [Documentation]    Creates the board with ${harts} harts and loads the guest, without starting it.
    [Arguments]    ${harts}=${DEFAULT_HARTS}
    IF    ${harts} == 4
        Execute Command    include @${BOARD_RESC}
    ELSE
        Create Board With Harts    ${harts}
    END

Start LWKT
    [Documentation]    Attaches the tester to the console, starts the machine and waits for the prompt. A kernel
    ...                panic fails every later wait at once, with the panic line as the test's failure message
    ...                (a suite that expects a panic unregisters ${PANIC} first).
    Create Terminal Tester    ${UART}    timeout=${BOOT_TIMEOUT}
    Register Failing Uart String    ${PANIC}
    Start Emulation
    Wait For Prompt On Uart    ${PROMPT}

Run Shell Command
    [Documentation]    Types a command (waiting for its echo) and returns once the prompt is back.
    [Arguments]    ${command}
    Write Line To Uart    ${command}
    Wait For Prompt On Uart    ${PROMPT}

In-Kernel Tests Should Pass
    [Documentation]    Runs `test all` and checks the summary line; the first failing test line fails it at once.
    Register Failing Uart String    TEST .*: FAIL    treatAsRegex=true
    Write Line To Uart    test all
    ${summary}=    Wait For Line On Uart    TESTS: (\\d+) passed, (\\d+) failed    timeout=${TEST_TIMEOUT}    treatAsRegex=true
    Should Be Equal As Integers    ${summary.Groups[1]}    0    msg=${summary.Line}
    Should Be True    ${summary.Groups[0]} > 0    msg=no in-kernel test ran: ${summary.Line}

Create Board With Harts
    [Documentation]    What board.resc does, for the ${harts}-hart board variant.
    [Arguments]    ${harts}
    Execute Command    mach create "machine-0"
    Execute Command    machine LoadPlatformDescription @${REPL_DIR}/board-${harts}.repl
    Execute Command    sysbus LoadELF @${ELF}
    Execute Command    sysbus LoadFdt @${DTB_DIR}/board-${harts}.dtb ${FDT_ADDR}
    FOR    ${hart}    IN RANGE    ${harts}
        Execute Command    cpu${hart} SetRegister 10 ${hart}
        Execute Command    cpu${hart} SetRegister 11 ${FDT_ADDR}
    END
