import ForgeCore

/// Picks one of the versions a fresh start or cross-check has: by the spec's own examples first,
/// then by how many other versions behave the same (``votes(_:)``), then by the model's tests, then
/// by fewer inputs crashed on (``Behaviour/crashes(_:)``), then the earlier version (the first code
/// before any draw: churn is not progress).
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
        let x = versions[a].candidate.report, y = versions[b].candidate.report
        let strongX = Candidate.examplesPassed(x, strong: strong), strongY = Candidate.examplesPassed(y, strong: strong)
        if strongX != strongY { return strongX > strongY }
        if votes(a) != votes(b) { return votes(a) > votes(b) }
        if x.passed != y.passed { return x.passed > y.passed }
        if crashes(a) != crashes(b) { return crashes(a) < crashes(b) }
        return x.failed + x.errors < y.failed + y.errors
    }

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
            let labels = group.map { versions[$0].draw == 0 ? "the first code" : "draw \(versions[$0].draw)" }
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
