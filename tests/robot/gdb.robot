*** Settings ***
Documentation     The GDB server with a real client: `machine StartGdbServer` from the monitor, then Debian's
...               gdb-multiarch in batch mode through Robot's `Run Process`. It sees the four harts as four
...               threads, stops at a breakpoint on a kernel function, reads registers and memory (checked
...               against the monitor's view of the same hart and bus), steps, detaches, and the guest runs on.
...               Tagged emulator-only: it needs gdb-multiarch on the host and checks this emulator's thread
...               names (run under renode-test with `--exclude emulator-only`).
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Library           Process
Resource          ${RENODEKEYWORDS}
Resource          lwkt-keywords.robot
Default Tags      guest    gdb    emulator-only
Test Timeout      2 minutes

*** Variables ***
${GDB}              gdb-multiarch
${GDB_TIMEOUT}      60s
${BREAK_AT}         lwkt_switch

*** Keywords ***
Free TCP Port
    [Documentation]    A port nobody listens on now (the OS picks it), so parallel runs do not collide.
    ${r}=    Run Process    python3    -c
    ...    import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])
    ...    timeout=30s
    Should Be Equal As Integers    ${r.rc}    0    msg=${r.stderr}
    RETURN    ${r.stdout}

Run GDB
    [Documentation]    Runs gdb-multiarch in batch mode on the kernel ELF against the server; returns its output.
    [Arguments]    ${port}    @{commands}
    @{args}=    Create List    -nx    -batch    -ex    set pagination off    -ex    set confirm off
    ...    -ex    target remote 127.0.0.1:${port}
    FOR    ${command}    IN    @{commands}
        Append To List    ${args}    -ex    ${command}
    END
    Append To List    ${args}    ${ELF}
    ${r}=    Run Process    ${GDB}    @{args}    timeout=${GDB_TIMEOUT}    stderr=STDOUT
    Log    ${r.stdout}
    Should Be Equal As Integers    ${r.rc}    0    msg=gdb failed (rc ${r.rc}):\n${r.stdout}
    RETURN    ${r.stdout}

*** Test Cases ***
GDB Sees Harts As Threads, Breaks, Reads, Steps And Detaches
    ${installed}=    Run Keyword And Return Status    Run Process    ${GDB}    --version    timeout=30s
    Skip If    not ${installed}    ${GDB} is not installed
    Boot LWKT
    # Hold the machine at the prompt and type a command: it is read once GDB lets the harts run, so
    # the shell thread must be switched in (lwkt_switch) while GDB waits at the breakpoint.
    Execute Command    pause
    Write Line To Uart    uptime    waitForEcho=false
    ${port}=    Free TCP Port
    Execute Command    machine StartGdbServer ${port}
    ${out}=    Run GDB    ${port}
    ...    info threads
    ...    break ${BREAK_AT}
    ...    continue
    ...    print/x $pc
    ...    print $mhartid
    ...    info registers sp
    ...    x/1wx $pc
    ...    stepi
    ...    print/x $pc
    ...    delete
    ...    detach

    # Four harts, four threads.
    ${threads}=    Get Regexp Matches    ${out}    Thread (\\d+) \\(cpu\\d+ hart \\d+    1
    ${threads}=    Catenate    SEPARATOR=,    @{threads}
    Should Be Equal    ${threads}    1,2,3,4    msg=${out}

    # The breakpoint hit on one of them, in the function.
    ${hit}=    Should Match Regexp    ${out}    Thread (\\d+) .*hit Breakpoint 1, .*${BREAK_AT}
    ${pc}=    Should Match Regexp    ${out}    \\$1 = (0x[0-9a-f]+)
    ${break_pc}=    Convert To Integer    ${pc}[1]
    ${function}=    Execute Command    sysbus GetSymbolAddress "${BREAK_AT}"
    ${function}=    Convert To Integer    ${function.strip()}
    Should Be True    0 <= ${break_pc} - ${function} < 0x80    msg=pc ${pc}[1] is not in ${BREAK_AT}

    # Registers: thread N is hart N-1; the stack pointer is a RAM address.
    ${hartid}=    Should Match Regexp    ${out}    \\$2 = (\\d+)
    ${thread}=    Convert To Integer    ${hit}[1]
    Should Be Equal As Integers    ${hartid}[1]    ${thread - 1}
    Should Match Regexp    ${out}    sp\\s+0x8[0-9a-f]{7}\\s

    # Memory: GDB reads at the pc what the bus holds there.
    ${word}=    Should Match Regexp    ${out}    ${pc}[1] <${BREAK_AT}\\+\\d+>:\\s+(0x[0-9a-f]{8})
    ${bus}=    Execute Command    sysbus ReadDoubleWord ${pc}[1]
    Should Be Equal As Integers    ${word}[1]    ${bus.strip()}

    # stepi moved the hart on by one instruction.
    ${stepped}=    Should Match Regexp    ${out}    \\$3 = (0x[0-9a-f]+)
    Should Not Be Equal As Integers    ${stepped}[1]    ${break_pc}    msg=stepi did not move the pc

    Should Contain    ${out}    [Inferior 1 (Remote target) detached]

    # Detached: the guest answers the command typed before and keeps running.
    Wait For Line On Uart    uptime    timeout=5
    Wait For Prompt On Uart    ${PROMPT}    timeout=5
    Run Shell Command    ps
    Execute Command    machine StopGdbServer
