import Foundation

/// Splits a `text/event-stream` body into events' data payloads, as bytes arrive in arbitrary pieces.
///
/// Follows the parts of the SSE format that chat servers use: `data:` lines (several make one event,
/// joined by newlines), a blank line ending the event, `:` comment lines (keep-alive pings) and other
/// fields ignored, and `\n`, `\r\n` or `\r` line ends.
struct ServerSentEventParser {
    private var buffer = Data()
    private var dataLines: [String] = []
    private var sawCarriageReturn = false

    /// Feeds bytes; returns the data of every event they completed.
    mutating func feed(_ bytes: Data) -> [String] {
        var events: [String] = []
        for byte in bytes {
            if sawCarriageReturn {
                sawCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                sawCarriageReturn = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            } else {
                buffer.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: a last event without its blank line still counts.
    mutating func finish() -> [String] {
        var events: [String] = []
        if !buffer.isEmpty, let event = endLine() { events.append(event) }
        if !dataLines.isEmpty {
            events.append(dataLines.joined(separator: "\n"))
            dataLines = []
        }
        return events
    }

    private mutating func endLine() -> String? {
        let line = String(decoding: buffer, as: UTF8.self)
        buffer.removeAll(keepingCapacity: true)
        if line.isEmpty {
            guard !dataLines.isEmpty else { return nil }
            defer { dataLines = [] }
            return dataLines.joined(separator: "\n")
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = ""
        }
        if field == "data" { dataLines.append(String(value)) }
        return nil
    }
}
