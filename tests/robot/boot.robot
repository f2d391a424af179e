*** Settings ***
Documentation     The LWKT kernel boots to its shell prompt on 1, 2, 4, 8 and 16 harts.
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}
Resource          lwkt-keywords.robot
Default Tags      guest    boot

*** Test Cases ***
Boots On One Hart
    Boot LWKT    1

Boots On Two Harts
    Boot LWKT    2

Boots On Four Harts
    Boot LWKT    4

Boots On Eight Harts
    [Tags]    guest    boot    smp-large
    Boot LWKT    8

Boots On Sixteen Harts
    [Tags]    guest    boot    smp-large
    Boot LWKT    16

Boots The Same Way Twice
    [Documentation]    The emulator is deterministic: two boots print the same banner at the same virtual time
    ...                and reach the prompt. (It compares wait results, not `Get Terminal Tester Report`, whose
    ...                lines carry host timestamps in Renode.)
    ${first}=    Boot And Note The Banner
    Reset Emulation
    ${second}=    Boot And Note The Banner
    Should Be Equal    ${first.Line}    ${second.Line}
    Should Be Equal    ${first.Timestamp}    ${second.Timestamp}    msg=the banner came at different virtual times

*** Keywords ***
Boot And Note The Banner
    [Documentation]    Boots the 4-hart board and returns the wait result of the kernel's banner line.
    Create LWKT Board
    Create Terminal Tester    ${UART}    timeout=${BOOT_TIMEOUT}
    Start Emulation
    ${banner}=    Wait For Line On Uart    LWKT kernel: \\d+ harts    treatAsRegex=true
    Wait For Prompt On Uart    ${PROMPT}
    RETURN    ${banner}
