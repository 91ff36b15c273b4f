import ForgeCore
import Foundation
import TOMLKit

/// The TOML shape of a profile, and the translation of decoding failures into messages that name
/// the file and the key.
struct SandboxProfileFile: Decodable {
    struct Limits: Decodable {
        var timeoutSeconds: Double?
        var outputBytes: Int?
        var memoryBytes: Int?
        var maxProcesses: Int?
        var cpuSeconds: Int?
        var fileSizeBytes: Int?
        var cpus: Double?

        enum CodingKeys: String, CodingKey {
            case timeoutSeconds = "timeout_seconds", outputBytes = "output_bytes", memoryBytes = "memory_bytes"
            case maxProcesses = "max_processes", cpuSeconds = "cpu_seconds", fileSizeBytes = "file_size_bytes", cpus
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            // TOML tells integers from floats; `timeout_seconds = 120` is as good as `120.0`.
            if let integer = try? container.decodeIfPresent(Int.self, forKey: .timeoutSeconds) {
                timeoutSeconds = Double(integer)
            } else {
                timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
            }
            outputBytes = try container.decodeIfPresent(Int.self, forKey: .outputBytes)
            memoryBytes = try container.decodeIfPresent(Int.self, forKey: .memoryBytes)
            maxProcesses = try container.decodeIfPresent(Int.self, forKey: .maxProcesses)
            cpuSeconds = try container.decodeIfPresent(Int.self, forKey: .cpuSeconds)
            fileSizeBytes = try container.decodeIfPresent(Int.self, forKey: .fileSizeBytes)
            if let integer = try? container.decodeIfPresent(Int.self, forKey: .cpus) {
                cpus = Double(integer)
            } else {
                cpus = try container.decodeIfPresent(Double.self, forKey: .cpus)
            }
        }
    }

    var name: String
    var detect: [String]
    var sourceExtension: String
    var testFilePattern: String
    var buildCommand: [String]?
    var testCommand: [String]
    var reportFormat: String?
    var reportPath: String
    var environment: [String: String]?
    var readOnlyPaths: [String]?
    var probe: [String]?
    var limits: Limits?
    var image: String?
    var imageInterpreter: String?
    var testRules: TestFileRules?
    var compileErrorPattern: String?

    enum CodingKeys: String, CodingKey {
        case name, detect, probe, image, limits, environment
        case imageInterpreter = "image_interpreter", compileErrorPattern = "compile_error_pattern"
        case testRules = "test_rules"
        case sourceExtension = "source_extension", testFilePattern = "test_file_pattern"
        case buildCommand = "build_command", testCommand = "test_command"
        case reportFormat = "report_format", reportPath = "report_path", readOnlyPaths = "read_only_paths"
    }

