import Foundation
@testable import ForgeLLM

/// Lays out a local-model install in a temp data home whose `venv/bin/python` is a stand-in for
/// llama-cpp-python's server: a small Python HTTP server that answers `GET /v1/models`, records its
/// arguments and environment, and can be told to crash while starting, to be busy, or to hang.
enum FakeLocalInstall {
    static let serverScript = #"""
    import http.server, json, os, sys, time
    here = os.path.dirname(os.path.abspath(__file__))
    args = sys.argv[1:]
    with open(os.path.join(here, "argv.json"), "w") as f:
        json.dump({"args": args, "omp": os.environ.get("OMP_WAIT_POLICY"), "sid": os.getsid(0), "pid": os.getpid()}, f)
    if os.path.exists(os.path.join(here, "crash")):
        print("fake server: failed to load model from", args[args.index("--model") + 1], flush=True)
        sys.exit(2)
    port = int(args[args.index("--port") + 1])

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            # `hang`: nothing answers (a stuck server). `busy`: /v1/models waits, as llama-cpp-python's
            # does behind the model's lock while it generates for another client; other paths answer.
            if os.path.exists(os.path.join(here, "hang")) or (self.path == "/v1/models" and os.path.exists(os.path.join(here, "busy"))):
                time.sleep(600)
            ok = self.path == "/v1/models"
            body = json.dumps({"object": "list", "data": [{"id": "fake"}]}).encode()
            self.send_response(200 if ok else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    print("fake server listening on", port, flush=True)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
    """#

    /// A complete fake install: venv python, server package marker, full-size sparse weights.
    static func make(_ layout: LocalModelLayout) throws {
        let bin = layout.venv.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let script = layout.venv.appendingPathComponent("fake_server.py")
        try serverScript.write(to: script, atomically: true, encoding: .utf8)
        let python3 = try FakeWheels.python3.path
        try "#!/bin/sh\nexec \"\(python3)\" \"\(script.path)\" \"$@\"\n".write(to: layout.python, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: layout.python.path)
        try serverPackage(layout)
        try sparseWeights(layout, size: LocalModelWeights.qwenCoder.size)
    }

    static func serverPackage(_ layout: LocalModelLayout) throws {
        let package = layout.venv.appendingPathComponent("lib/python3.11/site-packages/llama_cpp/server")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try Data().write(to: package.appendingPathComponent("__main__.py"))
    }

    /// A weights file of `size` bytes that takes no disk space.
    static func sparseWeights(_ layout: LocalModelLayout, size: Int) throws {
        try FileManager.default.createDirectory(at: layout.modelsDirectory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: layout.weights.path, contents: nil)
        let handle = try FileHandle(forWritingTo: layout.weights)
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
    }

    /// What the fake server recorded about how it was started.
    static func launch(_ layout: LocalModelLayout) throws -> (args: [String], omp: String?, sid: Int32, pid: Int32) {
        let data = try Data(contentsOf: layout.venv.appendingPathComponent("argv.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return (object["args"] as? [String] ?? [], object["omp"] as? String,
                Int32(object["sid"] as? Int ?? 0), Int32(object["pid"] as? Int ?? 0))
    }

    /// `GET /v1/models` waits from now on, as it does on the real server while it generates.
    static func beBusy(_ layout: LocalModelLayout) throws {
        try Data().write(to: layout.venv.appendingPathComponent("busy"))
    }

    /// No request gets an answer from now on.
    static func hang(_ layout: LocalModelLayout) throws {
        try Data().write(to: layout.venv.appendingPathComponent("hang"))
    }

    static func crashOnStart(_ layout: LocalModelLayout) throws {
        try Data().write(to: layout.venv.appendingPathComponent("crash"))
    }
}
