import Foundation
import ForgeCore

/// Pulls the useful part out of a model's answer: a JSON object, or the code of one file.
///
/// Models wrap answers in prose and fences even when asked not to; these functions accept the common
/// shapes and report why an answer was unusable, so the repair request can quote the reason.
public enum OutputExtractor {
    /// A fenced block: its info string (`python`, `json`, `textstats.py`, …) and body.
    public struct Fence: Equatable, Sendable {
        public var info: String
        public var body: String
    }

    /// The JSON object in `text`: the whole answer, else a fenced block, else the span from the first
    /// `{` to the last `}`.
    ///
    /// - Returns: the value, or a one-line reason it could not be read.
    public static func json(from text: String) -> Result<JSONValue, ExtractionFailure> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .failure(ExtractionFailure("the answer was empty")) }
        var candidates = [trimmed]
        candidates += fences(in: text).map(\.body)
        if let open = trimmed.firstIndex(of: "{"), let close = trimmed.lastIndex(of: "}"), open < close {
            candidates.append(String(trimmed[open ... close]))
        }
        var firstError: String?
        // Raw newlines and tabs inside strings are the most common slip (even under a JSON grammar);
        // escaping them loses nothing, so each candidate is also tried in that repaired form.
        candidates = candidates.flatMap { [$0, escapingControlCharactersInStrings($0)] }
        for candidate in candidates {
            do {
                let value = try JSONValue(parsing: candidate)
                if case .object = value { return .success(value) }
                firstError = firstError ?? "the answer is JSON but not an object (found \(value.typeName))"
            } catch {
                firstError = firstError ?? "the answer is not valid JSON (\(describe(error)))"
            }
        }
        return .failure(ExtractionFailure(firstError ?? "no JSON object found in the answer"))
    }

    /// The contents of one source file in `text`: the fenced block tagged with the file's language or
    /// name (the longest when several), else the only fenced block, else nil.
    public static func code(from text: String, path: String, language: String) -> String? {
        let blocks = fences(in: text).filter { !$0.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if blocks.isEmpty { return nil }
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let tagged = blocks.filter { block in
            let info = block.info.lowercased()
            return info.hasPrefix(language.lowercased()) || info.contains(fileName.lowercased())
                || (language.lowercased() == "python" && info.hasPrefix("py"))
        }
        let chosen = (tagged.isEmpty ? blocks : tagged).max { $0.body.count < $1.body.count }!
        var body = chosen.body
        if !body.hasSuffix("\n") { body += "\n" }
        return body
    }

    /// Every fenced block (```` ``` ```` or `~~~`), in order. An unterminated last fence runs to the end
    /// of the answer, because answers cut by the token limit still carry usable text.
    public static func fences(in text: String) -> [Fence] {
        var result: [Fence] = []
        var current: (marker: String, info: String, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let stripped = line.trimmingCharacters(in: .whitespaces)
            if var open = current {
                if stripped == open.marker || (stripped.hasPrefix(open.marker) && stripped.allSatisfy { $0 == open.marker.first }) {
                    result.append(Fence(info: open.info, body: open.lines.joined(separator: "\n")))
                    current = nil
                } else {
                    open.lines.append(line)
                    current = open
                }
            } else if stripped.hasPrefix("```") || stripped.hasPrefix("~~~") {
                let marker = String(stripped.prefix(3))
                current = (marker, String(stripped.dropFirst(3)).trimmingCharacters(in: .whitespaces), [])
            }
        }
        if let open = current, !open.lines.isEmpty {
            result.append(Fence(info: open.info, body: open.lines.joined(separator: "\n")))
        }
        return result
    }

    /// `text` with control characters inside JSON string literals written as escapes.
    static func escapingControlCharactersInStrings(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var inString = false
        var escaped = false
        for scalar in text.unicodeScalars {
            if inString {
                if escaped {
                    escaped = false
                } else if scalar == "\\" {
                    escaped = true
                } else if scalar == "\"" {
                    inString = false
                } else if scalar.value < 0x20 {
                    switch scalar {
                    case "\n": result += "\\n"
                    case "\r": result += "\\r"
                    case "\t": result += "\\t"
                    default: result += String(format: "\\u%04x", scalar.value)
                    }
                    continue
                }
            } else if scalar == "\"" {
                inString = true
            }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        // Foundation's decoding errors are long; the debug description is the useful part.
        if let range = text.range(of: "debugDescription: \"") {
            let rest = text[range.upperBound...]
            return String(rest.prefix { $0 != "\"" })
        }
        return String(text.prefix(200))
    }
}

/// Why a model answer could not be used, worded for both the user and the repair request.
public struct ExtractionFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
