*** Settings ***
Documentation     Exercises the Robot runner itself (no guest needed): variables, FOR, IF, templates,
...               user keywords, BuiltIn keywords. Runs in our runner and in real Robot Framework.
Test Setup        No Operation
Test Teardown     No Operation
Default Tags      selftest

*** Variables ***
${GREETING}       hello
@{HARTS}          1    2    4
&{BOARD}          uart=sysbus.uart0    harts=4

*** Test Cases ***
Variables And Item Access
    Should Be Equal    ${GREETING}    hello
    Should Be Equal    ${HARTS}[1]    2
    Should Be Equal    ${BOARD}[uart]    sysbus.uart0
    Should Be Equal    ${BOARD.harts}    4
    ${n}=    Convert To Integer    0x10
    Should Be True    ${n} == 16
    Should Be Equal    ${n + 1}    ${17}

FOR Loops
    ${sum}=    Set Variable    ${0}
    FOR    ${h}    IN    @{HARTS}
        ${sum}=    Evaluate    ${sum} + ${h}
    END
    Should Be Equal As Integers    ${sum}    7
    ${count}=    Set Variable    ${0}
    FOR    ${i}    IN RANGE    10
        IF    ${i} == 5    BREAK
        ${count}=    Evaluate    ${count} + 1
    END
    Should Be Equal    ${count}    ${5}

IF And ELSE
    ${word}=    Classify    ${3}
    Should Be Equal    ${word}    small
    ${word}=    Classify    ${30}
    Should Be Equal    ${word}    big
    ${word}=    Classify    ${10}
    Should Be Equal    ${word}    ten

Templated Test
    [Template]    Sum Should Be
    1    2    3
    10    5    15
    FOR    ${i}    IN RANGE    3
        ${i}    ${i}    ${i * 2}
    END

Expected Errors
    Run Keyword And Expect Error    *not found*    Should Contain    abc    not found
    Run Keyword And Expect Error    STARTS:No keyword with name    This Keyword Does Not Exist
    ${status}=    Run Keyword And Return Status    Fail    boom
    Should Not Be True    ${status}

Test Variables Reach Keywords
    Set Test Variable    ${MARK}    seen
    Keyword Reading Mark

Catenate And Regexp
    ${text}=    Catenate    SEPARATOR=-    a    b    c
    Should Be Equal    ${text}    a-b-c
    ${match}    ${num}=    Should Match Regexp    TESTS: 12 passed, 0 failed    TESTS: (\\d+) passed
    Should Be Equal    ${num}    12

*** Keywords ***
Classify
    [Arguments]    ${value}
    IF    ${value} < 10
        RETURN    small
    ELSE IF    ${value} == 10
        RETURN    ten
    ELSE
        RETURN    big
    END

Sum Should Be
    [Arguments]    ${a}    ${b}    ${expected}
    ${sum}=    Evaluate    ${a} + ${b}
    Should Be Equal As Integers    ${sum}    ${expected}

Keyword Reading Mark
    Should Be Equal    ${MARK}    seen
