import Foundation

/// Runs the git CLI in `directory`: the independent witness of what forge did to a repository.
///
/// - Returns: stdout and stderr together.
/// - Throws: ``GitCLIError`` when git exits non-zero.
@discardableResult
public func git(_ arguments: String..., in directory: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(
        ["GIT_AUTHOR_NAME": "Test User", "GIT_AUTHOR_EMAIL": "test@example.com",
         "GIT_COMMITTER_NAME": "Test User", "GIT_COMMITTER_EMAIL": "test@example.com"]) { _, new in new }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else { throw GitCLIError(arguments: arguments, output: text) }
    return text
}

public struct GitCLIError: Error, CustomStringConvertible {
    public var arguments: [String]
    public var output: String
    public var description: String { "git \(arguments.joined(separator: " ")) failed: \(output)" }
}
