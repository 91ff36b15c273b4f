internal import CCurl
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension CurlTransfer {
    /// The URLError code for a libcurl result, in the classes ``ProviderAttemptFailure/from(_:idleTimeout:receivedHead:)``
    /// tells apart: cannot reach the server (not worth retrying), timed out, or the connection
    /// failed on the way (worth retrying).
    static func urlErrorCode(_ code: CURLcode) -> URLError.Code {
        switch code {
        case CURLE_COULDNT_CONNECT:
            .cannotConnectToHost
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            .cannotFindHost
        case CURLE_URL_MALFORMAT:
            .badURL
        case CURLE_UNSUPPORTED_PROTOCOL:
            .unsupportedURL
        case CURLE_OPERATION_TIMEDOUT:
            // Only the connect timeout can fire: forge sets no total timeout.
            .timedOut
        case CURLE_PEER_FAILED_VERIFICATION:
            .serverCertificateUntrusted
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
            .secureConnectionFailed
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2,
             CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_QUIC_CONNECT_ERROR:
            .networkConnectionLost
        case CURLE_WEIRD_SERVER_REPLY:
            .badServerResponse
        case CURLE_BAD_CONTENT_ENCODING:
            .cannotDecodeContentData
        case CURLE_TOO_MANY_REDIRECTS:
            .httpTooManyRedirects
        case CURLE_FILESIZE_EXCEEDED:
            .dataLengthExceedsMaximum
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR:
            .cancelled
        default:
            .unknown
        }
    }
}
