// One forge-style chat completion request (POST JSON, streamed answer) through whichever
// HTTPStream.swift this file is compiled with; prints what came back.
// Usage: driver URL IDLE_TIMEOUT_SECONDS
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: CommandLine.arguments[1])!)
request.httpMethod = "POST"
request.setValue("application/json", forHTTPHeaderField: "Content-Type")
request.setValue("text/event-stream, application/json", forHTTPHeaderField: "Accept")
request.httpBody = Data(#"{"model":"slow","messages":[{"role":"user","content":"Say hi."}],"stream":true}"#.utf8)
let stream = HTTPStream(request: request, idleTimeout: Double(CommandLine.arguments[2]) ?? 600)
var status = 0
var bytes = 0
do {
    for try await event in stream.events {
        switch event {
        case .head(let code, _): status = code
        case .body(let data): bytes += data.count
        }
    }
    print("HTTP \(status), \(bytes) body bytes")
} catch {
    print("failed after HTTP \(status), \(bytes) body bytes: \(error)")
    exit(1)
}
