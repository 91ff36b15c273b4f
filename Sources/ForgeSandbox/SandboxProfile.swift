import ForgeCore
import Foundation

/// How forge builds and tests one language: a `Sandboxes/<language>.toml` file.
///
/// A profile is data so a new language needs no Swift: which files identify the language, how forge
/// names test files, the build and test commands run in the sandbox, where the test command writes
/// its JUnit report, the toolchain paths the sandbox mounts read-only, and a probe run on the host
/// to find the toolchain (an interpreter under `$HOME`, say) so exactly its prefix gets mounted.
/// The file format is documented in `Sandboxes/README.md` and at the top of `Sandboxes/python.toml`.
public struct SandboxProfile: Sendable, Equatable {
    /// The placeholder in commands replaced by the interpreter path the probe printed.
    public static let interpreterPlaceholder = "{interpreter}"

    public var name: String
    /// File globs that identify the language, e.g. `["*.py", "pyproject.toml"]`.
    public var detect: [String]
    public var sourceExtension: String
    /// How forge names the test file for a module: `{stem}` is replaced, e.g. `test_{stem}.py`.
    public var testFilePattern: String
    public var buildCommand: [String]?
    /// May contain `{interpreter}`.
    public var testCommand: [String]
    /// One of ``TestReportFormat``'s raw values: `junit`, `node-junit`, `swift`, `libtest-json`,
    /// `go-test-json`.
    public var reportFormat: String
    /// Relative to the workspace, e.g. `.forge-report/junit.xml`.
    public var reportPath: String
    public var environment: [String: String]
    /// Toolchain paths always mounted read-only; ones missing on this host are skipped.
    public var readOnlyPaths: [String]
    /// Run on the host (not in the sandbox) to locate the toolchain: prints `interpreter=<path>` and
    /// `mount=<path>` lines.
    public var probe: [String]?
    public var limits: SandboxLimits
    /// The container image the docker and podman backends run the commands in; it must hold the
    /// toolchain and test runner (see `Sandboxes/images/`).
    public var image: String?
    /// What `{interpreter}` becomes in a container, where the host probe does not apply (`python3`).
    public var imageInterpreter: String?
    /// Checks on generated test files (imports the module, no stub definitions); nil = none.
    public var testRules: TestFileRules?
    /// Picks the diagnostic line out of a failed build's output; nil = ``CompilerDiagnostics/defaultPattern``.
    public var compileErrorPattern: String?

    /// The parser for ``reportFormat`` (validated when the profile loads).
    public var format: TestReportFormat { TestReportFormat(rawValue: reportFormat) ?? .junit }

    public init(name: String, detect: [String], sourceExtension: String, testFilePattern: String,
                buildCommand: [String]? = nil, testCommand: [String], reportFormat: String = "junit",
                reportPath: String, environment: [String: String] = [:], readOnlyPaths: [String] = [],
                probe: [String]? = nil, limits: SandboxLimits = .init(), image: String? = nil,
                testRules: TestFileRules? = nil, imageInterpreter: String? = nil, compileErrorPattern: String? = nil) {
        self.name = name
        self.detect = detect
        self.sourceExtension = sourceExtension
        self.testFilePattern = testFilePattern
        self.buildCommand = buildCommand
        self.testCommand = testCommand
        self.reportFormat = reportFormat
        self.reportPath = reportPath
        self.environment = environment
        self.readOnlyPaths = readOnlyPaths
        self.probe = probe
        self.limits = limits
        self.image = image
        self.testRules = testRules
        self.imageInterpreter = imageInterpreter
        self.compileErrorPattern = compileErrorPattern
    }

    /// The test file forge writes for a module with this stem: `test_{stem}.py` → `test_calc.py`.
    public func testFileName(forStem stem: String) -> String {
        testFilePattern.replacingOccurrences(of: "{stem}", with: stem)
    }

    /// True when any of `paths` (workspace-relative) matches one of the ``detect`` globs by its file
    /// name or its whole path.
    public func detects(_ paths: [String]) -> Bool {
        paths.contains { path in
            let fileName = (path as NSString).lastPathComponent
            return detect.contains { fnmatch($0, fileName, 0) == 0 || fnmatch($0, path, 0) == 0 }
        }
    }

    /// Loads a profile from a TOML file.
    ///
    /// - Throws: `ForgeError(.config)` with a message `<file>: <what is wrong>`.
    public static func load(from file: URL) throws -> SandboxProfile {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ForgeError(.config, "\(file.path): cannot read the sandbox profile (\(error.localizedDescription))",
                             hint: "check the path, or list the profiles in the Sandboxes/ directory")
        }
        return try SandboxProfileFile.decode(text, file: file)
    }

    /// Loads `<name>.toml` from `directory`.
    ///
    /// - Throws: `ForgeError(.config)` listing the available profiles when there is none by that name.
    public static func load(named name: String, in directory: URL) throws -> SandboxProfile {
        let file = directory.appendingPathComponent("\(name).toml")
        guard !name.contains("/"), FileManager.default.fileExists(atPath: file.path) else {
            let available = availableNames(in: directory)
            throw ForgeError(.config,
                             "no sandbox profile named `\(name)` in \(directory.path); available: "
                                 + (available.isEmpty ? "none" : available.joined(separator: ", ")),
                             hint: "pick one of the available profiles, or add \(name).toml to \(directory.path)")
        }
        return try load(from: file)
    }

    /// Names of the profiles (`*.toml` files) in `directory`, sorted.
    public static func availableNames(in directory: URL) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return entries.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }
}
