*** Settings ***
Documentation     Features of this emulator that Renode does not have: interleaving seeds (`emulation SetSeed`
...               perturbs hart order and slices reproducibly) and the harts' event counters (mhpmcounter3..6,
...               also in `cpuN Statistics`). Everything here is tagged emulator-only; under renode-test run
...               the suites with `--exclude emulator-only`.
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}
Resource          lwkt-keywords.robot
Default Tags      guest    emulator-only
Test Timeout      2 minutes

*** Variables ***
${WORKLOAD}         test token_exclusion
${RUN_TIME}         "00:00:00.5"
${HARTS}            4

*** Keywords ***
Run Token Workload With Seed
    [Documentation]    Boots under the seed with the commands typed before the start (so they reach the guest at
    ...                a fixed virtual time, not whenever the host types them), runs a fixed span of virtual
    ...                time with `emulation RunFor`, and returns what the guest printed and every hart's statistics.
    [Arguments]    ${seed}
    Reset Emulation
    Execute Command    emulation SetSeed ${seed}
    Create LWKT Board
    Create Terminal Tester    ${UART}
    Write Line To Uart    ${WORKLOAD}    waitForEcho=false
    Write Line To Uart    uptime    waitForEcho=false
    Execute Command    emulation RunFor ${RUN_TIME}
    ${output}=    Get Terminal Tester Report
    Should Contain    ${output}    TESTS: 1 passed, 0 failed    msg=the workload did not finish within ${RUN_TIME}:\n${output}
    Should Contain    ${output}    minstret
    ${statistics}=    Set Variable    ${EMPTY}
    FOR    ${hart}    IN RANGE    ${HARTS}
        ${s}=    Execute Command    cpu${hart} Statistics
        ${statistics}=    Catenate    SEPARATOR=\n    ${statistics}    cpu${hart}:    ${s}
    END
    RETURN    ${output}\n${statistics}

Per-Hart Instructions
    [Documentation]    The `minstret cpu0=... total=...` line `uptime` printed: instructions retired per hart.
    [Arguments]    ${output}
    ${line}=    Get Lines Containing String    ${output}    minstret
    RETURN    ${line}

Total Atomics
    [Documentation]    AMOs retired by all harts so far, from `cpuN Statistics`.
    ${total}=    Set Variable    ${0}
    FOR    ${hart}    IN RANGE    ${HARTS}
        ${s}=    Execute Command    cpu${hart} Statistics
        ${amo}=    Should Match Regexp    ${s}    Atomic memory operations: (\\d+)
        ${total}=    Evaluate    ${total} + ${amo}[1]
    END
    RETURN    ${total}

*** Test Cases ***
Same Seed Replays The Same Interleaving
    [Documentation]    Two runs under seed 7 print the same thing and leave every hart with the same counts.
    ${first}=    Run Token Workload With Seed    7
    ${second}=    Run Token Workload With Seed    7
    Should Be Equal    ${first}    ${second}

Different Seeds Give Different Interleavings
    [Documentation]    The seed really reaches the scheduler: under seeds 7 and 8 the harts retire different
    ...                numbers of instructions by the time `uptime` runs (the test passes under both).
    ${seven}=    Run Token Workload With Seed    7
    ${eight}=    Run Token Workload With Seed    8
    ${seven}=    Per-Hart Instructions    ${seven}
    ${eight}=    Per-Hart Instructions    ${eight}
    Should Not Be Equal    ${seven}    ${eight}

Event Counters Count The Spinlock Baseline
    [Documentation]    The guest finds the event counters at boot, and token_local_noatomic's checks with them
    ...                pass (no AMO/LR/SC on the local token path, at least 100 AMOs for 100 spinlock rounds,
    ...                not the "no event counters" note); `cpuN Statistics` shows those AMOs too.
    Boot LWKT
    ${banner}=    Get Terminal Tester Report
    Should Contain    ${banner}    event counters: yes
    ${before}=    Total Atomics
    Write Line To Uart    test token_local_noatomic
    ${result}=    Wait For Line On Uart    TEST token_local_noatomic: .*    treatAsRegex=true    timeout=5
    Should Be Equal    ${result.Line}    TEST token_local_noatomic: PASS
    Wait For Prompt On Uart    ${PROMPT}    timeout=5
    ${after}=    Total Atomics
    Should Be True    ${after} - ${before} >= 100    msg=only ${after} - ${before} AMOs counted across the test
