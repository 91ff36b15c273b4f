import ForgeCore
import Foundation
import Testing
@testable import ForgeLLM

@Suite struct ServerSentEventParserTests {
    /// Feeds `text` in pieces of `size` bytes, as a network would.
    func events(_ text: String, pieceSize size: Int) -> [String] {
        var parser = ServerSentEventParser()
        let bytes = Array(text.utf8)
        var found: [String] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            found += parser.feed(Data(bytes[start ..< min(start + size, bytes.count)]))
        }
        return found + parser.finish()
    }

    @Test(arguments: [1, 2, 7, 1000])
    func splitsEventsWhereverTheBytesBreak(pieceSize: Int) {
        let stream = "data: {\"a\":1}\n\n: ping\n\ndata:{\"b\":\"é\"}\r\n\r\nevent: message\nid: 3\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n"
        #expect(events(stream, pieceSize: pieceSize) == ["{\"a\":1}", "{\"b\":\"é\"}", "line one\nline two", "[DONE]"])
    }

    @Test func keepsALastEventWithoutItsBlankLine() {
        #expect(events("data: {\"x\":1}\n\ndata: tail", pieceSize: 5) == ["{\"x\":1}", "tail"])
    }

    @Test func ignoresCommentsAndBlankRuns() {
        #expect(events(": keep-alive\n\n\n\n:another\n\n", pieceSize: 3).isEmpty)
    }

    @Test func acceptsBareCarriageReturns() {
        #expect(events("data: a\r\rdata: b\r\r", pieceSize: 1) == ["a", "b"])
    }
}

@Suite struct ChatCompletionAssemblerTests {
    @Test func readsDeltasFinishReasonAndUsage() throws {
        var assembler = ChatCompletionAssembler()
        #expect(try assembler.apply(eventData: #"{"choices":[{"delta":{"role":"assistant"}}]}"#) == "")
        #expect(try assembler.apply(eventData: #"{"model":"m-1","choices":[{"delta":{"content":"Hel"}}]}"#) == "Hel")
        #expect(try assembler.apply(eventData: #"{"choices":[{"delta":{"content":"lo"},"finish_reason":"length"}]}"#) == "lo")
        #expect(!assembler.sawDone)
        #expect(assembler.isComplete)
        _ = try assembler.apply(eventData: #"{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2}}"#)
        _ = try assembler.apply(eventData: "[DONE]")
        #expect(assembler.content == "Hello")
        #expect(assembler.finishReason == "length")
        #expect(assembler.model == "m-1")
        #expect(assembler.usage?.promptTokens == 4 && assembler.usage?.completionTokens == 2)
        #expect(assembler.sawDone)
    }

    @Test func rejectsWhatIsNotAChunk() {
        var assembler = ChatCompletionAssembler()
        #expect(throws: ChatCompletionAssembler.MalformedData.self) { try assembler.apply(eventData: "{\"choices\": [") }
        #expect(throws: ChatCompletionAssembler.MalformedData.self) { try assembler.apply(eventData: "[1, 2]") }
        #expect(throws: ChatCompletionAssembler.ServerError.self) { try assembler.apply(eventData: #"{"error":{"message":"overloaded"}}"#) }
        #expect(throws: ChatCompletionAssembler.MalformedData.self) { try assembler.apply(body: Data(#"{"object":"list"}"#.utf8)) }
    }
}
