*** Settings ***
Documentation     The kernel's own tests (`test all`: tokens, IPI queues, critical sections, message
...               ports, SLAB) pass on every board size; on one hart the token code needs no IPIs.
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}
Resource          lwkt-keywords.robot
Default Tags      guest    lwkt

*** Test Cases ***
In-Kernel Tests Pass On Small Boards
    [Template]    In-Kernel Tests Pass With Harts
    1
    2
    4

In-Kernel Tests Pass On Many Harts
    [Tags]    guest    lwkt    smp-large
    [Template]    In-Kernel Tests Pass With Harts
    8
    16

No Test Reports A Failure
    Boot LWKT
    Write Line To Uart    test all
    Should Not Be On Uart    TEST .*: FAIL    timeout=${TEST_TIMEOUT}    treatAsRegex=true

*** Keywords ***
In-Kernel Tests Pass With Harts
    [Arguments]    ${harts}
    # Each template row starts from a fresh emulation, even when the previous row failed.
    Reset Emulation
    Boot LWKT    ${harts}
    In-Kernel Tests Should Pass
