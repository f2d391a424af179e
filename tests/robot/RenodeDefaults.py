"""Robot Framework pre-run modifier: what renode-test gives suites that have no Settings section.

It imports renode-keywords.robot into every suite with tests and fills in Renode's default fixtures
(Suite Setup `Setup`, Suite Teardown `Teardown`, Test Setup `Reset Emulation`, Test Teardown
`Test Teardown`) wherever a suite or test sets none. Usage, with the emulator's Remote server running:

    robot --prerunmodifier tests/robot/RenodeDefaults.py:$PWD/tests/robot/renode-keywords.robot \
          --variable PORT_NUMBER:9999 tests/robot/some-headerless-suite.robot

`emu test` does the same by itself. (Written against Robot Framework's documented model API; it could not
be run here because Robot Framework is not installable in this environment.)
"""

from robot.api import SuiteVisitor


class RenodeDefaults(SuiteVisitor):

    def __init__(self, resource):
        self.resource = resource

    def start_suite(self, suite):
        if not suite.tests:
            return
        suite.resource.imports.resource(self.resource)
        if not suite.setup:
            suite.setup.config(name='Setup')
        if not suite.teardown:
            suite.teardown.config(name='Teardown')
        for test in suite.tests:
            if not test.setup:
                test.setup.config(name='Reset Emulation')
            if not test.teardown:
                test.teardown.config(name='Test Teardown')
