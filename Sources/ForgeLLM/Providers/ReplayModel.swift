import ForgeCore
import Foundation
import Synchronization

/// A ``ChatModel`` that answers from a recorded ``Cassette``: deterministic pipeline tests without
/// a model.
///
/// Each call takes the first unused interaction whose `request_hash` equals the request's
/// ``ChatRequest/fingerprint``; each recorded answer is used once, so a stage called twice with the
/// same prompt gets the answers in recorded order. A request with no recorded answer fails with
/// `.replayMismatch`, naming the stage (`purpose`) and the file.
///
/// With `rebind`, a request that matches nothing takes the next unused interaction with the same
/// purpose instead, rewrites that interaction's `request_hash` and `request`, and saves the file. A
/// developer who edits a prompt template runs the tests once with `FORGE_CASSETTE_REBIND=1` and
/// reviews the cassette diff; hand-written cassettes (`"request_hash": ""`) are filled the same way.
public final class ReplayModel: ChatModel {
    public let cassetteURL: URL
    public let rebind: Bool
    public let providerName = "replay"
    public let modelName: String
    public let supportsJSONSchema: Bool
    private let state: Mutex<State>

    private struct State {
        var cassette: Cassette
        var used: [Bool]
    }

    /// The environment variable that asks tests to re-bind cassettes.
    public static let rebindVariable = "FORGE_CASSETTE_REBIND"

    /// True when `FORGE_CASSETTE_REBIND` is `1` (or `true`/`yes`) in `environment`.
    public static func rebindRequested(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let value = environment[rebindVariable]?.lowercased() else { return false }
        return ["1", "true", "yes"].contains(value)
    }

    /// Loads a cassette.
    /// - Throws: ``ForgeError`` when the file is missing or not a cassette.
    public init(cassette: URL, rebind: Bool = false) throws {
        let loaded = try Cassette.load(from: cassette)
        cassetteURL = cassette
        self.rebind = rebind
        modelName = loaded.model
        supportsJSONSchema = loaded.supportsJSONSchema ?? true
        state = Mutex(State(cassette: loaded, used: Array(repeating: false, count: loaded.interactions.count)))
    }

    public func complete(_ request: ChatRequest,
                         progress: (@Sendable (ChatProgress) -> Void)?) async throws -> ChatResponse {
        try Task.checkCancellation()
        var response = try state.withLock { try take(request, from: &$0) }
        if response.model.isEmpty { response.model = modelName }
        if let progress, !response.content.isEmpty {
            progress(ChatProgress(completionTokens: response.usage.completionTokens, text: response.content))
        }
        return response
    }

    /// The purposes of recorded interactions no call has used yet, in file order: a test checks it
    /// is empty to prove every recorded answer was consumed.
    public func unusedInteractions() -> [String] {
        state.withLock { state in
            state.cassette.interactions.indices.filter { !state.used[$0] }.map { state.cassette.interactions[$0].purpose }
        }
    }

    private func take(_ request: ChatRequest, from state: inout State) throws -> ChatResponse {
        let fingerprint = request.fingerprint
        let interactions = state.cassette.interactions
        let unused = interactions.indices.filter { !state.used[$0] }
        if let index = unused.first(where: { interactions[$0].requestHash == fingerprint }) {
            state.used[index] = true
            return interactions[index].response
        }
        let samePurpose = unused.first { interactions[$0].purpose == request.purpose }
        if rebind, let index = samePurpose {
            state.used[index] = true
            state.cassette.interactions[index].requestHash = fingerprint
            state.cassette.interactions[index].request = request
            try state.cassette.save(to: cassetteURL)
            return interactions[index].response
        }
        throw mismatch(request, fingerprint: fingerprint, nearest: samePurpose.map { interactions[$0] },
                       unusedCount: unused.count, total: interactions.count)
    }

    private func mismatch(_ request: ChatRequest, fingerprint: String, nearest: Cassette.Interaction?,
                          unusedCount: Int, total: Int) -> ForgeError {
        let file = cassetteURL.lastPathComponent
        let message = "replay: no recorded response for the '\(request.purpose)' request (hash \(fingerprint.prefix(8))) in \(file)"
        let rebindAdvice = "run with \(Self.rebindVariable)=1 to re-bind it to the new request, then review the cassette diff"
        let hint: String
        if let nearest {
            let recorded = nearest.requestHash.isEmpty ? "is not bound to a request yet" : "was recorded for hash \(nearest.requestHash.prefix(8))"
            hint = "the next unused '\(nearest.purpose)' interaction \(recorded), so the prompt or its settings changed; \(rebindAdvice)"
        } else {
            hint = "\(file) has no unused '\(request.purpose)' interaction (\(unusedCount) of \(total) unused); "
                + "record one with RecordingModel, or add one by hand with \"request_hash\": \"\" and fill it with \(Self.rebindVariable)=1"
        }
        return ForgeError(.replayMismatch, message, hint: hint)
    }
}
