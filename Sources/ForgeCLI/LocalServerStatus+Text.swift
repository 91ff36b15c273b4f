import Foundation
import ForgeLLM

extension LocalServerStatus {
    /// One line for `forge model status` and `forge doctor`, with the next step when there is one.
    var description: String {
        switch self {
        case .notInstalled: "not installed — run: forge model install"
        case .stopped: "installed, not running (forge build starts it; or: forge model serve)"
        case .running(let pid, _, let baseURL): "running at \(baseURL.absoluteString) (pid \(pid))"
        case .unhealthy(let pid, _, let reason): "process \(pid) is not answering: \(reason) — try: forge model stop && forge model serve"
        }
    }
}
