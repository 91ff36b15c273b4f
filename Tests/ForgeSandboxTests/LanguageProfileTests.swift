import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

/// Every language profile in `Sandboxes/`, on the sample projects of `Fixtures/projects/`, through
/// the real verifier, toolchain and bubblewrap: the right counts, names and failure messages, and
/// a compile error as a `build` failure carrying the compiler's diagnostics.
///
/// Serialized, and each sandbox held to one core: compiling Swift, Rust and Go at once would starve
/// the rest of the test run (other suites have timeouts of their own) on a two-core machine.
@Suite(.serialized) struct LanguageProfileTests {
    /// A profile from `Sandboxes/` with its sandbox held to one core.
    static func profile(_ name: String) throws -> SandboxProfile {
        var profile = try Repository.profile(name)
        profile.limits.cpus = 1
        return profile
    }

    struct Expectation: Sendable, CustomTestStringConvertible {
        var language: String
        var variant: String
        var passed: Int
        var failed: Int
        /// A case name that must be there, and for failing projects the failure it must carry.
        var someCase: String
        var failure: (name: String, message: String)?
        var testDescription: String { "\(language)/\(variant)" }
    }

    static let projects: [Expectation] = [
        .init(language: "python", variant: "passing", passed: 3, failed: 0, someCase: "test_calc::test_mean"),
        .init(language: "python", variant: "failing", passed: 2, failed: 1, someCase: "test_calc::test_add",
              failure: ("test_calc::test_mean_rounds", "mean of 1 and 2")),
        .init(language: "swift", variant: "passing", passed: 4, failed: 0, someCase: "CalcXCTests::testAddNegative"),
        .init(language: "swift", variant: "failing", passed: 2, failed: 2, someCase: "CalcTests::adds()",
              failure: ("CalcXCTests::testAddOverflowsNothing", "two plus two")),
        .init(language: "javascript", variant: "passing", passed: 3, failed: 0, someCase: "mean > of nothing throws"),
        .init(language: "javascript", variant: "failing", passed: 2, failed: 1, someCase: "add",
              failure: ("mean > rounds", "mean of 1 and 2")),
        .init(language: "rust", variant: "passing", passed: 4, failed: 0, someCase: "tests::adds"),
        .init(language: "rust", variant: "failing", passed: 3, failed: 1, someCase: "mean_of_three",
              failure: ("mean_rounds", "mean of 1 and 2")),
        .init(language: "go", variant: "passing", passed: 4, failed: 0, someCase: "example.com/calc::TestMean/nothing"),
        .init(language: "go", variant: "failing", passed: 1, failed: 1, someCase: "example.com/calc::TestAdd",
              failure: ("example.com/calc::TestMeanRounds", "Mean(1, 2) = 1.5, want 2")),
    ]

    @Test(arguments: projects)
    func sampleProjectIsParsedIntoTheRightCounts(_ expected: Expectation) async throws {
        let workspace = try TestWorkspace(expected.language)
        defer { workspace.remove() }
        try workspace.copyProject(expected.language, expected.variant)
        let verifier = TestVerifier(profile: try Self.profile(expected.language), runner: BubblewrapRunner())
        let report = try await verifier.verify(workspace: workspace.url)
        let context = "\(report.summary)\n\(report.cases.map { "\($0.name): \($0.outcome)" })\n\(report.output.suffix(3000))"
        #expect(report.passed == expected.passed, "\(context)")
        #expect(report.failed + report.errors == expected.failed, "\(context)")
        #expect(report.cases.contains { $0.name == expected.someCase }, "\(context)")
        if let failure = expected.failure {
            #expect(!report.allPassed)
            let found = try #require(report.failures.first { $0.name == failure.name }, "\(context)")
            #expect(found.message?.contains(failure.message) == true, "\(found.message ?? "no message")")
        } else {
            #expect(report.allPassed, "\(context)")
            #expect(report.problem == nil)
        }
    }

    static let brokenSources: [(language: String, file: String, text: String, diagnostic: String)] = [
        ("swift", "Sources/Calc/Calc.swift", "public func add(_ a: Int, _ b: Int) -> Int { a + b + \"x\" }\n", "error: "),
        ("javascript", "calc.js", "function add(a, b) {\n  return a +;\n}\nmodule.exports = { add };\n", "SyntaxError"),
        ("rust", "src/lib.rs", "pub fn add(a: i64, b: i64) -> i64 { a + \"x\" }\n", "error[E0277]"),
        ("go", "calc.go", "package calc\n\nfunc Add(a, b int) int { return a + \"x\" }\n", "calc.go:3:"),
    ]

    @Test(arguments: brokenSources.map(\.language))
    func compileErrorIsABuildFailureWithTheDiagnostics(_ language: String) async throws {
        let broken = try #require(Self.brokenSources.first { $0.language == language })
        let workspace = try TestWorkspace("broken-\(language)")
        defer { workspace.remove() }
        try workspace.copyProject(language, "passing")
        try workspace.write(broken.file, broken.text)
        let report = try await TestVerifier(profile: try Self.profile(language), runner: BubblewrapRunner())
            .verify(workspace: workspace.url)
        #expect(!report.allPassed)
        #expect(report.problem?.hasPrefix("the build failed") == true, "\(report.summary)")
        let build = try #require(report.failures.first, "\(report.summary)\n\(report.output)")
        #expect(build.name == CompilerDiagnostics.caseName)
        #expect(build.outcome == .error)
        #expect(build.message?.contains(broken.diagnostic) == true, "\(build.message ?? "")\n\(report.output)")
        #expect(build.details?.contains(broken.diagnostic) == true)
        #expect(report.cases.count == 1)
    }

    @Test func pythonSyntaxErrorIsAnErroredCollection() async throws {
        let workspace = try TestWorkspace("broken-python")
        defer { workspace.remove() }
        try workspace.copyProject("python", "passing")
        try workspace.write("calc.py", "def add(a, b)\n    return a + b\n")
        let report = try await TestVerifier(profile: try Self.profile("python"), runner: BubblewrapRunner())
            .verify(workspace: workspace.url)
        #expect(!report.allPassed)
        #expect(report.errors == 1, "\(report.summary)")
        #expect(report.failures.first?.details?.contains("SyntaxError") == true)
    }
}

extension LanguageProfileTests {
    static let mirrored = "/opt/swift-packages/JohnSundell/Files.git"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: mirrored),
                   "needs the read-only Swift package mirror at /opt/swift-packages"))
    func swiftDependenciesResolveFromTheReadOnlyMirror() async throws {
        let workspace = try TestWorkspace("swift-mirror")
        defer { workspace.remove() }
        try workspace.copyProject("swift", "passing")
        try workspace.write("Package.swift", """
        // swift-tools-version: 6.0
        import PackageDescription

        let package = Package(
            name: "Calc",
            dependencies: [.package(url: "https://github.com/JohnSundell/Files", from: "4.0.0")],
            targets: [
                .target(name: "Calc", dependencies: [.product(name: "Files", package: "Files")]),
                .testTarget(name: "CalcTests", dependencies: ["Calc"]),
            ]
        )
        """)
        try workspace.write("Sources/Calc/Listing.swift", "import Files\n\npublic func here() throws -> String { try Folder(path: \".\").name }\n")
        let report = try await TestVerifier(profile: try Self.profile("swift"), runner: BubblewrapRunner()).verify(workspace: workspace.url)
        #expect(report.allPassed && report.passed == 4, "\(report.summary)\n\(report.output.suffix(3000))")
        #expect(workspace.exists(".build/checkouts/Files/Sources/Files.swift"))
    }
}
