import ForgeCore

/// The record of locked test files, committed as `.forge/locked-tests.json`: path → SHA-256 of the
/// contents the test writer produced. Reviewers see exactly which tests the code was held to.
struct TestLock: Codable, Equatable {
    static let path = ".forge/locked-tests.json"

    var version = 1
    var files: [String: String]

    init(files: [String: String]) { self.files = files }

    var json: String { prettyJSON }
}
