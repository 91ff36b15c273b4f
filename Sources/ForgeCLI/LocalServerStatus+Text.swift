import Foundation
import ForgeLLM

extension LocalServerStatus {
    /// One line for `forge model status` and `forge doctor`, with the next step when there is one.
    var description: String {
        switch self {
        case .notInstalled: "not installed — run: forge model install"
        case .stopped: "installed, not running (forge build starts it; or: forge model serve)"
        case .running(let pid, _, let baseURL): "running at \(baseURL.absoluteString) (pid \(pid))"
        // llama-cpp-python answers one request at a time, so a server busy with another run's long
        // answer looks the same as a stuck one from outside.
        case .unhealthy(let pid, let port, let reason):
            "process \(pid) on port \(port) is busy or not answering (\(reason)); if no forge run is using it: forge model stop && forge model serve"
        }
    }
}
