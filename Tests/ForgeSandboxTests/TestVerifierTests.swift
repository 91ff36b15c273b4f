import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

@Suite struct TestVerifierTests {
    let verifier: TestVerifier

    init() throws {
        verifier = TestVerifier(profile: try Repository.pythonProfile(), runner: BubblewrapRunner())
    }

    static let calc = "def add(a, b):\n    return a + b\n"

    @Test func passingProjectPasses() async throws {
        let workspace = try TestWorkspace("pass")
        defer { workspace.remove() }
        try workspace.write("calc.py", Self.calc)
        try workspace.write("test_calc.py", """
        from calc import add

        def test_add():
            assert add(2, 3) == 5

        def test_add_negative():
            assert add(-1, -1) == -2
        """)
        let report = try await verifier.verify(workspace: workspace.url)
        #expect(report.passed == 2, "\(report.summary)\n\(report.output)")
        #expect(report.allPassed)
        #expect(report.termination == .exited(0))
        #expect(report.problem == nil)
        #expect(report.cases.map(\.name).sorted() == ["test_calc::test_add", "test_calc::test_add_negative"])
        #expect(!workspace.exists("__pycache__"))
    }

    @Test func failingTestCarriesItsAssertionMessage() async throws {
        let workspace = try TestWorkspace("fail")
        defer { workspace.remove() }
        try workspace.write("calc.py", Self.calc)
        try workspace.write("test_calc.py", """
        from calc import add

        def test_add():
            assert add(2, 3) == 5

        def test_add_wrong():
            assert add(2, 2) == 5, "two and two"
        """)
        let report = try await verifier.verify(workspace: workspace.url)
        #expect(report.passed == 1 && report.failed == 1, "\(report.summary)\n\(report.output)")
        #expect(!report.allPassed)
        #expect(report.termination == .exited(1))
        let failure = try #require(report.failures.first)
        #expect(failure.name == "test_calc::test_add_wrong")
        #expect(failure.message?.contains("two and two") == true)
        #expect(failure.message?.contains("assert 4 == 5") == true)
        #expect(failure.details?.contains("test_calc.py") == true)
        #expect(report.problem == nil)
    }

    @Test func syntaxErrorInTheModuleIsNeverAPass() async throws {
        let workspace = try TestWorkspace("syntax")
        defer { workspace.remove() }
        try workspace.write("calc.py", "def add(a, b)\n    return a + b\n")
        try workspace.write("test_calc.py", "from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n")
        let report = try await verifier.verify(workspace: workspace.url)
        #expect(!report.allPassed)
        #expect(report.errors + report.failed >= 1 || report.problem != nil, "\(report.summary)")
        let errorText = report.output + report.failures.compactMap(\.details).joined()
        #expect(errorText.contains("SyntaxError"), "\(report.output)")
    }

    @Test func projectWithoutTestsIsNotAPass() async throws {
        let workspace = try TestWorkspace("empty")
        defer { workspace.remove() }
        try workspace.write("calc.py", Self.calc)
        let report = try await verifier.verify(workspace: workspace.url)
        #expect(!report.allPassed)
        #expect(report.executed == 0)
        #expect(report.termination == .exited(5))
        #expect(report.problem?.contains("no tests ran") == true, "\(report.summary)")
    }

    @Test func aCommittedFakeReportIsClearedBeforeTheRun() async throws {
        let workspace = try TestWorkspace("fake")
        defer { workspace.remove() }
        try workspace.write("calc.py", Self.calc)
        try workspace.write(".forge-report/junit.xml",
                            #"<testsuites><testsuite><testcase classname="t" name="fake"/></testsuite></testsuites>"#)
        let report = try await verifier.verify(workspace: workspace.url)
        #expect(!report.allPassed)
        #expect(!report.cases.contains { $0.name == "t::fake" })
    }

    @Test func aSymlinkedReportDirectoryIsRemovedNotFollowed() async throws {
        let workspace = try TestWorkspace("link")
        let outside = try TestWorkspace("outside")
        defer { workspace.remove(); outside.remove() }
        try outside.write("junit.xml", "host file that must survive")
        try workspace.write("calc.py", Self.calc)
        try workspace.write("test_calc.py", "from calc import add\n\ndef test_add():\n    assert add(1, 1) == 2\n")
        try FileManager.default.createSymbolicLink(atPath: workspace.url.appendingPathComponent(".forge-report").path,
                                                   withDestinationPath: outside.url.path)
        let report = try await verifier.verify(workspace: workspace.url)
        #expect(try outside.read("junit.xml") == "host file that must survive")
        #expect(report.passed == 1 && report.allPassed, "\(report.summary)\n\(report.output)")
    }

    @Test func reportFileRefusesSymlinks() throws {
        let workspace = try TestWorkspace("reportlink")
        let outside = try TestWorkspace("secret")
        defer { workspace.remove(); outside.remove() }
        try outside.write("secret.xml", "<testsuite/>")
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent(".forge-report"),
                                                withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: workspace.url.appendingPathComponent(".forge-report/junit.xml").path,
            withDestinationPath: outside.url.appendingPathComponent("secret.xml").path)
        let file = ReportFile(workspace: workspace.url, relativePath: ".forge-report/junit.xml")
        guard case .refused(let why) = file.read() else {
            Issue.record("a symlinked report was read")
            return
        }
        #expect(why.contains("symlink"))
        try file.clear()
        #expect(file.read() == .missing)
        #expect(try outside.read("secret.xml") == "<testsuite/>")
    }

