import CLibGit2
import ForgeCore

/// Branches: forge owns `refs/heads/forge/*` and never moves any other ref.
extension GitRepository {
    /// The commit at the tip of local branch `name` (without `refs/heads/`), or nil when there is no
    /// such branch.
    public func branchTip(_ name: String) throws -> CommitID? {
        let refName = try Self.branchReference(name)
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, refName)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(result, "reading branch '\(name)'")
        return CommitID(oid)
    }

    /// Creates local branch `name` at `commit`.
    ///
    /// - Throws: ``ForgeError`` when the branch already exists (it is never overwritten), the name is
    ///   not a valid branch name, or the commit is unknown.
    public func createBranch(_ name: String, at commit: CommitID) throws {
        _ = try Self.branchReference(name)
        let target = try lookupCommit(commit)
        var reference: OpaquePointer?
        let result = git_branch_create(&reference, pointer, name, target.pointer, 0)
        if result == GIT_EEXISTS.rawValue {
            throw LibGit2.failure(result, "cannot create branch '\(name)'",
                                  hint: "pick another run id, or delete the branch with `git branch -D \(name)`")
        }
        try LibGit2.check(result, "creating branch '\(name)' at \(commit.short)")
        _ = ReferenceHandle(reference!)
    }

    /// The local branches whose names start with `prefix` (e.g. `"forge/"`), sorted.
    public func branches(withPrefix prefix: String) throws -> [String] {
        var iterator: OpaquePointer?
        try LibGit2.check(git_branch_iterator_new(&iterator, pointer, GIT_BRANCH_LOCAL), "listing branches")
        let branches = BranchIteratorHandle(iterator!, in: self)
        var names: [String] = []
        while true {
            var reference: OpaquePointer?
            var type = GIT_BRANCH_LOCAL
            let result = git_branch_next(&reference, &type, branches.pointer)
            if result == GIT_ITEROVER.rawValue { break }
            try LibGit2.check(result, "listing branches")
            let branch = ReferenceHandle(reference!)
            var name: UnsafePointer<CChar>?
            try LibGit2.check(git_branch_name(&name, branch.pointer), "reading a branch name")
            let text = String(cString: name!)
            if text.hasPrefix(prefix) { names.append(text) }
        }
        return names.sorted()
    }

    /// `refs/heads/<name>`, after checking that git would accept it as a branch name.
    static func branchReference(_ name: String) throws -> String {
        LibGit2.ensureInitialized()
        var valid: Int32 = 0
        let refName = "refs/heads/\(name)"
        try LibGit2.check(git_reference_name_is_valid(&valid, refName), "checking branch name '\(name)'")
        guard valid == 1, !name.isEmpty, !name.hasPrefix("refs/") else {
            throw ForgeError(.usage, "'\(name)' is not a valid branch name",
                             hint: "branch names look like 'forge/20261121-101500-ab12' (see `git check-ref-format --branch`)")
        }
        return refName
    }
}
