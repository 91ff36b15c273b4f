import CLibGit2
import Foundation
import ForgeCore

/// Committing without touching the user's working tree, index or HEAD.
extension GitRepository {
    /// Builds a commit in memory and moves `refs/heads/<branch>` to it.
    ///
    /// The new tree is the parent's tree (the empty tree when `parent` is nil) with the paths in
    /// `deleting` removed and then `writing` laid over it. Deleting a path that names a directory
    /// removes everything under it; deleting a path that does not exist is not an error, so a retry
    /// of the same stage stays harmless. A written file keeps the mode of the file it replaces (so an
    /// executable stays executable); new files are `100644`. Directories left empty disappear, as in
    /// git. The branch is created when absent; when it exists its tip must be `parent` —
    /// a compare-and-swap that is checked again atomically when the ref is written.
    ///
    /// - Parameters:
    ///   - branch: the branch name without `refs/heads/`, e.g. `forge/20261121-101500-ab12`.
    ///   - parent: the commit this one builds on; nil for a root commit.
    ///   - writing: files to add or overwrite.
    ///   - deleting: files or directories to remove.
    ///   - message: the full message; whitespace is cleaned as `git commit` does (comments kept).
    ///   - author: author and committer; nil uses the repository's configured `user.name` and
    ///     `user.email`, falling back to `forge <forge@localhost>`.
    /// - Returns: the new commit's id.
    /// - Throws: ``ForgeError`` `.branchMoved` when the branch's tip is not `parent`; `.usage` for a
    ///   blank message or bad branch name; `.invalidPath` for a bad path in `deleting`; `.git` when
    ///   libgit2 fails.
    @discardableResult
    public func commit(
        branch: String,
        parent: CommitID?,
        writing: FileSet,
        deleting: [String] = [],
        message: String,
        author: Signature? = nil
    ) throws -> CommitID {
        let refName = try Self.branchReference(branch)
        let text = try Self.cleanMessage(message)
        let tip = try branchTip(branch)
        if let tip, tip != parent {
            throw Self.branchMoved(branch, tip: tip.short, expected: parent)
        }

        let parentCommit = try parent.map(lookupCommit)
        let tree = try buildTree(base: parentCommit?.tree(), writing: writing, deleting: deleting)
        let signature = try signature(for: author)

        var newID = git_oid()
        var parents: [OpaquePointer?] = parentCommit.map { [$0.pointer] } ?? []
        try LibGit2.check(
            git_commit_create(&newID, pointer, nil, signature.pointer, signature.pointer, nil, text,
                              tree.pointer, parents.count, &parents),
            "creating a commit on '\(branch)'")

        let summary = text.prefix { $0 != "\n" }
        let reflogMessage = "forge: \(summary)"
        var reference: OpaquePointer?
        if let tip {
            var expected = try tip.oid()
            let result = git_reference_create_matching(&reference, pointer, refName, &newID, 1, &expected,
                                                       reflogMessage)
            if result == GIT_EMODIFIED.rawValue || result == GIT_ENOTFOUND.rawValue {
                throw Self.branchMoved(branch, tip: "a new commit", expected: parent)
            }
            try LibGit2.check(result, "moving branch '\(branch)'")
        } else {
            let result = git_reference_create(&reference, pointer, refName, &newID, 0, reflogMessage)
            if result == GIT_EEXISTS.rawValue {
                throw Self.branchMoved(branch, tip: "a commit made meanwhile", expected: parent)
            }
            try LibGit2.check(result, "creating branch '\(branch)'")
        }
        _ = ReferenceHandle(reference!)
        return CommitID(newID)
    }