    static func decode(_ text: String, file: URL) throws -> SandboxProfile {
        func fail(_ what: String) -> ForgeError {
            ForgeError(.config, "\(file.path): \(what)", hint: "fix the profile; its format is described in Sandboxes/README.md")
        }
        let raw: SandboxProfileFile
        do {
            let table = try TOMLTable(string: text)
            raw = try TOMLDecoder(strictDecoding: true).decode(SandboxProfileFile.self, from: table)
        } catch let error as TOMLParseError {
            throw fail("invalid TOML at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch let error as UnexpectedKeysError {
            throw fail("unknown key\(error.keys.count == 1 ? "" : "s") " + error.keys.keys.sorted().map { "`\($0)`" }.joined(separator: ", "))
        } catch let error as DecodingError {
            throw fail(describe(error))
        }

        let defaults = SandboxLimits()
        let limits = SandboxLimits(timeoutSeconds: raw.limits?.timeoutSeconds ?? defaults.timeoutSeconds,
                                   outputBytes: raw.limits?.outputBytes ?? defaults.outputBytes,
                                   memoryBytes: raw.limits?.memoryBytes ?? defaults.memoryBytes,
                                   maxProcesses: raw.limits?.maxProcesses ?? defaults.maxProcesses,
                                   cpuSeconds: raw.limits?.cpuSeconds ?? defaults.cpuSeconds,
                                   fileSizeBytes: raw.limits?.fileSizeBytes ?? defaults.fileSizeBytes,
                                   cpus: raw.limits?.cpus ?? defaults.cpus)
        let profile = SandboxProfile(
            name: raw.name, detect: raw.detect, sourceExtension: raw.sourceExtension,
            testFilePattern: raw.testFilePattern, buildCommand: raw.buildCommand, testCommand: raw.testCommand,
            reportFormat: raw.reportFormat ?? "junit", reportPath: raw.reportPath,
            environment: raw.environment ?? [:], readOnlyPaths: raw.readOnlyPaths ?? [], probe: raw.probe,
            limits: limits, image: raw.image, testRules: raw.testRules, imageInterpreter: raw.imageInterpreter,
            compileErrorPattern: raw.compileErrorPattern)
        if let problem = validate(profile) { throw fail(problem) }
        return profile
    }

    /// What is wrong with a decoded profile's values, if anything.
    static func validate(_ profile: SandboxProfile) -> String? {
        if profile.name.isEmpty { return "`name` is empty" }
        if profile.testCommand.isEmpty { return "`test_command` is empty" }
        if profile.buildCommand?.isEmpty == true { return "`build_command` is empty (leave it out instead)" }
        if profile.probe?.isEmpty == true { return "`probe` is empty (leave it out instead)" }
        if TestReportFormat(rawValue: profile.reportFormat) == nil {
            let known = TestReportFormat.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            return "`report_format` \"\(profile.reportFormat)\" is not supported (one of \(known))"
        }
        let report = profile.reportPath
        if report.isEmpty || report.hasPrefix("/") || report.split(separator: "/").contains("..") {
            return "`report_path` must be a relative path inside the workspace, not \"\(report)\""
        }
        if !profile.testFilePattern.contains("{stem}") { return "`test_file_pattern` must contain {stem}" }
        if let bad = profile.readOnlyPaths.first(where: { !$0.hasPrefix("/") }) {
            return "`read_only_paths` entry \"\(bad)\" is not absolute"
        }
        if !(profile.limits.timeoutSeconds > 0) { return "`limits.timeout_seconds` must be positive" }
        if profile.limits.outputBytes <= 0 { return "`limits.output_bytes` must be positive" }
        let optional: [(String, Double?)] = [
            ("memory_bytes", profile.limits.memoryBytes.map(Double.init)), ("max_processes", profile.limits.maxProcesses.map(Double.init)),
            ("cpu_seconds", profile.limits.cpuSeconds.map(Double.init)), ("file_size_bytes", profile.limits.fileSizeBytes.map(Double.init)),
            ("cpus", profile.limits.cpus),
        ]
        if let bad = optional.first(where: { $0.1.map { !($0 > 0) } ?? false }) { return "`limits.\(bad.0)` must be positive" }
        if let pattern = profile.compileErrorPattern, (try? NSRegularExpression(pattern: pattern)) == nil {
            return "`compile_error_pattern` \"\(pattern)\" is not a valid regular expression"
        }
        if let pattern = profile.testRules?.firstInvalidPattern() { return "`test_rules` pattern \"\(pattern)\" is not a valid regular expression" }
        return nil
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            // Some decoders already end the coding path with the missing key.
            var all = keys
            if let last, all.last?.stringValue != last.stringValue { all.append(last) }
            return all.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key `\(path(context.codingPath, key))`"
        case .typeMismatch(let type, let context):
            return "`\(path(context.codingPath))` has the wrong type (expected \(describe(type)))"
        case .valueNotFound(let type, let context):
            return "`\(path(context.codingPath))` has no value (expected \(describe(type)))"
        case .dataCorrupted(let context):
            return "`\(path(context.codingPath))`: \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is [String].Type: "an array of strings"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is [String: String].Type: "a table of strings"
        default: "\(type)"
        }
    }
}
