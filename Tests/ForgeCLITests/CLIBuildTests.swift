import Foundation
@testable import ForgeCLI
import Testing

/// The `forge` binary as users and CI jobs run it: arguments, exit statuses, output.
@Suite struct CLIBuildTests {
    static let spec = "A Python module textstats.py with word_count(text) and top_words(text, n)"

    @Test func replayedBuildExitsZeroAndLogShowsTheRun() async throws {
        let temporary = try TemporaryRepository()
        let repo = temporary.root
        defer { temporary.remove() }
        let db = repo.path + ".sqlite"
        let cassette = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/cassettes/textstats-fix.json").path
        let statusBefore = try git("status", "--porcelain=v1", in: repo)

        // The cassette records the analyst-and-fix path; the cross-check's draws (on by default) are
        // LoopReplayTests' business.
        let build = try await ForgeBinary.run(["build", "--provider", "replay", "--cassette", cassette, "--no-cross-check", "--db", db,
                                               "--json", Self.spec], in: repo)
        #expect(build.status == 0, "stderr: \(build.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(build.stdout.utf8)) as? [String: Any]
        #expect(result?["status"] as? String == "passed")
        #expect(result?["exit_code"] as? Int == 0)
        let branch = try #require(result?["branch"] as? String)
        #expect(build.stderr.contains("forge: run "))
        #expect(try git("status", "--porcelain=v1", in: repo) == statusBefore)
        #expect(try git("log", "--format=%s", branch, in: repo).contains("forge(fix): "))

        let list = try await ForgeBinary.run(["log", "--db", db], in: repo)
        #expect(list.status == 0)
        #expect(list.stdout.contains("passed"))
        let runID = String(branch.dropFirst("forge/".count))
        let detail = try await ForgeBinary.run(["log", String(runID.prefix(17)), "--db", db], in: repo)
        #expect(detail.status == 0, "\(detail.stderr)")
        #expect(detail.stdout.contains("run \(runID)  passed  (tests pass)"))
        for stage in ["pm", "architect", "developer", "tests", "fix"] { #expect(detail.stdout.contains(" \(stage) ")) }
        #expect(detail.stdout.contains("4 passed, 0 failed"))
    }

    @Test func neverPassingBuildExitsOne() async throws {
        let temporary = try TemporaryRepository()
        let repo = temporary.root
        defer { temporary.remove() }
        let cassette = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/cassettes/textstats-never.json").path
        let build = try await ForgeBinary.run(["build", "--provider", "replay", "--cassette", cassette, "--max-iterations", "2",
                                         "--no-cross-check", "--db", repo.path + ".sqlite", Self.spec], in: repo)
        #expect(build.status == 1, "stderr: \(build.stderr)")
        #expect(build.stdout.contains("✘ tests still failing: iteration budget spent (2 fixes)"))
    }

    @Test func usageErrorsExitTwoAndSayWhatToDo() async throws {
        let notARepo = FileManager.default.temporaryDirectory.appendingPathComponent("forge-norepo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: notARepo, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: notARepo) }
        let db = notARepo.appendingPathComponent("forge.sqlite").path

        let outside = try await ForgeBinary.run(["build", "--provider", "replay", "--cassette", "/nonexistent.json", "--db", db, "x"], in: notARepo)
        #expect(outside.status == 2)
        #expect(outside.stderr.contains("git repository"))

        let noSpec = try await ForgeBinary.run(["build", "--db", db], in: notARepo)
        #expect(noSpec.status == 2)
        #expect(noSpec.stderr.contains("missing the spec"))

        let temporary = try TemporaryRepository()
        let repo = temporary.root
        defer { temporary.remove() }
        let unknown = try await ForgeBinary.run(["build", "--provider", "nosuch", "--db", db, "x"], in: repo)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown provider 'nosuch'"))

        let badBase = try await ForgeBinary.run(["build", "--provider", "replay", "--cassette",
                                           ForgeBinary.packageRoot.appendingPathComponent("Fixtures/cassettes/textstats-fix.json").path,
                                           "--base", "no-such-rev", "--db", db, "x"], in: repo)
        #expect(badBase.status == 2)
    }

    @Test func unreachableProviderExitsThree() async throws {
        let temporary = try TemporaryRepository()
        let repo = temporary.root
        defer { temporary.remove() }
        // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
        let build = try await ForgeBinary.run(["build", "--provider", "local", "--base-url", "http://127.0.0.1:9/v1",
                                         "--db", repo.path + ".sqlite", Self.spec], in: repo)
        #expect(build.status == 3, "stdout: \(build.stdout) stderr: \(build.stderr)")
        #expect((build.stdout + build.stderr).contains("127.0.0.1:9"))
    }

    @Test func helpTeaches() async throws {
        let help = try await ForgeBinary.run(["build", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--max-iterations"))
        #expect(help.stdout.contains("forge/<run-id>"))
        #expect(help.stdout.contains("--cross-check/--no-cross-check"))
        let root = try await ForgeBinary.run(["--help"])
        #expect(root.stdout.contains("Exit status: 0 tests pass"))
    }
}

@Suite struct InstallProgressTests {
    @Test func compilerStepsBecomeTenthsAndPipNoiseIsDropped() {
        let progress = InstallProgress { _ in }
        let lines = [
            "creating a Python venv in /data/forge/venv",
            "Collecting llama-cpp-python[server]==0.3.36",
            "    Running command Building wheel for llama-cpp-python (pyproject.toml)",
            "    [1/193] /usr/bin/g++ -DGGML_BACKEND_SHARED -O3 -c /tmp/pip-install-x/llama.cpp",
            "    [2/193] /usr/bin/g++ -c /tmp/pip-install-x/b.cpp",
            "    [20/193] /usr/bin/g++ -c /tmp/pip-install-x/c.cpp",
            "    -- Found Threads: TRUE",
            "    [193/193] Linking CXX shared library libllama.so",
            "Successfully installed llama-cpp-python-0.3.36",
        ]
        #expect(lines.compactMap(progress.filtered) == [
            "creating a Python venv in /data/forge/venv",
            "Collecting llama-cpp-python[server]==0.3.36",
            "building llama.cpp: 1/193",
            "building llama.cpp: 20/193",
            "building llama.cpp: 193/193",
            "Successfully installed llama-cpp-python-0.3.36",
        ])
    }
}

@Suite struct BudgetOptionsTests {
    @Test func durationsReadLikePeopleWriteThem() {
        #expect(BudgetOptions.seconds("90s") == 90)
        #expect(BudgetOptions.seconds("20m") == 1200)
        #expect(BudgetOptions.seconds("1.5h") == 5400)
        #expect(BudgetOptions.seconds("600") == 600)
        #expect(BudgetOptions.seconds("soon") == nil)
        #expect(BudgetOptions.seconds("-5m") == nil)
    }

    @Test func aTimeBudgetEndsTheRunWithExitOne() async throws {
        let temporary = try TemporaryRepository()
        defer { temporary.remove() }
        let cassette = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/cassettes/textstats-fix.json").path
        let build = try await ForgeBinary.run(["build", "--provider", "replay", "--cassette", cassette, "--time-budget", "1ms",
                                               "--db", temporary.databasePath.path, "--json", CLIBuildTests.spec], in: temporary.root)
        #expect(build.status == 1, "\(build.stderr)")
        #expect(build.stdout.contains("time budget spent"))
        let bad = try await ForgeBinary.run(["build", "--time-budget", "soon", "x"], in: temporary.root)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("is not a duration"))
    }

    @Test func freshOrFixSamplesBelowOneAreRefusedBeforeAnyWork() async throws {
        let temporary = try TemporaryRepository()
        defer { temporary.remove() }
        let bad = try await ForgeBinary.run(["build", "--fresh-samples", "0", "x"], in: temporary.root)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--fresh-samples must be 1 or more"))
        let noFix = try await ForgeBinary.run(["build", "--fix-samples", "0", "x"], in: temporary.root)
        #expect(noFix.status == 2)
        #expect(noFix.stderr.contains("--fix-samples must be 1 or more"))
    }
}

@Suite struct CLIBenchTests {
    @Test func benchPrintsTheJSONTheIssueAsksFor() async throws {
        let tasks = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/bench/humaneval-3").path
        let cassette = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/cassettes/bench-single-shot.json").path
        let bench = try await ForgeBinary.run(["bench", tasks, "--mode", "single-shot", "--limit", "2", "--provider", "replay",
                                               "--cassette", cassette, "--json"])
        #expect(bench.status == 0, "\(bench.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["tasks"] as? [[String: Any]])
        #expect(rows.count == 2)
        for row in rows {
            #expect(Set(row.keys) == ["id", "passed", "iterations", "tokens", "cost", "seconds", "stop_reason"])
        }
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["mode"] as? String == "single-shot")
        #expect(summary["total"] as? Int == 2)
        #expect(Set(summary.keys) == ["mode", "passed", "total", "pass_rate"])

