import CLibGit2
import Foundation
import ForgeCore

/// The user's git repository, as forge sees it: a store of objects plus the `forge/<run-id>`
/// branches forge owns.
///
/// forge's promise is that it never modifies the user's working tree, index or HEAD: every commit is
/// built in memory (blobs → in-memory index → tree → commit) and only `refs/heads/<branch>` moves.
/// The class owns one `git_repository` handle and frees it in deinit. It is deliberately not
/// Sendable — libgit2 handles must not be used from two threads at once; open one per task instead.
public final class GitRepository {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { git_repository_free(pointer) }

    /// Finds the repository containing `directory`, walking up through parent directories as `git`
    /// does.
    ///
    /// - Throws: ``ForgeError`` `.notARepository` when no parent is a repository; `.git` when one is
    ///   found but cannot be opened (e.g. it is owned by another user).
    public static func discover(startingAt directory: URL) throws -> GitRepository {
        try open(directory, flags: 0)
    }

    /// Opens the repository whose working tree (or bare git directory) is exactly `directory`.
    ///
    /// - Throws: ``ForgeError`` `.notARepository` when `directory` is not a repository itself.
    public static func open(at directory: URL) throws -> GitRepository {
        try open(directory, flags: GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue)
    }

    /// Creates a new, empty repository (HEAD unborn) in `directory`, which may already exist.
    ///
    /// For scratch repositories forge owns, such as one per `forge bench` task; forge never creates a
    /// repository in a place the user gave it.
    public static func initialize(at directory: URL) throws -> GitRepository {
        LibGit2.ensureInitialized()
        var repository: OpaquePointer?
        try LibGit2.check(git_repository_init(&repository, directory.standardizedFileURL.path, 0),
                          "creating a git repository at '\(directory.path)'", hint: "check that the directory is writable")
        return GitRepository(repository!)
    }

    private static func open(_ directory: URL, flags: UInt32) throws -> GitRepository {
        LibGit2.ensureInitialized()
        let path = directory.standardizedFileURL.path
        var repository: OpaquePointer?
        let result = git_repository_open_ext(&repository, path, flags, nil)
        if result == GIT_ENOTFOUND.rawValue {
            throw ForgeError(.notARepository, "'\(path)' is not inside a git repository",
                             hint: "run forge inside a git repository (git init)")
        }
        try LibGit2.check(result, "opening the git repository at '\(path)'",
                          hint: "check that the repository is readable and owned by you (git config safe.directory)")
        return GitRepository(repository!)
    }

    /// The working tree's root, or nil for a bare repository.
    public var workdir: URL? {
        git_repository_workdir(pointer).map { URL(fileURLWithPath: String(cString: $0), isDirectory: true) }
    }

    /// The `.git` directory (or the repository itself when bare).
    public var gitDirectory: URL {
        URL(fileURLWithPath: String(cString: git_repository_path(pointer)), isDirectory: true)
    }

    /// The commit HEAD points at, or nil when HEAD is unborn (a fresh `git init` with no commits).
    public func head() throws -> CommitID? {
        let unborn = git_repository_head_unborn(pointer)
        try LibGit2.check(unborn, "reading HEAD")
        if unborn == 1 { return nil }
        var oid = git_oid()
        try LibGit2.check(git_reference_name_to_id(&oid, pointer, "HEAD"), "resolving HEAD")
        return CommitID(oid)
    }

    /// Resolves a revision (`HEAD`, `main~2`, a tag, a short or full id) to a commit, peeling tags.
    ///
    /// - Throws: ``ForgeError`` `.notFound` when the revision names nothing, is ambiguous, or does
    ///   not lead to a commit.
    public func resolve(_ revision: String) throws -> CommitID {
        let hint = "check the revision with `git rev-parse --verify '\(revision)^{commit}'`"
        var object: OpaquePointer?
        let result = git_revparse_single(&object, pointer, revision)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EAMBIGUOUS.rawValue
            || result == GIT_EINVALIDSPEC.rawValue {
            throw LibGit2.failure(result, "unknown revision '\(revision)'", code: .notFound, hint: hint)
        }
        try LibGit2.check(result, "resolving revision '\(revision)'", hint: hint)
        let found = ObjectHandle(object!, in: self)
        var peeled: OpaquePointer?
        let peelResult = git_object_peel(&peeled, found.pointer, GIT_OBJECT_COMMIT)
        if peelResult < 0 {
            throw LibGit2.failure(peelResult, "revision '\(revision)' does not name a commit",
                                  code: .notFound, hint: hint)
        }
        let commit = ObjectHandle(peeled!, in: self)
        return CommitID(git_object_id(commit.pointer).pointee)
    }

    // MARK: Object lookup shared by the other files

    func lookupCommit(_ id: CommitID) throws -> CommitHandle {
        var oid = try id.oid()
        var commit: OpaquePointer?
        try LibGit2.check(git_commit_lookup(&commit, pointer, &oid), "looking up commit \(id.short)",
                          hint: "the commit may belong to another repository or have been garbage-collected",
                          notFound: .notFound)
        return CommitHandle(commit!, in: self)
    }

    func lookupTree(_ oid: git_oid) throws -> TreeHandle {
        var oid = oid
        var tree: OpaquePointer?
        try LibGit2.check(git_tree_lookup(&tree, pointer, &oid), "looking up tree \(CommitID(oid).short)")
        return TreeHandle(tree!, in: self)
    }

    func lookupBlob(_ oid: git_oid, path: String) throws -> BlobHandle {
        var oid = oid
        var blob: OpaquePointer?
        try LibGit2.check(git_blob_lookup(&blob, pointer, &oid), "reading the contents of '\(path)'")
        return BlobHandle(blob!, in: self)
    }
}
