import Foundation

/// An answer that only repeats the code the request shows: the signature and its docstring, perhaps
/// with comments added, and no body. The local 1.5B model does this often from the second opinion's
/// prompt (7 of 40 bench tasks at temperature 0), and such a draw answers None everywhere: it
/// contests a green first code for nothing and wastes a test run. Caught here, it gets the one
/// repair request every answer may have.
///
/// Language-neutral on purpose: a line counts as new code when the request does not contain it,
/// so an answer is an echo when it has no line of its own beyond comments and placeholders.
enum RequestEcho {
    /// Lines that stand for a missing body, not for code.
    private static let placeholders: Set<String> = ["pass", "...", "raise NotImplementedError", "raise NotImplementedError()"]

    /// Why `code` cannot be used as an answer to `request`, or nil when it writes something out.
    static func problem(code: String, request: String, path: String) -> String? {
        let stated = Set(request.split(separator: "\n", omittingEmptySubsequences: true).map(normalised))
        let lines = code.split(separator: "\n").map(normalised).filter { !$0.isEmpty && !isComment($0) }
        guard !lines.isEmpty, lines.allSatisfy({ stated.contains($0) || placeholders.contains($0) }) else { return nil }
        // Worded after what worked: told only "no function is written out", the model sent the
        // same stub again; told where the code goes, it wrote it.
        return "it only repeats the code the request shows, and the functions in \(path) have no code after their docstrings: "
            + "write the code that computes each result, below the docstring"
    }

    private static func normalised(_ line: Substring) -> String {
        line.trimmingCharacters(in: .whitespaces)
    }

    private static func isComment(_ line: String) -> Bool {
        line.hasPrefix("#") || line.hasPrefix("//")
    }
}