        let table = try await ForgeBinary.run(["bench", tasks, "--mode", "single-shot", "--limit", "1", "--provider", "replay",
                                               "--cassette", cassette])
        #expect(table.stdout.contains("TASK"))
        #expect(table.stdout.contains("single-shot: "))
        let wrong = try await ForgeBinary.run(["bench", tasks, "--mode", "twice"])
        #expect(wrong.status == 2)
    }

    @Test func benchGradesInTheChosenSandboxAndRefusesWhenThereIsNone() async throws {
        let tasks = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/bench/humaneval-3").path
        let cassette = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/cassettes/bench-single-shot.json").path
        let arguments = ["bench", tasks, "--mode", "single-shot", "--limit", "1", "--provider", "replay", "--cassette", cassette]
        let none = try await ForgeBinary.run(arguments + ["--sandbox", "none"])
        #expect(none.status == 0, "\(none.stderr)")
        #expect(none.stderr.contains("WITHOUT isolation"))
        #expect(none.stdout.contains("single-shot: 1/1 passed"), "\(none.stdout)")
        // No bubblewrap: exit 4 before the first task, naming the cause.
        let missing = try await ForgeBinary.run(arguments, environment: ["FORGE_BWRAP": "/nonexistent/forge-test/bwrap"])
        #expect(missing.status == 4, "\(missing.stderr)")
        #expect(missing.stderr.contains("bubblewrap is not installed"))
        #expect(!missing.stderr.contains("[1/1]"))
    }
}
