import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

@Suite struct SandboxProfileTests {
    @Test func pythonProfileLoads() throws {
        let profile = try SandboxProfile.load(named: "python", in: Repository.sandboxes)
        #expect(profile.name == "python")
        #expect(profile.sourceExtension == "py")
        #expect(profile.testFileName(forStem: "calc") == "test_calc.py")
        #expect(profile.testCommand.first == "{interpreter}")
        #expect(profile.testCommand.contains("--junitxml=\(profile.reportPath)"))
        #expect(profile.reportFormat == "junit")
        #expect(profile.reportPath == ".forge-report/junit.xml")
        #expect(profile.buildCommand == nil)
        #expect(profile.environment["PYTHONDONTWRITEBYTECODE"] == "1")
        #expect(profile.probe?.first == "python3")
        #expect(profile.limits == SandboxLimits(timeoutSeconds: 120, outputBytes: 1 << 20, memoryBytes: 2 << 30,
                                                maxProcesses: 512, cpuSeconds: 600, fileSizeBytes: 1 << 30))
        #expect(profile.image == "forge-sandbox-python:3.11")
        #expect(profile.imageInterpreter == "python3")
        #expect(profile.detects(["src/calc.py"]))
        #expect(!profile.detects(["main.swift", "README.md"]))
    }

    @Test func unknownProfileListsTheAvailableOnes() throws {
        let error = #expect(throws: ForgeError.self) {
            try SandboxProfile.load(named: "cobol", in: Repository.sandboxes)
        }
        #expect(error?.code == .config)
        #expect(error?.message.contains("available: go, javascript, python, rust, swift") == true)
    }

    @Test func invalidTOMLNamesTheFileAndLine() throws {
        let workspace = try TestWorkspace("profile")
        defer { workspace.remove() }
        try workspace.write("broken.toml", "name = \"broken\"\ndetect = [\"*.x\"\n")
        let file = workspace.url.appendingPathComponent("broken.toml")
        let error = #expect(throws: ForgeError.self) { try SandboxProfile.load(from: file) }
        #expect(error?.code == .config)
        #expect(error?.message.hasPrefix(file.path + ": invalid TOML at line") == true)
    }

    @Test(arguments: [
        ("name = \"x\"", "missing key `detect`"),
        (Self.minimal + "\ntypo_key = 1", "unknown key `typo_key`"),
        (Self.minimal.replacingOccurrences(of: "test_command = [\"run\"]", with: "test_command = \"run\""),
         "`test_command` has the wrong type"),
        (Self.minimal.replacingOccurrences(of: ".forge-report/junit.xml", with: "../escape.xml"), "`report_path` must be"),
        (Self.minimal + "\n[limits]\ntimeout_seconds = -1", "`limits.timeout_seconds` must be positive"),
        (Self.minimal + "\nreport_format = \"tap\"", "`report_format` \"tap\" is not supported"),
    ])
    func badValuesAreReportedByKey(text: String, expected: String) throws {
        let workspace = try TestWorkspace("profile")
        defer { workspace.remove() }
        try workspace.write("bad.toml", text)
        let file = workspace.url.appendingPathComponent("bad.toml")
        let error = #expect(throws: ForgeError.self) { try SandboxProfile.load(from: file) }
        #expect(error?.message.hasPrefix(file.path + ": ") == true)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func minimalProfileGetsDefaultsAndFloatLimits() throws {
        let workspace = try TestWorkspace("profile")
        defer { workspace.remove() }
        try workspace.write("mini.toml", Self.minimal + "\n[limits]\ntimeout_seconds = 2.5\n")
        let profile = try SandboxProfile.load(from: workspace.url.appendingPathComponent("mini.toml"))
        #expect(profile.limits == SandboxLimits(timeoutSeconds: 2.5, outputBytes: 1 << 20))
        #expect(profile.reportFormat == "junit")
        #expect(profile.environment.isEmpty && profile.readOnlyPaths.isEmpty && profile.probe == nil)
    }

    static let minimal = """
    name = "mini"
    detect = ["*.x"]
    source_extension = "x"
    test_file_pattern = "{stem}_test.x"
    test_command = ["run"]
    report_path = ".forge-report/junit.xml"
    """
}

