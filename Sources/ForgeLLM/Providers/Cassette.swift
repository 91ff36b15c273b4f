import ForgeCore
import Foundation

/// A recorded transcript of model calls, replayed by ``ReplayModel`` for deterministic tests.
///
/// The file is JSON, pretty-printed with sorted keys, so that it can be reviewed in a git diff:
/// ```
/// {"version": 1, "provider": "local", "model": "qwen2.5-coder-1.5b-instruct",
///  "interactions": [{"purpose": "pm", "request_hash": "<fingerprint>", "request": {…}, "response": {…}}]}
/// ```
/// A hand-written interaction may have `"request_hash": ""` and `"request": null`; a run with
/// re-binding fills them in.
public struct Cassette: Sendable, Codable, Equatable {
    public struct Interaction: Sendable, Codable, Equatable {
        public var purpose: String
        /// The request's ``ChatRequest/fingerprint``; empty when not yet bound.
        public var requestHash: String
        /// The request as sent, for reviewers; null when not yet bound.
        public var request: ChatRequest?
        public var response: ChatResponse

        public init(purpose: String, requestHash: String, request: ChatRequest?, response: ChatResponse) {
            self.purpose = purpose
            self.requestHash = requestHash
            self.request = request
            self.response = response
        }

        /// Binds the interaction to `request`.
        public init(request: ChatRequest, response: ChatResponse) {
            self.init(purpose: request.purpose, requestHash: request.fingerprint, request: request, response: response)
        }

        enum CodingKeys: String, CodingKey {
            case purpose, request, response
            case requestHash = "request_hash"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            purpose = try container.decode(String.self, forKey: .purpose)
            requestHash = try container.decodeIfPresent(String.self, forKey: .requestHash) ?? ""
            request = try container.decodeIfPresent(ChatRequest.self, forKey: .request)
            response = try container.decode(ChatResponse.self, forKey: .response)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(purpose, forKey: .purpose)
            try container.encode(requestHash, forKey: .requestHash)
            // An unbound request stays visible as null, the form people write by hand.
            if let request { try container.encode(request, forKey: .request) } else { try container.encodeNil(forKey: .request) }
            try container.encode(response, forKey: .response)
        }
    }

    public static let currentVersion = 1

    public var version: Int
    /// The provider that recorded the answers (`local`, `openai`, …).
    public var provider: String
    public var model: String
    /// Whether the recording provider honoured JSON schemas; absent means yes. Replays report the
    /// same, so prompts (which may depend on it) come out the same as when recorded.
    public var supportsJSONSchema: Bool?
    public var interactions: [Interaction]

    public init(provider: String, model: String, supportsJSONSchema: Bool? = nil, interactions: [Interaction] = []) {
        version = Self.currentVersion
        self.provider = provider
        self.model = model
        self.supportsJSONSchema = supportsJSONSchema
        self.interactions = interactions
    }

    enum CodingKeys: String, CodingKey {
        case version, provider, model, interactions
        case supportsJSONSchema = "supports_json_schema"
    }

    /// Reads a cassette file.
    /// - Throws: ``ForgeError`` `.notFound` when the file is missing, `.config` when it is not a
    ///   cassette of a version this forge reads.
    public static func load(from url: URL) throws -> Cassette {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ForgeError(.notFound, "cannot read cassette \(url.path): \(error.localizedDescription)",
                             hint: "check the path; cassettes live in Fixtures/cassettes/")
        }
        let cassette: Cassette
        do {
            cassette = try JSONDecoder().decode(Cassette.self, from: data)
        } catch {
            throw ForgeError(.config, "cassette \(url.lastPathComponent) is not valid: \(describe(error))",
                             hint: "each interaction needs purpose and response (request_hash and request may be \"\" and null)")
        }
        guard cassette.version == currentVersion else {
            throw ForgeError(.config, "cassette \(url.lastPathComponent) has version \(cassette.version); this forge reads version \(currentVersion)",
                             hint: "re-record the cassette")
        }
        return cassette
    }

    /// The file's text: pretty-printed, sorted keys, a final newline.
    public var fileText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes the cassette atomically, creating its directory.
    /// - Throws: ``ForgeError`` `.io` naming the file.
    public func save(to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(fileText.utf8).write(to: url, options: .atomic)
        } catch {
            throw ForgeError(.io, "cannot write cassette \(url.path): \(error.localizedDescription)",
                             hint: "check that the directory is writable")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "missing '\(key.stringValue)' at \(path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "the top level" : text
    }
}
