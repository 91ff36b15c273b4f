import ForgeCore
import Foundation
import Synchronization

/// A ``ChatModel`` that passes calls to another model and appends each request and its answer to a
/// cassette file, saved after every call, so a real model's transcript can be replayed later by
/// ``ReplayModel`` (this is how `Fixtures/cassettes/` are captured).
///
/// An existing cassette is appended to; a new one takes the inner model's provider and model names.
public final class RecordingModel: ChatModel {
    public let inner: any ChatModel
    public let cassetteURL: URL
    private let cassette: Mutex<Cassette>

    /// - Throws: ``ForgeError`` when `cassette` exists but cannot be read as one.
    public init(wrapping inner: any ChatModel, cassette: URL) throws {
        self.inner = inner
        cassetteURL = cassette
        if FileManager.default.fileExists(atPath: cassette.path) {
            self.cassette = Mutex(try Cassette.load(from: cassette))
        } else {
            self.cassette = Mutex(Cassette(provider: inner.providerName, model: inner.modelName,
                                           supportsJSONSchema: inner.supportsJSONSchema))
        }
    }

    public var providerName: String { inner.providerName }
    public var modelName: String { inner.modelName }
    public var supportsJSONSchema: Bool { inner.supportsJSONSchema }

    public func complete(_ request: ChatRequest,
                         progress: (@Sendable (ChatProgress) -> Void)?) async throws -> ChatResponse {
        let response = try await inner.complete(request, progress: progress)
        try cassette.withLock { cassette in
            cassette.interactions.append(Cassette.Interaction(request: request, response: response))
            try cassette.save(to: cassetteURL)
        }
        return response
    }

    /// The cassette as recorded so far.
    public var recorded: Cassette { cassette.withLock { $0 } }
}
