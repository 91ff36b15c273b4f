import Testing
@testable import ForgeLLM

/// The header lines libcurl hands over, read into one status and lowercased fields.
@Suite struct ResponseHeadParserTests {
    func feed(_ lines: [String]) -> [ResponseHeadParser.Head] {
        var parser = ResponseHeadParser()
        return lines.compactMap { parser.feed(line: $0) }
    }

    @Test func readsTheStatusAndLowercasesTheNames() {
        let heads = feed(["HTTP/1.1 200 OK\r\n", "Content-Type: text/event-stream\r\n",
                          "X-Request-ID:  abc:def \r\n", "\r\n"])
        #expect(heads == [.init(status: 200, headers: ["content-type": "text/event-stream", "x-request-id": "abc:def"])])
    }

    @Test func skipsInterimAnswersAndKeepsTheFinalOne() {
        let heads = feed(["HTTP/1.1 100 Continue\r\n", "\r\n",
                          "HTTP/1.1 103 Early Hints\r\n", "Link: </a>\r\n", "\r\n",
                          "HTTP/2 503\r\n", "retry-after: 7\r\n", "\r\n"])
        #expect(heads == [.init(status: 503, headers: ["retry-after": "7"])])
    }

    @Test func foldsRepeatedFields() {
        let heads = feed(["HTTP/1.1 200 OK\r\n", "Vary: a\r\n", "vary: b\r\n", "\r\n"])
        #expect(heads.first?.headers["vary"] == "a, b")
    }

    @Test func ignoresLinesBeforeAStatusLine() {
        var parser = ResponseHeadParser()
        #expect(parser.feed(line: "Content-Type: x\r\n") == nil)
        #expect(parser.feed(line: "\r\n") == nil)
        #expect(parser.pending == nil)
    }
}
