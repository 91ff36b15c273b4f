import CLibGit2
import Foundation
import ForgeCore

/// Reading a commit's files: for stages (as a `FileSet`) and for Verify (as a directory on disk).
extension GitRepository {
    /// The files of `commit`: every blob in its tree (symlinks as their target text), or only the
    /// listed `paths`; listed paths that are missing or name a directory are skipped. Submodules are
    /// never included.
    public func files(at commit: CommitID, paths: [String]? = nil) throws -> FileSet {
        let tree = try lookupCommit(commit).tree()
        var files: [String: Data] = [:]
        if let paths {
            for path in paths {
                let normalized = try FileSet.validate(path: path)
                guard let entry = try entry(at: normalized, in: tree), entry.isBlob else { continue }
                files[normalized] = try lookupBlob(entry.oid, path: normalized).data
            }
        } else {
            try walk(tree, prefix: "") { path, entry in
                files[path] = try lookupBlob(entry.oid, path: path).data
            }
        }
        return try FileSet(data: files)
    }

    /// The paths of every file (blob or symlink) in `commit`, sorted.
    public func paths(at commit: CommitID) throws -> [String] {
        var paths: [String] = []
        try walk(try lookupCommit(commit).tree(), prefix: "") { path, _ in paths.append(path) }
        return paths.sorted()
    }

    /// Writes the whole tree of `commit` into `directory`, which must exist and should be empty.
    ///
    /// This is how Verify gets a checkout without touching the user's working tree. Executable
    /// files get mode 0755 (others 0644), symlinks are recreated as symlinks, and submodules are
    /// skipped (the sandbox has no network to fetch them), as are
    /// directories that hold nothing else. Entry names that could escape the
    /// directory (`..`, `/`, `.git`) are refused, since a tree can come from an untrusted fetch.
    ///
    /// - Throws: ``ForgeError`` `.io` when `directory` is missing or a file cannot be written.
    public func materialize(_ commit: CommitID, into directory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw ForgeError(.io, "cannot materialize \(commit.short): '\(directory.path)' is not a directory",
                             hint: "create the directory first")
        }
        let tree = try lookupCommit(commit).tree()
        try materialize(tree, into: directory, prefix: "")
    }

    private func materialize(_ tree: TreeHandle, into directory: URL, prefix: String) throws {
        let fileManager = FileManager.default
        for entry in tree.entries {
            let path = prefix + entry.name
            try Self.checkEntryName(entry.name, path: path)
            let target = directory.appendingPathComponent(entry.name, isDirectory: entry.isTree)
            do {
                switch entry.mode {
                case GitMode.tree:
                    try fileManager.createDirectory(at: target, withIntermediateDirectories: false)
                    try materialize(try lookupTree(entry.oid), into: target, prefix: path + "/")
                    // A directory that held only submodules stays out, like the submodules.
                    if try fileManager.contentsOfDirectory(atPath: target.path).isEmpty {
                        try fileManager.removeItem(at: target)
                    }
                case GitMode.symlink:
                    let destination = String(decoding: try lookupBlob(entry.oid, path: path).data, as: UTF8.self)
                    try fileManager.createSymbolicLink(atPath: target.path, withDestinationPath: destination)
                case GitMode.file, GitMode.executable:
                    let data = try lookupBlob(entry.oid, path: path).data
                    try data.write(to: target)
                    let permissions = entry.mode == GitMode.executable ? 0o755 : 0o644
                    try fileManager.setAttributes([.posixPermissions: permissions], ofItemAtPath: target.path)
                default:
                    continue // gitlink (submodule) or an unknown mode: nothing to write
                }
            } catch let error as ForgeError {
                throw error
            } catch {
                throw ForgeError(.io, "cannot write '\(path)' into '\(directory.path)': \(error.localizedDescription)",
                                 hint: "materialize into an empty directory you can write to")
            }
        }
    }

    /// Refuses tree entry names that would write outside the target directory or into a `.git`.
    private static func checkEntryName(_ name: String, path: String) throws {
        let unsafe = name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\0")
            || name.lowercased() == ".git"
        if unsafe {
            throw ForgeError(.invalidPath, "refusing to materialize tree entry '\(path)': unsafe name",
                             hint: "the commit's tree is malformed; run `git fsck` on the repository")
        }
    }

    /// Calls `visit` with every blob or symlink under `tree`, depth first, with its full path.
    func walk(_ tree: TreeHandle, prefix: String, _ visit: (String, TreeEntry) throws -> Void) throws {
        for entry in tree.entries {
            let path = prefix + entry.name
            if entry.isTree {
                try walk(try lookupTree(entry.oid), prefix: path + "/", visit)
            } else if entry.isBlob {
                try visit(path, entry)
            }
        }
    }

    /// The entry at `path` in `tree`, or nil when there is none.
    func entry(at path: String, in tree: TreeHandle) throws -> TreeEntry? {
        var found: OpaquePointer?
        let result = git_tree_entry_bypath(&found, tree.pointer, path)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(result, "looking up '\(path)'")
        return TreeEntryHandle(found!).entry
    }
}