@Suite struct LanguageProfileFileTests {
    @Test(arguments: ["python", "swift", "javascript", "rust", "go"])
    func everyProfileLoadsWithLimitsAnImageAndTestRules(_ name: String) throws {
        let profile = try SandboxProfile.load(named: name, in: Repository.sandboxes)
        #expect(profile.name == name)
        #expect(TestReportFormat(rawValue: profile.reportFormat) != nil)
        #expect(profile.image?.isEmpty == false)
        #expect(profile.probe != nil)
        #expect(profile.testRules?.importPatterns.isEmpty == false)
        #expect(profile.limits.memoryBytes != nil && profile.limits.maxProcesses != nil)
        #expect(profile.limits.cpuSeconds != nil && profile.limits.fileSizeBytes != nil)
        #expect(profile.testFileName(forStem: "calc").contains("calc"))
    }

    @Test(arguments: [
        ("swift", "@Test(.disabled(\"later\")) func x() {}"), ("swift", "try XCTSkipIf(true)"),
        ("javascript", "test.skip('add', () => {});"), ("javascript", "it('x', { skip: true }, () => {});"),
        ("rust", "#[test]\n#[ignore]\nfn slow() {}"), ("go", "func TestX(t *testing.T) { t.Skip(\"later\") }"),
    ])
    func skipMarkersAreRecognised(language: String, source: String) throws {
        let rules = try #require(try SandboxProfile.load(named: language, in: Repository.sandboxes).testRules)
        #expect(rules.skipMarker(in: source) != nil, "\(language): \(source)")
        #expect(rules.isProtected(".forge-report/junit.xml"))
    }

    @Test func availableProfilesAreTheFiveLanguages() {
        #expect(SandboxProfile.availableNames(in: Repository.sandboxes) == ["go", "javascript", "python", "rust", "swift"])
    }

    @Test(arguments: [
        ("[limits]\nmemory_bytes = 0", "`limits.memory_bytes` must be positive"),
        ("[limits]\nmax_processes = -3", "`limits.max_processes` must be positive"),
        ("[limits]\ncpus = 0.0", "`limits.cpus` must be positive"),
        ("[limits]\nwall = 3", "unknown key `wall`"),
        ("compile_error_pattern = \"(\"", "`compile_error_pattern` \"(\" is not a valid regular expression"),
        ("report_format = \"tap\"", "one of \"junit\", \"node-junit\", \"swift\", \"libtest-json\", \"go-test-json\""),
    ])
    func newKeysAreValidated(extra: String, expected: String) throws {
        let workspace = try TestWorkspace("profile")
        defer { workspace.remove() }
        try workspace.write("bad.toml", SandboxProfileTests.minimal + "\n" + extra + "\n")
        let error = #expect(throws: ForgeError.self) { try SandboxProfile.load(from: workspace.url.appendingPathComponent("bad.toml")) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func limitsAndContainerKeysAreRead() throws {
        let workspace = try TestWorkspace("profile")
        defer { workspace.remove() }
        try workspace.write("full.toml", SandboxProfileTests.minimal + """

        image = "example:1"
        image_interpreter = "python3"
        compile_error_pattern = "^error"
        report_format = "go-test-json"

        [limits]
        timeout_seconds = 30
        memory_bytes = 1048576
        max_processes = 10
        cpu_seconds = 5
        file_size_bytes = 4096
        cpus = 2
        """)
        let profile = try SandboxProfile.load(from: workspace.url.appendingPathComponent("full.toml"))
        #expect(profile.limits == SandboxLimits(timeoutSeconds: 30, memoryBytes: 1 << 20, maxProcesses: 10, cpuSeconds: 5,
                                                fileSizeBytes: 4096, cpus: 2))
        #expect(profile.image == "example:1" && profile.imageInterpreter == "python3")
        #expect(profile.compileErrorPattern == "^error")
        #expect(profile.format == .goTestJSON)
    }
}
