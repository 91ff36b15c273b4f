import ForgeCore
import ForgePipeline
import Foundation
import TOMLKit

/// Reads a `forge bench` task folder: `<id>/spec.md`, `<id>/task.toml`, `<id>/hidden/`.
enum BenchTaskLoader {
    struct TaskFile: Decodable {
        var language: String?
    }

    /// The tasks in `directory`, in natural order of their ids (`HumanEval_2` before `HumanEval_10`).
    static func load(_ directory: URL) throws -> [BenchTask] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw ForgeError(.usage, "cannot read the task folder \(directory.path)",
                             hint: "pass a folder of task folders; make one with scripts/make-humaneval-tasks.py")
        }
        var tasks: [BenchTask] = []
        for name in names.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }) {
            let folder = directory.appendingPathComponent(name, isDirectory: true)
            let specFile = folder.appendingPathComponent("spec.md")
            guard fm.fileExists(atPath: specFile.path) else { continue }
            let spec = try String(contentsOf: specFile, encoding: .utf8)
            var language = "python"
            let taskFile = folder.appendingPathComponent("task.toml")
            if let text = try? String(contentsOf: taskFile, encoding: .utf8) {
                do {
                    language = try TOMLDecoder().decode(TaskFile.self, from: text).language ?? language
                } catch {
                    throw ForgeError(.config, "\(taskFile.path): \(error)", hint: "task.toml needs at least: language = \"python\"")
                }
            }
            tasks.append(BenchTask(id: name, spec: spec, language: language, hiddenTests: try BenchTask.hiddenTests(in: folder)))
        }
        guard !tasks.isEmpty else {
            throw ForgeError(.usage, "no tasks in \(directory.path): no folder there has a spec.md",
                             hint: "make the development set with scripts/make-humaneval-tasks.py ../shared/bench/humaneval-dev.jsonl DIR")
        }
        return tasks
    }
}
