*** Settings ***
Documentation     Fails on purpose, for the replay tests (ReplayTests): not listed in tests.yaml. The test boots
...               the guest, types into its shell and then waits for a line that never comes, so `emu test`
...               writes a replay file, and `emu replay` must fail the same way with the same UART output.
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}
Resource          ../lwkt-keywords.robot
Default Tags      guest    replay

*** Test Cases ***
Waits For A Line The Shell Never Prints
    Boot LWKT    2
    Run Shell Command    help
    Write Line To Uart    ps
    Wait For Line On Uart    this line never appears    timeout=0.5
