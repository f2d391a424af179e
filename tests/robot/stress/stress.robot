*** Settings ***
Documentation     Types ${LINES} lines (500 by default) at the kernel shell, waiting for each echo and the prompt,
...               on 1, 4 and 16 harts. Before the tester's clock was made monotonic, the same loop failed in
...               5 of 6 runs within two seconds of wall time (a wait "expired" at once). scripts/test runs a
...               short version (scripts/test.d/robot-stress.sh); the full one:
...               `scripts/emu test tests/robot/stress/stress.robot` (not in tests.yaml: too long for every run).
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}
Resource          ../lwkt-keywords.robot
Default Tags      guest    stress

*** Variables ***
${LINES}          500

*** Test Cases ***
Types Lines At The Prompt On 1 Hart
    Type Lines At The Prompt    1

Types Lines At The Prompt On 4 Harts
    Type Lines At The Prompt    4

Types Lines At The Prompt On 16 Harts
    Type Lines At The Prompt    16

*** Keywords ***
Type Lines At The Prompt
    [Arguments]    ${harts}
    Boot LWKT    ${harts}
    FOR    ${i}    IN RANGE    ${LINES}
        Run Shell Command    help
    END
