internal import CCurl
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange in libcurl: an easy handle configured from a `URLRequest`, driven by a multi
/// handle of its own on the calling (dedicated) thread.
///
/// The multi interface, with a single easy handle, is what `curl_easy_perform` runs inside; driving
/// it here makes the loop forge's own: `curl_multi_poll` sleeps until a socket is ready, libcurl's own
/// timer is due, the idle deadline passes, or `curl_multi_wakeup` (called by ``TransferControl``
/// from any thread) interrupts it. So a wait costs no CPU, sub-second idle timeouts are exact, and a
/// cancel takes effect at once rather than at the next once-a-second progress callback.
///
/// Owns its handles and frees them in `deinit`; not `Sendable`, it never leaves its thread.
final class CurlTransfer {
    enum Outcome {
        case completed
        case cancelled
        case idle
        case failed(URLError)
    }

    private let easy: UnsafeMutableRawPointer
    private let multi: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes its detailed message for a failure here (CURLOPT_ERRORBUFFER).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let receiver: ResponseReceiver
    private let url: URL?

    /// Configures the transfer; nothing is sent until ``run(idleTimeout:control:)``.
    /// - Throws: `URLError` when libcurl cannot be set up or refuses an option.
    init(request: URLRequest, receiver: ResponseReceiver, connectTimeout: Double) throws(URLError) {
        guard Self.globalInit == CURLE_OK.rawValue else {
            throw URLError(.unknown, userInfo: [NSLocalizedDescriptionKey: "libcurl could not be initialised"])
        }
        guard let easy = curl_easy_init() else {
            throw URLError(.unknown, userInfo: [NSLocalizedDescriptionKey: "curl_easy_init failed"])
        }
        guard let multi = curl_multi_init() else {
            curl_easy_cleanup(easy)
            throw URLError(.unknown, userInfo: [NSLocalizedDescriptionKey: "curl_multi_init failed"])
        }
        self.easy = easy
        self.multi = multi
        self.receiver = receiver
        url = request.url
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configure(request, connectTimeout: connectTimeout)
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else { throw multiFailure(added) }
    }

    deinit {
        curl_multi_remove_handle(multi, easy)
        curl_easy_cleanup(easy)
        curl_multi_cleanup(multi)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// `curl_global_init` once per process, thread-safely (a static `let` initialises once).
    private static let globalInit: UInt32 = curl_global_init(forge_curl_global_default()).rawValue

    /// Runs the exchange until it completes, fails, goes idle for `idleTimeout` seconds, or is cancelled.
    func run(idleTimeout: Double, control: TransferControl) -> Outcome {
        let waker = Waker(multi: multi)
        guard control.attach(wake: { waker.wake() }) else { return .cancelled }
        defer { control.detach() }
        let limit = Self.duration(idleTimeout)
        var running: Int32 = 1
        while true {
            let performed = curl_multi_perform(multi, &running)
            guard performed == CURLM_OK else { return .failed(multiFailure(performed)) }
            if control.isCancelled || receiver.consumerGone { return .cancelled }
            if running == 0 { return finished() }
            let idle = ContinuousClock.now - receiver.lastByte
            if idle >= limit { return .idle }
            let polled = curl_multi_poll(multi, nil, 0, Self.milliseconds(limit - idle), nil)
            guard polled == CURLM_OK else { return .failed(multiFailure(polled)) }
        }
    }

    /// The result libcurl recorded for the finished easy handle.
    private func finished() -> Outcome {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard forge_curl_message_is_done(message) != 0 else { continue }
            let code = forge_curl_message_result(message)
            return code == CURLE_OK ? .completed : .failed(failure(code))
        }
        return .completed
    }

