import ForgeCore
import ForgeGit
import ForgeStore
import Foundation

/// Rebuilds a run's state from its branch, for `forge resume`: the branch is the source of truth
/// (every finished stage is a commit with trailers, every artifact a file under `.forge/`), so a run
/// killed at any point loses at most the stage it was in.
struct RunStateLoader {
    let repository: GitRepository

    func load(_ record: RunRecord) throws -> RunState {
        let runID = RunID(rawValue: record.id)
        let base = record.baseCommit.isEmpty ? nil : CommitID(hex: record.baseCommit)
        var state = RunState(runID: runID, base: base)
        guard let tip = try repository.branchTip(record.branch) else {
            // Nothing was committed yet: the run starts over from the PM stage.
            return state
        }
        let commits = try repository.log(branch: record.branch, until: base).reversed()
        state.tip = tip
        state.commits = commits.map(\.id)
        for commit in commits {
            guard commit.trailer("Forge-Run") == record.id, let stage = commit.trailer("Forge-Stage").flatMap(Stage.init(rawValue:)) else {
                throw ForgeError(.usage, "branch \(record.branch) holds commit \(commit.id.short) that is not part of run \(record.id)",
                                 hint: "forge resume only continues branches forge wrote; start a new run with forge build")
            }
            state.completedStages.insert(stage)
            if stage == .fix, let iteration = commit.trailer("Forge-Iteration").flatMap(Int.init) {
                state.iterations = max(state.iterations, iteration)
                state.attempts.append(Self.attempt(from: commit, iteration: iteration))
            }
        }

        let meta = try repository.files(at: tip, paths: [".forge/prd.json", ".forge/design.json", TestLock.path])
        let decoder = JSONDecoder()
        state.prd = try meta[".forge/prd.json"].map { try decoder.decode(PRD.self, from: $0) }
        state.design = try meta[".forge/design.json"].map { try decoder.decode(Design.self, from: $0) }
        state.sourcePaths = state.design?.files.map(\.path) ?? []
        if let lock = try meta[TestLock.path].map({ try decoder.decode(TestLock.self, from: $0) }) {
            state.lockedTests = lock.files
            state.testPaths = lock.files.keys.sorted()
        }
        state.files = try repository.files(at: tip, paths: state.sourcePaths + state.testPaths)
            .merging(meta)
        return state
    }

    /// Recovers what a fix iteration tried from its commit message (see `Pipeline.diagnosisBody`).
    static func attempt(from commit: CommitInfo, iteration: Int) -> FixAttempt {
        func field(_ name: String) -> String? {
            commit.message.split(separator: "\n").first { $0.hasPrefix("\(name): ") }.map { String($0.dropFirst(name.count + 2)) }
        }
        let cause = field("Root cause") ?? commit.summary
        let changed = field("Changed").map { $0 == "nothing" ? [] : $0.components(separatedBy: ", ") } ?? []
        return FixAttempt(iteration: iteration, changed: changed, tests: field("Tests") ?? commit.trailer("Forge-Tests") ?? "unknown",
                          rootCause: cause)
    }
}
