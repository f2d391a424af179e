*** Settings ***
Documentation     Keywords shared by the LWKT guest suites: boot the board with N harts and drive the
...               kernel's shell on UART0. The board comes from board.resc at the repository root, which
...               loads `$repl` (default: board.repl, 4 harts); other hart counts use the variants in
...               platform/boards/board-N.repl. Override with --variable BOARD_RESC:... or REPL_DIR:...

*** Variables ***
${UART}             sysbus.uart0
${PROMPT}           lwkt>
${BOARD_RESC}       ${CURDIR}/../../board.resc
${REPL_DIR}         ${CURDIR}/../../platform/boards
${DEFAULT_HARTS}    4
${BOOT_TIMEOUT}     30
${TEST_TIMEOUT}     120

*** Keywords ***
Boot LWKT
    [Documentation]    Creates the board with ${harts} harts, starts it and waits for the shell prompt.
    [Arguments]    ${harts}=${DEFAULT_HARTS}
    IF    ${harts} != ${DEFAULT_HARTS}
        Execute Command    $repl = @${REPL_DIR}/board-${harts}.repl
    END
    Execute Command    include @${BOARD_RESC}
    Create Terminal Tester    ${UART}    timeout=${BOOT_TIMEOUT}
    Start Emulation
    Wait For Prompt On Uart    ${PROMPT}

Run Shell Command
    [Documentation]    Types a command (waiting for its echo) and returns once the prompt is back.
    [Arguments]    ${command}
    Write Line To Uart    ${command}
    Wait For Prompt On Uart    ${PROMPT}

In-Kernel Tests Should Pass
    [Documentation]    Runs `test all` and checks the summary line and that no single test failed.
    Write Line To Uart    test all
    ${summary}=    Wait For Line On Uart    TESTS: (\\d+) passed, (\\d+) failed    timeout=${TEST_TIMEOUT}    treatAsRegex=true
    Should Be Equal As Integers    ${summary.groups[1]}    0    msg=${summary.line}
    Should Be True    ${summary.groups[0]} > 0    msg=no in-kernel test ran: ${summary.line}
