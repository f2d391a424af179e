*** Settings ***
Documentation     Real firmware on the board: Debian's OpenSBI 1.1 (`fw_jump.elf`, M-mode) hands over to U-Boot 2023.01
...               (`qemu-riscv64_smode/u-boot.bin`, S-mode, loaded at fw_jump's 0x80200000), which reaches its `=>`
...               prompt on 1, 4 and 8 harts; the shell is then driven like a user would. Loaded the Renode way
...               (`sysbus LoadELF`, `sysbus LoadBinary`, `sysbus LoadFdt`, a0/a1 per hart), as firmware.resc does.
...               scripts/bootstrap installs the packages `opensbi` and `u-boot-qemu`.
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}
Default Tags      firmware
Test Timeout      2 minutes

*** Variables ***
${UART}             sysbus.uart0
${OPENSBI}          /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf
${UBOOT}            /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
${UBOOT_ADDR}       0x80200000
${REPL_DIR}         ${CURDIR}/../../platform/boards
${DTB_DIR}          ${CURDIR}/dtb
${FDT_ADDR}         0x87ff0000
${PROMPT}           =>
${BOOT_TIMEOUT}     60

*** Keywords ***
Create Firmware Board
    [Documentation]    The ${harts}-hart board with OpenSBI, U-Boot as its payload and the board's device tree;
    ...                every hart starts in OpenSBI with a0 = hart id and a1 = device tree.
    [Arguments]    ${harts}
    Execute Command    mach create "firmware"
    Execute Command    machine LoadPlatformDescription @${REPL_DIR}/board-${harts}.repl
    Execute Command    sysbus LoadELF @${OPENSBI}
    Execute Command    sysbus LoadBinary @${UBOOT} ${UBOOT_ADDR}
    ${dtb}=    Set Variable If    ${harts} == 4    ${CURDIR}/../../board.dtb    ${DTB_DIR}/board-${harts}.dtb
    Execute Command    sysbus LoadFdt @${dtb} ${FDT_ADDR}
    FOR    ${hart}    IN RANGE    ${harts}
        Execute Command    cpu${hart} SetRegister 10 ${hart}
        Execute Command    cpu${hart} SetRegister 11 ${FDT_ADDR}
    END

Boot To U-Boot Prompt
    [Documentation]    Boots OpenSBI and U-Boot on ${harts} harts, checks that OpenSBI saw them all, stops the
    ...                autoboot countdown with a key and waits for the prompt.
    [Arguments]    ${harts}
    Create Firmware Board    ${harts}
    Create Terminal Tester    ${UART}    timeout=${BOOT_TIMEOUT}
    Start Emulation
    Wait For Line On Uart    OpenSBI v1.1
    ${count}=    Wait For Line On Uart    Platform HART Count\\s*: (\\d+)    treatAsRegex=true
    Should Be Equal As Integers    ${count.Groups[0]}    ${harts}
    Wait For Line On Uart    Domain0 Next Mode\\s*: S-mode    treatAsRegex=true
    Wait For Line On Uart    U-Boot 2023.01
    Wait For Line On Uart    DRAM:\\s+128 MiB    treatAsRegex=true
    Wait For Line On Uart    Hit any key to stop autoboot
    Write Line To Uart    ${EMPTY}    waitForEcho=false
    Wait For Prompt On Uart    ${PROMPT}

*** Test Cases ***
U-Boot Prompt On One Hart
    Boot To U-Boot Prompt    1

U-Boot Prompt On Eight Harts
    Boot To U-Boot Prompt    8

U-Boot Shell On Four Harts
    [Documentation]    The default board: U-Boot's shell answers commands, its environment works, and it reads
    ...                the memory where it was loaded (its own first instruction words).
    Boot To U-Boot Prompt    4
    Write Line To Uart    version
    Wait For Line On Uart    U-Boot 2023.01
    Wait For Prompt On Uart    ${PROMPT}
    Write Line To Uart    setenv greeting hello-from-the-board
    Wait For Prompt On Uart    ${PROMPT}
    Write Line To Uart    printenv greeting
    Wait For Line On Uart    greeting=hello-from-the-board
    Wait For Prompt On Uart    ${PROMPT}
    Write Line To Uart    md.l ${UBOOT_ADDR} 1
    ${words}=    Wait For Line On Uart    80200000: ([0-9a-f]{8})    treatAsRegex=true
    Should Not Be Equal    ${words.Groups[0]}    00000000
