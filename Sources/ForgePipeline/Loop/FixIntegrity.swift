import ForgeCore
import ForgeSandbox

/// What a fix may not do, checked on every file it writes before anything runs: edit a locked test
/// (unless the analyst unlocked it, with a reason), touch test configuration, add a skip or xfail
/// marker, put test code into a source file, or leave a function of it as a stub. A violation goes
/// back to the model as a repair request; it is never applied. Test code in a source file that the
/// profile's source rewrites can take out (a module-level `assert`) is taken out first, see
/// ``repaired(path:content:)``.
struct FixIntegrity {
    var rules: TestFileRules?
    var lockedTests: Set<String>
    var unlockedTests: Set<String> = []

    /// - Parameter stubs: whether a function left without a body is a problem (off where the
    ///   caller names the same fault in its own words).
    func problems(path: String, content: String, stubs: Bool = true) -> [String] {
        var problems: [String] = []
        if lockedTests.contains(path), !unlockedTests.contains(path) {
            problems.append("\(path) is a locked test file: change the code under test, not the tests")
        }
        if rules?.isProtected(path) == true {
            problems.append("\(path) is test configuration, which a fix may not create or change")
        }
        if let marker = rules?.skipMarker(in: content) {
            problems.append("the answer adds `\(marker)`: a skipped or expected-to-fail test is not a passing test; make it pass instead")
        }
        if !lockedTests.contains(path) {
            problems += rules?.sourceViolations(in: content) ?? []
            if stubs { problems += rules?.stubViolations(in: content) ?? [] }
        }
        return problems
    }

    /// `content` with the profile's source rewrites applied when `path` is a source file (test
    /// code the model appended, taken out without a repair round); a test file is left as written.
    func repaired(path: String, content: String) -> String {
        lockedTests.contains(path) ? content : rules?.sourceRewritten(content) ?? content
    }
}
