import Foundation
import Synchronization

/// Turns the installer's stream of lines — forge's own steps mixed with pip's verbose build log, where
/// each compiler step is one enormous command line — into progress a person can read: forge's
/// steps and pip's milestones as they come, compiler steps as `building llama.cpp: 63/193` every
/// tenth of the way. The rest is dropped; on failure the installer's error quotes pip's last lines.
final class InstallProgress: Sendable {
    private let lastShownStep = Mutex(-1)
    private let write: @Sendable (String) -> Void

    init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    func line(_ text: String) {
        if let line = filtered(text) { write(line) }
    }

    func filtered(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let (step, total) = Self.buildStep(trimmed) {
            let bucket = total > 0 ? step * 10 / total : 0
            let show = lastShownStep.withLock { last -> Bool in
                guard bucket > last || step == total else { return false }
                last = bucket
                return true
            }
            return show ? "building llama.cpp: \(step)/\(total)" : nil
        }
        let milestones = ["Collecting ", "Building wheel", "Successfully ", "Installing collected", "ERROR", "error:"]
        if milestones.contains(where: { trimmed.hasPrefix($0) }) { return trimmed }
        // forge's own lines are short sentences; pip's verbose output is indented or very long.
        if !text.hasPrefix(" "), trimmed.count < 160, !trimmed.contains("/tmp/pip-") { return trimmed }
        return nil
    }

    /// `[63/193] /usr/bin/g++ …` → (63, 193).
    static func buildStep(_ text: String) -> (Int, Int)? {
        guard text.hasPrefix("["), let close = text.firstIndex(of: "]") else { return nil }
        let parts = text[text.index(after: text.startIndex) ..< close].split(separator: "/")
        guard parts.count == 2, let step = Int(parts[0]), let total = Int(parts[1]) else { return nil }
        return (step, total)
    }
}
