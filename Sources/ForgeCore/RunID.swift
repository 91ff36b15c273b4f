import Foundation

/// Names one `forge build` run: its branch is `forge/<run-id>`, its rows in the store carry it.
///
/// The form is `YYYYMMDD-HHMMSS-xxxx` (UTC time plus four random hex digits) so that run ids sort by
/// start time in `git branch` and `forge log`, and two runs started in the same second still differ.
public struct RunID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// A fresh id for a run starting at `date`.
    public static func generate(at date: Date = Date()) -> RunID {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let stamp = String(
            format: "%04d%02d%02d-%02d%02d%02d",
            c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0
        )
        let suffix = String(format: "%04x", UInt16.random(in: .min ... .max))
        return RunID(rawValue: "\(stamp)-\(suffix)")
    }

    /// The branch the run commits to.
    public var branchName: String { "forge/\(rawValue)" }

    public var description: String { rawValue }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
