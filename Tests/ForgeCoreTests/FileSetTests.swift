import ForgeCore
import Foundation
import Testing

@Suite struct FileSetTests {
    @Test(arguments: ["/etc/passwd", "../x.py", "a/../../b", ".git/config", "src/.git/hooks/x", "", "   ", "~/x", "a\\b"])
    func rejectsUnsafePaths(_ path: String) {
        #expect(throws: ForgeError.self) { try FileSet.validate(path: path) }
    }

    @Test func normalisesHarmlessForms() throws {
        #expect(try FileSet.validate(path: "./src//app.py") == "src/app.py")
        #expect(try FileSet.validate(path: " textstats.py\n") == "textstats.py")
    }

    @Test func invalidPathErrorSaysWhatToDo() {
        do {
            _ = try FileSet(["../../etc/shadow": "x"])
            Issue.record("expected an error")
        } catch let error as ForgeError {
            #expect(error.code == .invalidPath)
            #expect(error.message.contains("../../etc/shadow"))
            #expect(error.hint?.contains("relative") == true)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func mergeAndChangedPaths() throws {
        let base = try FileSet(["a.py": "1", "b.py": "2"])
        let update = try FileSet(["b.py": "3", "c.py": "4"])
        let merged = base.merging(update)
        #expect(merged.paths == ["a.py", "b.py", "c.py"])
        #expect(merged.text("b.py") == "3")
        #expect(merged.changedPaths(comparedTo: base) == ["b.py", "c.py"])
    }
}
