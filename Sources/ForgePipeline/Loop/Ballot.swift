import ForgeCore

/// Picks one of the versions a fresh start or cross-check has: by the spec's own examples first,
/// then by how many other versions behave the same (``votes(_:)``), then by the model's tests, then
/// by fewer inputs crashed on (``Behaviour/crashes(_:)``), then fewer failures, then by the other
/// versions' answers where two versions differ (``support(_:against:)``), then the earlier version
/// (the first code before any draw: churn is not progress).
///
/// Agreement is the CodeT / MBR-exec idea: answers drawn independently that behave alike are
/// evidence where the model's own tests are silent or wrong. A single match is not counted: two
/// draws of a 1.5B model share its misreadings often enough that one echo proves little.
struct Ballot {
    let versions: [Pipeline.Version]
    let behaviour: Behaviour?
    let strong: String

    /// The index of the chosen version.
    var winner: Int {
        var best = 0
        for index in versions.indices.dropFirst() where isAhead(index, of: best) { best = index }
        return best
    }

    /// How many other versions behave like this one, when that counts as evidence: from two up, and
    /// only for a version that returns some value (versions that all return None agree for nothing).
    func votes(_ index: Int) -> Int {
        guard let behaviour, !behaviour.answersNothing(index) else { return 0 }
        let agreeing = behaviour.agreement(index)
        return agreeing >= 2 ? agreeing : 0
    }

    /// Inputs the version crashed on (not raised on purpose): with equal votes and tests, the
    /// version that answers where another crashes is the one without the bug.
    func crashes(_ index: Int) -> Int { behaviour?.crashes(index) ?? 0 }

    private func isAhead(_ a: Int, of b: Int) -> Bool {
        let x = standing(a), y = standing(b)
        if x != y { return y.lexicographicallyPrecedes(x) }
        return support(a, against: b) > support(b, against: a)
    }

    /// What the ballot weighs before support, in order, more being better: spec examples passed,
    /// votes, tests passed, fewer inputs crashed on, fewer failures.
    private func standing(_ index: Int) -> [Int] {
        let report = versions[index].candidate.report
        return [Candidate.examplesPassed(report, strong: strong), votes(index), report.passed, -crashes(index),
                -(report.failed + report.errors)]
    }

    /// How many answers of the other versions side with `a` where `a` and `b` differ
    /// (``Behaviour/support(_:against:)``): the last word between two versions even on everything
    /// else, before the earlier one is kept for being earlier.
    func support(_ a: Int, against b: Int) -> Int { behaviour?.support(a, against: b) ?? 0 }

    /// When the winner beat a version only by the other versions' answers where the two differ:
    /// "draw 5 over draw 2, by the other versions' answers where they differ: 6 side with draw 5,
    /// 1 with draw 2 (e.g. f(1, 1): True against False)". Nil when something stronger decided.
    var supportNote: String? {
        guard let behaviour else { return nil }
        let won = winner
        let rival = versions.indices.first { rival in
            rival != won && standing(won) == standing(rival) && support(won, against: rival) > support(rival, against: won)
        }
        guard let rival else { return nil }
        let example = behaviour.firstDifference(won, rival).map { " (e.g. \($0))" } ?? ""
        return "\(label(won)) over \(label(rival)), by the other versions' answers where they differ: "
            + "\(support(won, against: rival)) side with \(label(won)), \(support(rival, against: won)) with \(label(rival))\(example)"
    }

    private func label(_ index: Int) -> String { versions[index].draw == 0 ? "the first code" : "draw \(versions[index].draw)" }

    /// "on 14 inputs (8 made up): the first code alone; draws 1, 2, 4 alike; draw 3 alone. First
    /// difference: f(7,): 1 against None" for the commit body.
    func describe(_ behaviour: Behaviour) -> String {
        var groups: [[Int]] = []
        for index in versions.indices {
            if let group = groups.firstIndex(where: { behaviour.differences($0[0], index).isEmpty }) {
                groups[group].append(index)
            } else {
                groups.append([index])
            }
        }
        let names = groups.map { group in
            let labels = group.map(label)
            return labels.joined(separator: ", ") + (group.count == 1 ? " alone" : " alike")
        }
        let made = behaviour.generated.count { $0 }
        var text = "on \(behaviour.inputs.count) inputs (\(made) made up from the stated ones): " + names.joined(separator: "; ")
        if groups.count >= 2, let difference = behaviour.firstDifference(groups[0][0], groups[1][0]) {
            text += ". For example \(difference)"
        }
        return text
    }
}