    @Test func failingBuildIsReportedWithItsOutput() async throws {
        let workspace = try TestWorkspace("build")
        defer { workspace.remove() }
        var profile = try Repository.pythonProfile()
        profile.buildCommand = ["/bin/sh", "-c", "echo 'calc.c:1: error: expected ;'; exit 2"]
        let report = try await TestVerifier(profile: profile, runner: BubblewrapRunner()).verify(workspace: workspace.url)
        #expect(!report.allPassed)
        #expect(report.problem == "the build failed (exit status 2)")
        #expect(report.output.contains("calc.c:1: error: expected ;"))
    }

    @Test func aRunMayBeGivenLessTimeThanTheProfileNeverMore() async throws {
        let workspace = try TestWorkspace("short")
        defer { workspace.remove() }
        var profile = try Repository.pythonProfile()
        profile.testCommand = ["/bin/sh", "-c", "sleep 60"]
        profile.limits.timeoutSeconds = 2
        let verifier = TestVerifier(profile: profile, runner: BubblewrapRunner())
        let shorter = try await verifier.verify(workspace: workspace.url, timeoutSeconds: 1)
        #expect(shorter.output.contains("wall-clock limit (1s) ran out"), "\(shorter.output)")
        #expect(!shorter.allPassed)
        let longer = try await verifier.verify(workspace: workspace.url, timeoutSeconds: 600)
        #expect(longer.output.contains("wall-clock limit (2s) ran out"), "\(longer.output)")
    }

    @Test func probeRunsOncePerVerifier() async throws {
        let workspace = try TestWorkspace("probe")
        let counter = try TestWorkspace("counter")
        defer { workspace.remove(); counter.remove() }
        let count = counter.url.appendingPathComponent("runs").path
        var profile = try Repository.pythonProfile()
        profile.probe = ["/bin/sh", "-c", "echo run >> '\(count)'; echo interpreter=/bin/echo"]
        profile.testCommand = ["{interpreter}", "probed"]
        let verifier = TestVerifier(profile: profile, runner: BubblewrapRunner())
        let first = try await verifier.verify(workspace: workspace.url)
        _ = try await verifier.verify(workspace: workspace.url)
        #expect(first.output == "probed\n")
        #expect(try counter.read("runs") == "run\n")
    }

    @Test func failingProbeSaysWhy() async throws {
        let workspace = try TestWorkspace("probefail")
        defer { workspace.remove() }
        var profile = try Repository.pythonProfile()
        profile.probe = ["python3", "-I", "-c", "import forge_module_that_does_not_exist"]
        let error = await #expect(throws: ForgeError.self) {
            try await TestVerifier(profile: profile, runner: BubblewrapRunner()).verify(workspace: workspace.url)
        }
        #expect(error?.code == .sandboxUnavailable)
        #expect(error?.message.contains("ModuleNotFoundError") == true, "\(error?.message ?? "")")
    }

    @Test func unexplainedExitStatusIsAProblem() {
        let passed = [TestReport.Case(name: "m::t", outcome: .passed)]
        #expect(TestVerifier.unexplained(.exited(0), cases: passed) == nil)
        #expect(TestVerifier.unexplained(.exited(3), cases: passed)?.contains("although no test failed") == true)
        #expect(TestVerifier.unexplained(.exited(1), cases: [.init(name: "m::t", outcome: .failed)]) == nil)
        #expect(TestVerifier.unexplained(.signalled(9), cases: passed) != nil)
    }
}
