import ForgeCore
import Foundation
import Testing
@testable import ForgeStore

@Suite struct RunStoreTests {
    @Test func insertedRunReadsBackEqual() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ForgeStore(path: dir.file("forge.sqlite"))
        // A Date with sub-millisecond digits must survive the round trip exactly.
        let run = sampleRun("20260102-030405-beef", startedAt: Date(timeIntervalSinceReferenceDate: 786_000_000.123_456_7),
                            spec: "a spec with 'quotes', \"double quotes\" and ünïcödé")
        try store.insertRun(run)
        let fetched = try #require(try store.run(id: run.id))
        #expect(fetched == run)
        #expect(fetched.status == .running)
        #expect(fetched.finishedAt == nil)
        #expect(fetched.testsPassed == nil)
    }

    @Test func updateReplacesEveryField() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ForgeStore(path: dir.file("forge.sqlite"))
        var run = sampleRun("20260102-030405-0001")
        try store.insertRun(run)
        run.status = .failed
        run.stopReason = "iteration budget spent (4)"
        run.iterations = 4
        run.testsPassed = 7
        run.testsFailed = 2
        run.promptTokens = 12_345
        run.completionTokens = 678
        run.finishedAt = Date()
        run.exitCode = 1
        try store.updateRun(run)
        #expect(try store.run(id: run.id) == run)
        #expect(try store.run(id: run.id)?.usage == Usage(promptTokens: 12_345, completionTokens: 678))

        run.status = .passed
        run.stopReason = nil
        run.exitCode = 0
        try store.updateRun(run)
        #expect(try store.run(id: run.id) == run)
    }

    @Test func everyStatusRoundTrips() throws {
        let store = try ForgeStore.inMemory()
        for (index, status) in RunStatus.allCases.enumerated() {
            var run = sampleRun("run-\(index)")
            run.status = status
            try store.insertRun(run)
            #expect(try store.run(id: run.id)?.status == status)
        }
    }

    @Test func insertingAnExistingIdFails() throws {
        let store = try ForgeStore.inMemory()
        let run = sampleRun("20260102-030405-0002")
        try store.insertRun(run)
        var other = run
        other.spec = "something else"
        let error = try #require(throws: ForgeError.self) { try store.insertRun(other) }
        #expect(error.code == .store)
        #expect(error.message.contains("already recorded"))
        #expect(try store.run(id: run.id)?.spec == run.spec)
    }

    @Test func updatingAnUnknownRunFails() throws {
        let store = try ForgeStore.inMemory()
        let error = try #require(throws: ForgeError.self) { try store.updateRun(sampleRun("nope")) }
        #expect(error.code == .store)
        #expect(error.message == "cannot update run nope: no such run is recorded")
        #expect(try store.runs().isEmpty)
    }

    @Test func lookupByExactIdOrUniquePrefix() throws {
        let store = try ForgeStore.inMemory()
        try store.insertRun(sampleRun("20260103-101010-aaaa"))
        try store.insertRun(sampleRun("20260103-101010-abcd"))
        try store.insertRun(sampleRun("20260104-090000-1234"))
        try store.insertRun(sampleRun("20260104-090000-1234-x"))

        #expect(try store.run(id: "20260103-101010-abcd")?.id == "20260103-101010-abcd")
        #expect(try store.run(id: "20260103-101010-ab")?.id == "20260103-101010-abcd")
        #expect(try store.run(id: "20260103-101010-aa")?.id == "20260103-101010-aaaa")
        // An exact id wins even though it is also a prefix of another id.
        #expect(try store.run(id: "20260104-090000-1234")?.id == "20260104-090000-1234")
        #expect(try store.run(id: "20260105") == nil)
        #expect(try store.run(id: "") == nil)
        // LIKE wildcards in the prefix match literally, not as patterns.
        #expect(try store.run(id: "2026010%") == nil)
        #expect(try store.run(id: "20260103_") == nil)
    }

    @Test func ambiguousPrefixThrowsNamingTheCandidates() throws {
        let store = try ForgeStore.inMemory()
        try store.insertRun(sampleRun("20260103-101010-aaaa"))
        try store.insertRun(sampleRun("20260103-101010-abcd"))
        let error = try #require(throws: ForgeError.self) { try store.run(id: "20260103-1010") }
        #expect(error.code == .usage)
        #expect(error.message.contains("ambiguous"))
        #expect(error.message.contains("20260103-101010-aaaa"))
        #expect(error.message.contains("20260103-101010-abcd"))
        #expect(error.hint?.contains("more characters") == true)
    }

    @Test func runsListsNewestFirstUpToTheLimit() throws {
        let store = try ForgeStore.inMemory()
        let base = Date(timeIntervalSinceReferenceDate: 800_000_000)
        // Inserted out of order: the list follows start time, not insertion.
        for offset in [3, 1, 4, 0, 2] {
            try store.insertRun(sampleRun("run-\(offset)", startedAt: base.addingTimeInterval(Double(offset) * 60)))
        }
        #expect(try store.runs().map(\.id) == ["run-4", "run-3", "run-2", "run-1", "run-0"])
        #expect(try store.runs(limit: 2).map(\.id) == ["run-4", "run-3"])
        #expect(try store.runs(limit: 0).isEmpty)
    }
}
