import CLibGit2
import Foundation

// Each libgit2 handle forge holds has exactly one owning final class that frees it in deinit, so a
// thrown error halfway through a method never leaks and nothing is freed twice. Handles of objects
// that belong to a repository also keep their `GitRepository` alive: libgit2 objects must not
// outlive the repository they were loaded from. None of them is Sendable: libgit2 objects are not
// safe to share between threads.

/// A commit object.
final class CommitHandle {
    let pointer: OpaquePointer
    private let repository: GitRepository

    init(_ pointer: OpaquePointer, in repository: GitRepository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit { git_commit_free(pointer) }

    var id: CommitID { CommitID(git_commit_id(pointer).pointee) }

    var parentIDs: [CommitID] {
        (0..<git_commit_parentcount(pointer)).compactMap { index in
            git_commit_parent_id(pointer, index).map { CommitID($0.pointee) }
        }
    }

    func tree() throws -> TreeHandle {
        var tree: OpaquePointer?
        try LibGit2.check(git_commit_tree(&tree, pointer), "reading the tree of commit \(id.short)")
        return TreeHandle(tree!, in: repository)
    }
}

/// A tree object (one directory level).
final class TreeHandle {
    let pointer: OpaquePointer
    private let repository: GitRepository

    init(_ pointer: OpaquePointer, in repository: GitRepository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit { git_tree_free(pointer) }

    /// The entries of this directory level, copied out of libgit2 so no borrowed pointer escapes.
    var entries: [TreeEntry] {
        (0..<git_tree_entrycount(pointer)).compactMap { index in
            git_tree_entry_byindex(pointer, index).map(TreeEntry.init)
        }
    }
}

/// One tree entry as plain values.
struct TreeEntry {
    var name: String
    var oid: git_oid
    /// The raw git mode: 0o100644, 0o100755, 0o120000 (symlink), 0o040000 (tree), 0o160000 (gitlink).
    var mode: UInt32

    init(_ entry: OpaquePointer) {
        name = String(cString: git_tree_entry_name(entry))
        oid = git_tree_entry_id(entry).pointee
        mode = UInt32(git_tree_entry_filemode_raw(entry).rawValue)
    }

    var isTree: Bool { mode == GitMode.tree }
    var isBlob: Bool { mode == GitMode.file || mode == GitMode.executable || mode == GitMode.symlink }
}

/// The file modes git stores, as raw numbers.
enum GitMode {
    static let tree: UInt32 = 0o040000
    static let file: UInt32 = 0o100644
    static let executable: UInt32 = 0o100755
    static let symlink: UInt32 = 0o120000
    static let gitlink: UInt32 = 0o160000
}

/// A tree entry looked up by path (owned, unlike entries borrowed from a tree).
final class TreeEntryHandle {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_tree_entry_free(pointer) }

    var entry: TreeEntry { TreeEntry(pointer) }
}

/// A blob: one file's bytes.
final class BlobHandle {
    let pointer: OpaquePointer
    private let repository: GitRepository

    init(_ pointer: OpaquePointer, in repository: GitRepository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit { git_blob_free(pointer) }

    var data: Data {
        let size = Int(git_blob_rawsize(pointer))
        guard size > 0, let bytes = git_blob_rawcontent(pointer) else { return Data() }
        return Data(bytes: bytes, count: size)
    }
}

/// Any object, as returned by rev-parse before peeling.
final class ObjectHandle {
    let pointer: OpaquePointer
    private let repository: GitRepository

    init(_ pointer: OpaquePointer, in repository: GitRepository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit { git_object_free(pointer) }
}

/// An index that lives only in memory (`git_index_new`): forge builds trees in it and never writes
/// it to `.git/index`.
final class InMemoryIndex {
    let pointer: OpaquePointer

    init() throws {
        LibGit2.ensureInitialized()
        var index: OpaquePointer?
        try LibGit2.check(git_index_new(&index), "creating an in-memory index")
        pointer = index!
    }

    deinit { git_index_free(pointer) }
}

/// A reference returned by a ref update; forge only needs to free it.
final class ReferenceHandle {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_reference_free(pointer) }
}

/// An iterator over local branches.
final class BranchIteratorHandle {
    let pointer: OpaquePointer
    private let repository: GitRepository

    init(_ pointer: OpaquePointer, in repository: GitRepository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit { git_branch_iterator_free(pointer) }
}

/// A history walker.
final class RevwalkHandle {
    let pointer: OpaquePointer
    private let repository: GitRepository

    init(_ pointer: OpaquePointer, in repository: GitRepository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit { git_revwalk_free(pointer) }
}

/// A computed diff between two trees.
final class DiffHandle {
    let pointer: OpaquePointer
    private let repository: GitRepository

    init(_ pointer: OpaquePointer, in repository: GitRepository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit { git_diff_free(pointer) }
}

/// An author/committer signature with its timestamp.
final class SignatureHandle {
    let pointer: UnsafeMutablePointer<git_signature>

    init(_ pointer: UnsafeMutablePointer<git_signature>) { self.pointer = pointer }

    deinit { git_signature_free(pointer) }
}

/// A buffer libgit2 filled; disposed in deinit.
final class GitBuffer {
    var buffer = git_buf()

    init() {}

    deinit { git_buf_dispose(&buffer) }

    var string: String {
        guard let pointer = buffer.ptr, buffer.size > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: buffer.size), as: UTF8.self)
    }
}
