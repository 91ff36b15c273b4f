/// A command's combined output, kept up to a byte limit and counted past it.
///
/// The reader keeps draining after the cap so a child flooding its stdout never blocks on a full
/// pipe (which would turn a chatty test into a timeout); the bytes past the cap are only counted.
///
/// It can also expect a fixed prefix: the runner's start marker, which a sandbox prints before
/// the command runs. The prefix is consumed, not kept, and ``prefixSeen`` says whether it arrived;
/// output that does not begin with it (a bubblewrap setup error) is kept whole.
struct CappedOutput: Sendable {
    let limit: Int
    private let expectedPrefix: [UInt8]
    private var prefixMatched = 0
    private var prefixDecided: Bool
    /// True once the whole expected prefix arrived first; also true when none was expected.
    private(set) var prefixSeen: Bool
    private(set) var bytes: [UInt8] = []
    private(set) var droppedBytes = 0

    init(limit: Int, expectedPrefix: [UInt8] = []) {
        self.limit = max(0, limit)
        self.expectedPrefix = expectedPrefix
        self.prefixDecided = expectedPrefix.isEmpty
        self.prefixSeen = expectedPrefix.isEmpty
    }

    var truncated: Bool { droppedBytes > 0 }

    mutating func append(_ chunk: some Collection<UInt8>) {
        var rest = chunk[...]
        if !prefixDecided {
            while let byte = rest.first, !prefixDecided {
                if byte == expectedPrefix[prefixMatched] {
                    prefixMatched += 1
                    rest = rest.dropFirst()
                    if prefixMatched == expectedPrefix.count {
                        prefixDecided = true
                        prefixSeen = true
                    }
                } else {
                    abandonPrefix()
                }
            }
        }
        keep(rest)
    }

    /// Call at end of stream: a partly matched prefix was output after all.
    mutating func finish() {
        if !prefixDecided { abandonPrefix() }
    }

    /// The kept output as text, cut on a character boundary, with a marker line when capped.
    var text: String {
        guard truncated else { return String(decoding: bytes, as: UTF8.self) }
        var kept = bytes[...]
        // Do not end on half a UTF-8 sequence: that would decode to U+FFFD and grow past the cap.
        var back = 0
        while back < 4, let last = kept.dropLast(back).last, last & 0xC0 == 0x80 { back += 1 }
        if let lead = kept.dropLast(back).last, lead & 0xC0 == 0xC0 {
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            if back + 1 < length { kept = kept.dropLast(back + 1) }
        }
        var text = String(decoding: kept, as: UTF8.self)
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += "[forge: output truncated: kept the first \(limit) bytes, dropped \(droppedBytes) more]\n"
        return text
    }

    private mutating func abandonPrefix() {
        prefixDecided = true
        prefixSeen = false
        let partial = expectedPrefix.prefix(prefixMatched)
        prefixMatched = 0
        keep(partial)
    }

    private mutating func keep(_ chunk: some Collection<UInt8>) {
        let room = limit - bytes.count
        if room >= chunk.count {
            bytes.append(contentsOf: chunk)
        } else {
            if room > 0 { bytes.append(contentsOf: chunk.prefix(room)) }
            droppedBytes += chunk.count - max(room, 0)
        }
    }
}
