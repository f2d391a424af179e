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
    [Documentation]    The emulator is deterministic: two boots print the same banner line.
    Boot LWKT
    ${first}=    Get Terminal Tester Report
    Reset Emulation
    Boot LWKT
    ${second}=    Get Terminal Tester Report
    Should Be Equal    ${first}    ${second}