    /// Lays `writing` over `base` (after removing `deleting`) in an in-memory index and writes the
    /// resulting tree object. `.git/index` is never read or written.
    func buildTree(base: TreeHandle?, writing: FileSet, deleting: [String]) throws -> TreeHandle {
        let index = try InMemoryIndex()
        if let base {
            try LibGit2.check(git_index_read_tree(index.pointer, base.pointer), "reading the parent tree")
        }
        for path in deleting {
            let normalized = try FileSet.validate(path: path)
            if git_index_get_bypath(index.pointer, normalized, 0) != nil {
                try LibGit2.check(git_index_remove(index.pointer, normalized, 0), "deleting '\(normalized)'")
            } else {
                try LibGit2.check(git_index_remove_directory(index.pointer, normalized, 0),
                                  "deleting directory '\(normalized)'")
            }
        }
        for path in writing.paths {
            let blob = try writeBlob(writing[path] ?? Data(), path: path)
            let existing = git_index_get_bypath(index.pointer, path, 0)?.pointee.mode
            var entry = git_index_entry()
            entry.mode = existing.flatMap(Self.keptMode) ?? GitMode.file
            entry.id = blob
            entry.file_size = UInt32(truncatingIfNeeded: writing[path]?.count ?? 0)
            let result = path.withCString { cPath in
                entry.path = cPath
                return git_index_add(index.pointer, &entry)
            }
            try LibGit2.check(result, "adding '\(path)' to the commit")
        }
        var treeID = git_oid()
        try LibGit2.check(git_index_write_tree_to(&treeID, index.pointer, pointer), "writing the commit's tree")
        return try lookupTree(treeID)
    }

    /// The mode a file written over an existing entry keeps: regular, executable and symlink modes
    /// survive; a submodule (gitlink) becomes a regular file, since forge writes bytes.
    private static func keptMode(_ mode: UInt32) -> UInt32? {
        [GitMode.file, GitMode.executable, GitMode.symlink].contains(mode) ? mode : nil
    }

    /// Stores `data` as a blob object and returns its id.
    func writeBlob(_ data: Data, path: String) throws -> git_oid {
        var oid = git_oid()
        var empty: UInt8 = 0
        let result = data.withUnsafeBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 {
                return git_blob_create_from_buffer(&oid, pointer, base, raw.count)
            }
            return git_blob_create_from_buffer(&oid, pointer, &empty, 0)
        }
        try LibGit2.check(result, "writing the contents of '\(path)'")
        return oid
    }

    /// The author (and committer) for a new commit, timestamped now.
    func signature(for author: Signature?) throws -> SignatureHandle {
        var signature: UnsafeMutablePointer<git_signature>?
        if let author {
            try LibGit2.check(git_signature_now(&signature, author.name, author.email),
                              "using author '\(author.name) <\(author.email)>'",
                              hint: "author names and emails must be non-empty and contain no '<' or '>'")
            return SignatureHandle(signature!)
        }
        if git_signature_default(&signature, pointer) == 0, let signature {
            return SignatureHandle(signature)
        }
        // No usable user.name/user.email in the repository's configuration: fall back.
        let fallback = Signature.forgeFallback
        try LibGit2.check(git_signature_now(&signature, fallback.name, fallback.email), "making forge's signature")
        return SignatureHandle(signature!)
    }

    /// `message` cleaned as `git commit --cleanup=whitespace` does: trailing spaces and blank lines
    /// removed, runs of blank lines collapsed, one final newline. `#` lines are kept (they may be
    /// Markdown headings).
    static func cleanMessage(_ message: String) throws -> String {
        LibGit2.ensureInitialized()
        let buffer = GitBuffer()
        try LibGit2.check(git_message_prettify(&buffer.buffer, message, 0, CChar(UInt8(ascii: "#"))),
                          "cleaning up the commit message")
        let text = buffer.string
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ForgeError(.usage, "refusing to commit with an empty message",
                             hint: "give the commit a summary line, e.g. 'forge(developer): implement the parser'")
        }
        return text
    }

    private static func branchMoved(_ branch: String, tip: String, expected: CommitID?) -> ForgeError {
        ForgeError(.branchMoved,
                   "branch '\(branch)' moved: its tip is \(tip), but the commit was built on \(expected?.short ?? "no parent")",
                   hint: "another forge process or a person committed to '\(branch)'; resume from its current tip or start a new run")
    }
}
