*** Settings ***
Documentation     The kernel shell on UART0: echo, commands and their reports. The first test boots
...               once and `Provides` the state; the others `Requires` it (replayed by the runner).
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}
Resource          lwkt-keywords.robot
Default Tags      guest    shell

*** Test Cases ***
Boots To Prompt
    Boot LWKT
    Provides    lwkt-booted

Help Lists The Commands
    Requires    lwkt-booted
    Write Line To Uart    help
    FOR    ${command}    IN    ps    ipiq    tokens    slab    test    bench
        Wait For Line On Uart    ${command}
    END

Unknown Command Is Reported
    Requires    lwkt-booted
    Write Line To Uart    frobnicate
    Wait For Line On Uart    frobnicate
    Wait For Prompt On Uart    ${PROMPT}

Reports Run And Return To The Prompt
    Requires    lwkt-booted
    FOR    ${command}    IN    ps    tokens    slab    ipiq
        Run Shell Command    ${command}
    END

Benchmarks Print Figures
    [Tags]    guest    bench
    Requires    lwkt-booted
    Write Line To Uart    bench
    Wait For Line On Uart    BENCH    timeout=${TEST_TIMEOUT}
