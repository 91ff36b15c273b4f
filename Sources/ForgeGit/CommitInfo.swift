import Foundation

/// One `Key: value` line of a commit message's trailer block, e.g. `Forge-Stage: developer`.
///
/// forge records what produced each commit (run, stage, prompt variant, model, test counts) as
/// trailers so that `git interpret-trailers --parse` and CI scripts read them without forge.
public struct Trailer: Sendable, Equatable, Codable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// Who made a commit. forge uses it as both author and committer.
public struct Signature: Sendable, Equatable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// Used when neither the caller nor the repository's configuration names anyone.
    public static let forgeFallback = Signature(name: "forge", email: "forge@localhost")
}

/// What `forge log`, resume and review need to know about one commit, read out of libgit2 into
/// plain values.
public struct CommitInfo: Sendable, Equatable {
    public var id: CommitID
    public var parents: [CommitID]
    /// The full raw message, trailers included.
    public var message: String
    /// The message's first line.
    public var summary: String
    /// The trailers of the message's last paragraph, in order (git's own trailer rules).
    public var trailers: [Trailer]
    public var authorName: String
    public var authorEmail: String
    /// The author time.
    public var time: Date

    public init(
        id: CommitID, parents: [CommitID], message: String, summary: String, trailers: [Trailer],
        authorName: String, authorEmail: String, time: Date
    ) {
        self.id = id
        self.parents = parents
        self.message = message
        self.summary = summary
        self.trailers = trailers
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.time = time
    }

    /// The value of the first trailer named `key` (compared case-insensitively, as git does), or nil.
    public func trailer(_ key: String) -> String? {
        trailers.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
    }
}
