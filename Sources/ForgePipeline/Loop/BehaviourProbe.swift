import ForgeCore
import ForgeSandbox
import Foundation

/// Runs several versions of one source file on the same inputs in the sandbox, with the profile's
/// probe program (`probe_content`), and says how they behave: ``Behaviour``.
///
/// The inputs are the probe's business (for Python: the literal calls in the tests and the spec's
/// examples, and neighbours of them); forge only lays out the versions side by side and reads the
/// answers back.
struct BehaviourProbe {
    let verifier: TestVerifier

    /// The profile can probe: it names a probe program and the command that runs it.
    var isAvailable: Bool {
        guard let rules = verifier.profile.testRules else { return false }
        return rules.probeFile != nil && rules.probeContent != nil && !(rules.probeCommand ?? []).isEmpty
    }

    /// How each of `versions` (the text of `path`) behaves on the inputs found in `tests`, or nil when
    /// the probe cannot say (no probe, no inputs, or a probe that did not answer in JSON). One version
    /// alone is probed for its crashes.
    func run(versions: [String], path: String, module: String, tests: FileSet) async throws -> Behaviour? {
        guard isAvailable, let rules = verifier.profile.testRules, let file = rules.probeFile,
              let content = rules.probeContent, let command = rules.probeCommand, !versions.isEmpty else { return nil }
        var workspace = FileSet()
        for (index, version) in versions.enumerated() { try workspace.set("candidates/\(index)/\(path)", text: version) }
        for test in tests.paths { try workspace.set("sources/\(test)", data: tests[test]!) }
        try workspace.set(file, text: content)
        let config: [String: Any] = ["module": module, "path": path,
                                     "candidates": versions.indices.map { "candidates/\($0)" },
                                     "sources": tests.paths.map { "sources/\($0)" }]
        try workspace.set("forge-probe.json", data: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-probe-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try workspace.write(into: directory)
        let outcome = try await verifier.runner.run(try await verifier.sandboxCommand(command, workspace: directory))
        guard outcome.termination == .exited(0) else { return nil }
        let behaviour = outcome.output.split(separator: "\n").reversed().lazy
            .compactMap { try? JSONDecoder().decode(Behaviour.self, from: Data($0.utf8)) }.first
        guard let behaviour, behaviour.outputs.count == versions.count, !behaviour.inputs.isEmpty,
              behaviour.outputs.allSatisfy({ $0.count == behaviour.inputs.count }),
              behaviour.generated.count == behaviour.inputs.count else { return nil }
        return behaviour
    }
}

/// What each version returned on each probe input (`outputs[version][input]`: a canonical text of the
/// value, `raises <Error>` for an exception the version raised itself, or `crashes <Error>` for one
/// it did not, and for a hang).
struct Behaviour: Decodable, Equatable {
    var inputs: [String]
    /// Per input: made up by the probe (a neighbour of a stated input) rather than stated.
    var generated: [Bool]
    var outputs: [[String]]

    /// The inputs on which versions `a` and `b` really differ. On a stated input any difference
    /// counts; on a made-up one only two different values do: a neighbour may break the spec's
    /// preconditions, where raising and returning are both fair answers.
    func differences(_ a: Int, _ b: Int) -> [Int] {
        inputs.indices.filter { input in
            let x = outputs[a][input], y = outputs[b][input]
            guard x != y else { return false }
            return !generated[input] || !(Self.raises(x) || Self.raises(y))
        }
    }

    /// How many other versions behave like `version` on every input.
    func agreement(_ version: Int) -> Int {
        outputs.indices.count { $0 != version && differences(version, $0).isEmpty }
    }

    /// On the inputs where `a` and `b` differ, how many answers of the other versions are `a`'s
    /// (versions that answer nothing are not asked). Two versions can tie on everything else, each
    /// alone, yet differ on inputs the spec never states; the other versions, wrong elsewhere,
    /// still answer those. This is the vote of ``agreement(_:)`` taken input by input instead of on
    /// every input at once (MBR-exec with a partial match). In a dev-set run (HumanEval_76) two of
    /// nine versions passed every example and test and differed only where n is 0 or 1; the earlier
    /// one, kept for being earlier, failed the hidden tests on `is_simple_power(1, 1)`. The other
    /// versions' answers there side 7 to 6 with the right one: thin, but evidence, where being
    /// earlier is none.
    func support(_ a: Int, against b: Int) -> Int {
        differences(a, b).reduce(0) { total, input in
            total + outputs.indices.count { other in
                other != a && other != b && !answersNothing(other) && outputs[other][input] == outputs[a][input]
            }
        }
    }

    /// "f(3,): 1 against None" for the first input where `a` and `b` differ.
    func firstDifference(_ a: Int, _ b: Int) -> String? {
        differences(a, b).first.map { "\(inputs[$0]): \(outputs[a][$0]) against \(outputs[b][$0])" }
    }

    /// Whether `version` returned no value on any input: only None, exceptions, or no import at
    /// all. Such versions agree with each other trivially (a bench run's first code and two draws
    /// all returned None and outvoted a right answer), so their agreement is no evidence.
    func answersNothing(_ version: Int) -> Bool {
        outputs[version].allSatisfy { $0 == "None" || Self.raises($0) }
    }

    /// How many inputs `version` crashed on: an exception it did not raise itself (max() of an
    /// empty list, an index past the end) or a hang. Raising is a fair answer to an input outside
    /// the spec; crashing is, more often, a bug (a bench run's answers all crashed on odd-length lists).
    func crashes(_ version: Int) -> Int {
        outputs[version].count(where: Self.crashes)
    }

    /// "f([1, 2, 3]) crashes ValueError" for the first input `version` crashed on.
    func firstCrash(_ version: Int) -> String? {
        outputs[version].firstIndex(where: Self.crashes).map { "\(inputs[$0]) \(outputs[version][$0])" }
    }

    static func raises(_ answer: String) -> Bool {
        answer.hasPrefix("raises ") || crashes(answer) || answer.hasPrefix("import fails") || answer == "crashed"
    }

    static func crashes(_ answer: String) -> Bool { answer.hasPrefix("crashes ") }
}
