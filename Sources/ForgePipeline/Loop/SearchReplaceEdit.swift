import Foundation
import ForgeCore

/// An edit given as search/replace blocks, the form larger models use for small changes:
///
///     textstats.py
///     <<<<<<< SEARCH
///     words = text.split()
///     =======
///     words = text.lower().split()
///     >>>>>>> REPLACE
///
/// A block applies only where its SEARCH text occurs exactly once in the file. Anything else — no
/// match, several matches — is reported back to the model, never applied loosely: a fuzzy match that
/// edits the wrong line is worse than no edit.
struct SearchReplaceEdit: Equatable {
    struct Block: Equatable {
        var path: String?
        var search: String
        var replace: String
    }

    var blocks: [Block]

    /// The blocks in `answer`, or nil when it has none.
    static func parse(_ answer: String) -> SearchReplaceEdit? {
        let lines = answer.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            guard lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("<<<<<<< SEARCH") else {
                index += 1
                continue
            }
            let path = precedingPath(lines, before: index)
            var search: [String] = []
            var replace: [String] = []
            var inReplace = false
            var closed = false
            index += 1
            while index < lines.count {
                let marker = lines[index].trimmingCharacters(in: .whitespaces)
                if !inReplace, marker == "=======" {
                    inReplace = true
                } else if inReplace, marker.hasPrefix(">>>>>>> REPLACE") {
                    closed = true
                    break
                } else if inReplace {
                    replace.append(lines[index])
                } else {
                    search.append(lines[index])
                }
                index += 1
            }
            if closed { blocks.append(Block(path: path, search: search.joined(separator: "\n"), replace: replace.joined(separator: "\n"))) }
            index += 1
        }
        return blocks.isEmpty ? nil : SearchReplaceEdit(blocks: blocks)
    }

    /// Applies the blocks meant for `path` to `content`.
    ///
    /// - Returns: the new content, or the problems to report back (one per block that does not apply).
    func apply(to content: String, path: String) -> Result<String, ExtractionFailure> {
        var result = content
        var problems: [String] = []
        for (number, block) in blocks.enumerated() {
            if let target = block.path, target != path, !path.hasSuffix("/" + target) {
                problems.append("block \(number + 1) edits \(target), but this answer may only edit \(path)")
                continue
            }
            if block.search.isEmpty {
                problems.append("block \(number + 1) has an empty SEARCH section")
                continue
            }
            let occurrences = result.components(separatedBy: block.search).count - 1
            switch occurrences {
            case 1:
                result = result.replacingOccurrences(of: block.search, with: block.replace)
            case 0:
                problems.append("the SEARCH text of block \(number + 1) does not occur in \(path) exactly as written (first line: \"\(block.search.split(separator: "\n").first ?? "")\"); copy it character for character from the current file")
            default:
                problems.append("the SEARCH text of block \(number + 1) occurs \(occurrences) times in \(path); include more lines so it matches once")
            }
        }
        return problems.isEmpty ? .success(result) : .failure(ExtractionFailure(problems.joined(separator: "; ")))
    }

    /// A file name on its own line just before the block (possibly in backticks or after "File:").
    private static func precedingPath(_ lines: [String], before index: Int) -> String? {
        var cursor = index - 1
        while cursor >= 0 {
            let line = lines[cursor].trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("```") { cursor -= 1; continue }
            var candidate = line
            for prefix in ["File:", "file:", "Path:", "path:"] where candidate.hasPrefix(prefix) {
                candidate = String(candidate.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            }
            candidate = candidate.trimmingCharacters(in: CharacterSet(charactersIn: "`*"))
            guard !candidate.contains(" "), candidate.contains("."), let clean = try? FileSet.validate(path: candidate) else { return nil }
            return clean
        }
        return nil
    }
}
