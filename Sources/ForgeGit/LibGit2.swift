import CLibGit2
import Foundation
import ForgeCore

/// The one door to libgit2's global state and error reporting.
///
/// libgit2 must be initialised once per process before any other call; a `static let` gives a
/// thread-safe, lazy, exactly-once initialisation (Swift runs global initialisers under `swift_once`).
/// Every failing libgit2 call goes through ``check(_:_:hint:notFound:)``, which reads
/// `git_error_last()` immediately, before any other libgit2 call can overwrite the thread's error.
enum LibGit2 {
    private static let initialized: Bool = git_libgit2_init() > 0

    /// Initialises libgit2 if this process has not done so yet. Cheap after the first call.
    static func ensureInitialized() {
        _ = initialized
    }

    /// Throws when `result` is a libgit2 failure (negative), carrying libgit2's own message.
    ///
    /// - Parameters:
    ///   - result: the libgit2 return code.
    ///   - what: what forge was doing, e.g. "writing blob src/app.py"; evaluated only on failure and
    ///     after the C error has been read.
    ///   - hint: what the user can do about it.
    ///   - notFound: when set, a `GIT_ENOTFOUND` result throws with this code instead of `.git`.
    static func check(
        _ result: Int32,
        _ what: @autoclosure () -> String,
        hint: String? = nil,
        notFound: ForgeError.Code? = nil
    ) throws {
        guard result < 0 else { return }
        let detail = lastErrorMessage()
        let code: ForgeError.Code =
            if let notFound, result == GIT_ENOTFOUND.rawValue { notFound } else { .git }
        throw ForgeError(code, "\(what()): \(detail ?? "libgit2 error \(result)")", hint: hint)
    }

    /// The error for a failed call whose code is `result`, for callers that pick the code
    /// themselves. Call it right after the failing call.
    static func failure(
        _ result: Int32,
        _ what: @autoclosure () -> String,
        code: ForgeError.Code = .git,
        hint: String? = nil
    ) -> ForgeError {
        let detail = lastErrorMessage()
        return ForgeError(code, "\(what()): \(detail ?? "libgit2 error \(result)")", hint: hint)
    }

    /// The current thread's last libgit2 error message, trimmed, if any.
    private static func lastErrorMessage() -> String? {
        guard let last = git_error_last(), let text = last.pointee.message else { return nil }
        let message = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        return message.isEmpty ? nil : message
    }
}

extension ForgeError.Code {
    /// A forge branch's tip was not the commit the caller built on: another process (or a person)
    /// moved it. Nothing was written to the branch.
    public static let branchMoved = ForgeError.Code("branch-moved", exitStatus: .usage)
}