    /// Sets the options: the request's URL, method, headers and body; no redirects, no signals
    /// (threads), no `Expect: 100-continue`; the write and header callbacks.
    private func configure(_ request: URLRequest, connectTimeout: Double) throws(URLError) {
        guard let url = request.url?.absoluteString else { throw URLError(.badURL) }
        try check(forge_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(forge_curl_setopt_string(easy, CURLOPT_URL, url))
        try check(forge_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        try check(forge_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        try check(forge_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0))
        try check(forge_curl_setopt_long(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1))
        try check(forge_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS,
                                         Int(Self.milliseconds(Self.duration(connectTimeout)))))
        try check(forge_curl_setopt_string(easy, CURLOPT_USERAGENT, "forge"))
        try setMethodAndBody(request)
        // "Expect:" with no value stops libcurl from adding `Expect: 100-continue` to large bodies.
        for line in (request.allHTTPHeaderFields ?? [:]).map({ "\($0.key): \($0.value)" }).sorted() + ["Expect:"] {
            guard let appended = curl_slist_append(headerList, line) else { throw URLError(.unknown) }
            headerList = appended
        }
        try check(forge_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))

        let context = Unmanaged.passUnretained(receiver).toOpaque()
        try check(forge_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        try check(forge_curl_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
            let length = size * count
            guard let context else { return 0 }
            let receiver = Unmanaged<ResponseReceiver>.fromOpaque(context).takeUnretainedValue()
            // Returning less than `length` makes libcurl abort with CURLE_WRITE_ERROR.
            return receiver.body(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
        })
        try check(forge_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
        try check(forge_curl_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { buffer, size, count, context in
            let length = size * count
            guard let context else { return 0 }
            Unmanaged<ResponseReceiver>.fromOpaque(context).takeUnretainedValue()
                .header(UnsafeRawBufferPointer(start: buffer, count: length))
            return length
        })
    }

    private func setMethodAndBody(_ request: URLRequest) throws(URLError) {
        let method = request.httpMethod?.uppercased() ?? "GET"
        if let body = request.httpBody ?? (method == "POST" ? Data() : nil) {
            // The size first: COPYPOSTFIELDS copies exactly that many bytes (a body may hold NULs).
            try check(forge_curl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            let copied = body.withUnsafeBytes { bytes in
                // libcurl reads `count` bytes from the pointer; an empty body still needs a valid one.
                guard let base = bytes.baseAddress else { return forge_curl_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "") }
                return forge_curl_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, base.assumingMemoryBound(to: CChar.self))
            }
            try check(copied)
            if method != "POST" { try check(forge_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)) }
        } else if method == "HEAD" {
            try check(forge_curl_setopt_long(easy, CURLOPT_NOBODY, 1))
        } else {
            try check(forge_curl_setopt_long(easy, CURLOPT_HTTPGET, 1))
            if method != "GET" { try check(forge_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)) }
        }
    }

    /// Every failed easy call goes through here, reading libcurl's message at once.
    private func check(_ code: CURLcode) throws(URLError) {
        guard code != CURLE_OK else { return }
        throw failure(code)
    }

    /// A libcurl result as the URLError the retry logic classifies, with libcurl's own words.
    private func failure(_ code: CURLcode) -> URLError {
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        var info: [String: Any] = [NSLocalizedDescriptionKey: message, "CURLcode": Int(code.rawValue)]
        if let url { info[NSURLErrorFailingURLErrorKey] = url }
        return URLError(Self.urlErrorCode(code), userInfo: info)
    }

    private func multiFailure(_ code: CURLMcode) -> URLError {
        URLError(.unknown, userInfo: [NSLocalizedDescriptionKey: String(cString: curl_multi_strerror(code))])
    }

    /// The seconds as a Duration, clamped so that zero, negative, NaN or huge values stay usable.
    static func duration(_ seconds: Double) -> Duration {
        guard seconds.isFinite else { return .seconds(365 * 24 * 3600) }
        return .milliseconds(Int64(min(max(seconds, 0.001), 365 * 24 * 3600) * 1000))
    }

    /// Whole milliseconds, rounded up (a poll that wakes early would only poll again), at least 1.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(total, 1))
    }
}

/// Wakes one multi handle's `curl_multi_poll` from another thread. `curl_multi_wakeup` is the one
/// multi call libcurl documents as safe from any thread; ``TransferControl`` calls it under its lock,
/// and the transfer detaches before freeing the handle, so the pointer is valid whenever it is used.
private struct Waker: @unchecked Sendable {
    let multi: UnsafeMutableRawPointer

    func wake() { curl_multi_wakeup(multi) }
}
