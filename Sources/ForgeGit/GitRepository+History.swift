import CLibGit2
import Foundation
import ForgeCore

/// Reading history back: what `forge log`, `forge resume` and review need.
extension GitRepository {
    /// The id, parents, message, trailers and author of commit `id`.
    ///
    /// - Throws: ``ForgeError`` `.notFound` when the repository has no such commit.
    public func commitInfo(_ id: CommitID) throws -> CommitInfo {
        let commit = try lookupCommit(id)
        let message = git_commit_message_raw(commit.pointer).map { String(cString: $0) } ?? ""
        let author = git_commit_author(commit.pointer).pointee
        let summary = message.split(separator: "\n", omittingEmptySubsequences: true)
            .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { String($0) } ?? ""
        return CommitInfo(
            id: commit.id,
            parents: commit.parentIDs,
            message: message,
            summary: summary,
            trailers: Self.parseTrailers(message),
            authorName: String(cString: author.name),
            authorEmail: String(cString: author.email),
            time: Date(timeIntervalSince1970: TimeInterval(author.when.time))
        )
    }

    /// The commits of `branch`, newest first, following first parents from its tip and stopping
    /// before `base` and anything reachable from it (`git log --first-parent base..branch`).
    ///
    /// - Throws: ``ForgeError`` `.notFound` when the branch does not exist.
    public func log(branch: String, until base: CommitID? = nil) throws -> [CommitInfo] {
        guard let tip = try branchTip(branch) else {
            throw ForgeError(.notFound, "no branch '\(branch)'",
                             hint: "list forge's branches with `git branch --list 'forge/*'`")
        }
        var walker: OpaquePointer?
        try LibGit2.check(git_revwalk_new(&walker, pointer), "walking the history of '\(branch)'")
        let walk = RevwalkHandle(walker!, in: self)
        try LibGit2.check(git_revwalk_sorting(walk.pointer, GIT_SORT_TOPOLOGICAL.rawValue),
                          "walking the history of '\(branch)'")
        try LibGit2.check(git_revwalk_simplify_first_parent(walk.pointer), "walking the history of '\(branch)'")
        var start = try tip.oid()
        try LibGit2.check(git_revwalk_push(walk.pointer, &start), "walking the history of '\(branch)'")
        if let base {
            var stop = try base.oid()
            try LibGit2.check(git_revwalk_hide(walk.pointer, &stop), "hiding base \(base.short)",
                              notFound: .notFound)
        }
        var commits: [CommitInfo] = []
        while true {
            var oid = git_oid()
            let result = git_revwalk_next(&oid, walk.pointer)
            if result == GIT_ITEROVER.rawValue { break }
            try LibGit2.check(result, "walking the history of '\(branch)'")
            commits.append(try commitInfo(CommitID(oid)))
        }
        return commits
    }

    /// The unified patch (as `git diff from to`) between two commits, limited to `paths` when given
    /// (git pathspecs: a directory matches everything under it). An empty `paths` selects nothing.
    ///
    /// - Parameter from: the old side; nil diffs against the empty tree (everything is added).
    public func diff(from: CommitID?, to: CommitID, paths: [String]? = nil) throws -> String {
        if let paths, paths.isEmpty { return "" }
        let oldTree = try from.map { try lookupCommit($0).tree() }
        let newTree = try lookupCommit(to).tree()
        var options = git_diff_options()
        try LibGit2.check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "preparing a diff")
        let pathspec = CStringArray(paths ?? [])
        var diff: OpaquePointer?
        let result = pathspec.withStrarray { strarray in
            options.pathspec = strarray
            return git_diff_tree_to_tree(&diff, pointer, oldTree?.pointer, newTree.pointer, &options)
        }
        try LibGit2.check(result, "diffing \(from?.short ?? "the empty tree")..\(to.short)")
        let handle = DiffHandle(diff!, in: self)
        let buffer = GitBuffer()
        try LibGit2.check(git_diff_to_buf(&buffer.buffer, handle.pointer, GIT_DIFF_FORMAT_PATCH),
                          "printing the diff \(from?.short ?? "the empty tree")..\(to.short)")
        return buffer.string
    }

    /// The trailers of a commit message's last paragraph (`Key: value` lines), in order, parsed by
    /// libgit2 with git's own rules so the result matches `git interpret-trailers --parse`.
    public static func parseTrailers(_ message: String) -> [Trailer] {
        LibGit2.ensureInitialized()
        var array = git_message_trailer_array()
        guard git_message_trailers(&array, message) == 0 else { return [] }
        defer { git_message_trailer_array_free(&array) }
        return (0..<array.count).compactMap { index in
            let trailer = array.trailers[index]
            guard let key = trailer.key, let value = trailer.value else { return nil }
            return Trailer(String(cString: key), String(cString: value))
        }
    }
}

/// A Swift string array as a C `char **` that lives as long as this object, for libgit2's
/// `git_strarray` arguments (pathspecs).
final class CStringArray {
    private var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) }
    }

    deinit { pointers.forEach { free($0) } }

    func withStrarray<R>(_ body: (git_strarray) -> R) -> R {
        pointers.withUnsafeMutableBufferPointer { buffer in
            body(git_strarray(strings: buffer.baseAddress, count: buffer.count))
        }
    }
}
