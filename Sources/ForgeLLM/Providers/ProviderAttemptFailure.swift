import ForgeCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why one attempt at a chat completion failed: decides whether to retry, and what to tell the user
/// when retries run out.
enum ProviderAttemptFailure: Error {
    /// The server answered with an HTTP error status.
    case http(status: Int, excerpt: String, retryAfter: Double?)
    /// No connection could be made (refused, unknown host): retrying will not help.
    case unreachable(reason: String)
    /// No byte for the idle timeout; `receivedHead` tells a silent server from a stalled stream.
    case timeout(seconds: Double, receivedHead: Bool)
    /// The connection dropped (reset, closed mid-body).
    case connectionLost(reason: String)
    /// The stream ended cleanly but before `[DONE]` or a finish reason.
    case cutStream
    /// A chunk or body that is not the JSON it should be.
    case malformed(excerpt: String)
    /// The server sent an `error` object instead of an answer.
    case serverError(message: String)

    var isRetryable: Bool {
        switch self {
        case .http(let status, _, _): status == 429 || (500 ... 599).contains(status)
        case .unreachable: false
        case .timeout, .connectionLost, .cutStream, .malformed, .serverError: true
        }
    }

    var retryAfter: Double? {
        if case .http(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    /// A short description for log lines between retries.
    var summary: String {
        switch self {
        case .http(let status, _, _): "HTTP \(status)"
        case .unreachable(let reason): "unreachable: \(reason)"
        case .timeout(let seconds, _): "no data for \(Self.format(seconds))s"
        case .connectionLost(let reason): "connection lost: \(reason)"
        case .cutStream: "stream ended before the answer was complete"
        case .malformed: "malformed data"
        case .serverError(let message): "server error: \(message)"
        }
    }

    /// Classifies a transport error from URLSession.
    static func from(_ error: URLError, idleTimeout: Double, receivedHead: Bool) -> ProviderAttemptFailure {
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet, .badURL,
             .unsupportedURL, .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            .unreachable(reason: describe(error))
        case .timedOut:
            .timeout(seconds: idleTimeout, receivedHead: receivedHead)
        default:
            .connectionLost(reason: describe(error))
        }
    }

    private static func describe(_ error: URLError) -> String {
        switch error.code {
        case .cannotConnectToHost: "connection refused"
        case .cannotFindHost, .dnsLookupFailed: "the host name does not resolve"
        case .notConnectedToInternet: "no network"
        case .badURL, .unsupportedURL: "the URL is not valid"
        case .networkConnectionLost: "the connection was reset or closed"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot: "the TLS handshake failed"
        default:
            // libcurl's own words ("transfer closed with outstanding read data remaining") say most.
            error.userInfo[NSLocalizedDescriptionKey] as? String ?? "URL error \(error.code.rawValue)"
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(format: "%.2g", seconds)
    }

    /// The error to throw once retries are spent (or the failure is not worth retrying).
    func forgeError(_ configuration: OpenAICompatibleConfiguration, attempts: Int) -> ForgeError {
        let server = "\(configuration.providerName) server at \(configuration.baseURL.absoluteString)"
        let tries = attempts == 1 ? "" : " (\(attempts) attempts)"
        let startHint = "start the server (for the local model: `forge model serve`) or check base_url in the forge config"
        switch self {
        case .unreachable(let reason):
            return ForgeError(.providerUnreachable, "cannot reach the \(server): \(reason)", hint: startHint)
        case .timeout(let seconds, false):
            return ForgeError(.providerUnreachable,
                              "the \(server) did not answer within \(Self.format(seconds))s\(tries)",
                              hint: "\(startHint); a slow local model may need a longer request_timeout")
        case .timeout(let seconds, true):
            return ForgeError(.providerFailed, "the \(server) stopped sending for \(Self.format(seconds))s mid-answer\(tries)",
                              hint: "the server may be overloaded or stuck; restart it, or raise request_timeout")
        case .connectionLost(let reason):
            return ForgeError(.providerFailed, "the connection to the \(server) failed\(tries): \(reason)",
                              hint: "check that the server is still running and not restarting")
        case .cutStream:
            return ForgeError(.providerFailed,
                              "the \(server) closed the stream before the answer was complete\(tries)",
                              hint: "the server may have crashed mid-answer; check its log")
        case .malformed(let excerpt):
            return ForgeError(.providerFailed, "the \(server) sent malformed data\(tries): \(excerpt)",
                              hint: "check that base_url points at an OpenAI-compatible /v1 endpoint")
        case .serverError(let message):
            return ForgeError(.providerFailed, "the \(server) reported an error\(tries): \(message)",
                              hint: "check the server's log")
        case .http(let status, let excerpt, _):
            let detail = excerpt.isEmpty ? "" : ": \(excerpt)"
            let message = "the \(server) answered HTTP \(status)\(tries)\(detail)"
            return ForgeError(.providerFailed, message, hint: Self.hint(status: status, configuration))
        }
    }

    private static func hint(status: Int, _ configuration: OpenAICompatibleConfiguration) -> String {
        switch status {
        case 401, 403:
            if let variable = configuration.apiKeyVariable {
                return configuration.apiKey == nil
                    ? "no API key was sent: set \(variable) in the environment"
                    : "the API key was refused: check the key in \(variable)"
            }
            return "the API key was refused or missing: set it in the environment variable named by api_key_env in the forge config"
        case 404:
            return "check base_url (it usually ends in /v1) and the model name '\(configuration.model)'"
        case 400, 422:
            return "the server rejected the request; if it mentions response_format, set json_mode to llama-cpp or none"
        case 429:
            return "the provider is rate limiting; wait and try again, or use a higher quota"
        default:
            return "the server kept failing; check its status or log and try again"
        }
    }
}
