*** Settings ***
Documentation     The role of Renode's renode-keywords.robot for this emulator: the suite fixtures
...               (Setup, Teardown, Test Setup, Test Teardown). `emu test` provides Renode's keywords
...               itself, imports this file implicitly and sets ${RENODEKEYWORDS} to it. Under real
...               Robot Framework the keywords come from `emu --robot-server-port ${PORT_NUMBER}`
...               through Robot's Remote library, imported below (start the server first).
Library           Remote    http://127.0.0.1:${PORT_NUMBER}/

*** Variables ***
${PORT_NUMBER}              9999
${DEFAULT_UART_TIMEOUT}     8

*** Keywords ***
Setup
    Set Default Uart Timeout    ${DEFAULT_UART_TIMEOUT}
    Reset Emulation

Teardown
    Reset Emulation

Test Setup
    No Operation

Test Teardown
    Reset Emulation
