import ForgeCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts and watches a process that must outlive forge: the local model server.
///
/// swift-subprocess ties a child's life to the `run` call, which is right for tools but wrong for a
/// server that later forge runs reuse, so this uses `posix_spawn` directly: the child gets a session
/// of its own (`POSIX_SPAWN_SETSID`, so a Ctrl-C in forge's terminal does not reach it), stdin from
/// /dev/null, stdout and stderr appended to a log file, and no inherited descriptors beyond those.
enum DetachedProcess {
    /// Spawns `executable` with `arguments` (argv[0] is the executable's path).
    /// - Returns: The child's pid.
    /// - Throws: ``ForgeError`` `.providerUnreachable` when the process cannot be started.
    static func spawn(_ executable: URL, arguments: [String], environment: [String: String], log: URL) throws -> pid_t {
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        let setsid = Int32(POSIX_SPAWN_SETSID)
        #else
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        let setsid: Int32 = 0x80 // POSIX_SPAWN_SETSID (glibc ≥ 2.26), a GNU extension Swift does not import
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        // A clean signal state: forge may block or ignore signals the server needs (SIGTERM, SIGINT).
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(setsid | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        #if canImport(Glibc)
        closeFrom3(&actions)
        #endif

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        var status = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        // ETXTBSY: the executable was written a moment ago (a fresh install) and a child that another
        // thread forked meanwhile still holds the writing descriptor until its own exec closes it.
        // That passes within milliseconds, so retry for up to a second (Go's os/exec meets the same race).
        var retries = 0
        while status == ETXTBSY, retries < 20 {
            retries += 1
            usleep(50_000)
            status = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        }
        guard status == 0 else {
            throw ForgeError(.providerUnreachable, "cannot start \(executable.path): \(String(cString: strerror(status)))",
                             hint: "run `forge model install` to repair the local model")
        }
        return pid
    }

    #if canImport(Glibc)
    /// Closes every descriptor above stderr in the child, so the server holds no socket or database
    /// file of forge's. `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34) is a GNU extension
    /// Swift does not import, so it is looked up at run time; without it, forge relies on its
    /// descriptors being close-on-exec, as Foundation opens them.
    private static func closeFrom3(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
    #endif

    /// How a process stands: still running, exited (with its status when it was our child), or gone.
    enum State: Equatable {
        case running
        case exited(status: Int32?)
    }

    /// Checks a pid without blocking, reaping it when it is a child of this process that exited.
    static func state(of pid: pid_t) -> State {
        var status: Int32 = 0
        let waited = waitpid(pid, &status, WNOHANG)
        if waited == pid { return .exited(status: status) }
        if waited == 0 { return .running }
        // Not our child: probe it. EPERM means it exists but belongs to someone else.
        if kill(pid, 0) == 0 || errno == EPERM { return isZombie(pid) ? .exited(status: nil) : .running }
        return .exited(status: nil)
    }

    private static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// The process's command line, when the platform shows it (/proc on Linux).
    static func commandLine(of pid: pid_t) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Describes a wait status for people: `exit status 1`, `signal 9`.
    static func describe(_ status: Int32?) -> String {
        guard let status else { return "it is gone" }
        let signal = status & 0x7f
        return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(signal)"
    }

    /// Asks the process (and its process group, when it leads one) to stop, then insists.
    /// - Returns: True when it is gone.
    static func terminate(_ pid: pid_t, grace: Duration) async -> Bool {
        let target = getpgid(pid) == pid ? -pid : pid
        _ = kill(target, SIGTERM)
        if await waitForExit(pid, within: grace) { return true }
        _ = kill(target, SIGKILL)
        return await waitForExit(pid, within: .seconds(5))
    }

    private static func waitForExit(_ pid: pid_t, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if state(of: pid) != .running { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return state(of: pid) != .running
    }

    /// A TCP port on 127.0.0.1 that is free right now: bind port 0, read the port, close.
    static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ForgeError(.io, "cannot open a socket to find a free port: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw ForgeError(.io, "cannot find a free port on 127.0.0.1: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
