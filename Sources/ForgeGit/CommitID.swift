import CLibGit2
import ForgeCore

/// A commit's full object id (40 lowercase hex digits): what run records, branch tips and
/// `--base` resolve to.
///
/// It is plain data so it crosses threads and goes into the store as a bare JSON string; only
/// ``GitRepository`` turns it back into a libgit2 `git_oid`.
public struct CommitID: Hashable, Sendable, CustomStringConvertible, Codable {
    public let hex: String

    /// Wraps a hex id as given (lowercased). It is checked when a repository uses it.
    public init(hex: String) {
        self.hex = hex.lowercased()
    }

    /// The 8-digit abbreviation forge prints in logs and summaries.
    public var short: String { String(hex.prefix(8)) }

    public var description: String { hex }

    public init(from decoder: any Decoder) throws {
        self.init(hex: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension CommitID {
    /// SHA-1 ids: libgit2 1.5 knows no other object format.
    static let hexLength = 40

    /// The id of a libgit2 object id.
    init(_ oid: git_oid) {
        var oid = oid
        var buffer = [CChar](repeating: 0, count: CommitID.hexLength) // git_oid_fmt writes no NUL
        git_oid_fmt(&buffer, &oid)
        self.init(hex: String(decoding: buffer.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// This id as a libgit2 object id.
    ///
    /// - Throws: ``ForgeError`` `.notFound` when the text is not a full 40-digit hex id.
    func oid() throws -> git_oid {
        var oid = git_oid()
        let isFullHex = hex.utf8.count == CommitID.hexLength && hex.allSatisfy(\.isHexDigit)
        guard isFullHex, git_oid_fromstr(&oid, hex) == 0 else {
            throw ForgeError(.notFound, "'\(hex)' is not a full commit id",
                             hint: "resolve revisions with GitRepository.resolve(_:) first")
        }
        return oid
    }
}
