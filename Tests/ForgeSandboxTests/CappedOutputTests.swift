import Testing
@testable import ForgeSandbox

@Suite struct CappedOutputTests {
    @Test func keepsUpToTheLimitAndCountsTheRest() {
        var output = CappedOutput(limit: 10)
        output.append(Array("hello ".utf8))
        output.append(Array("world, again".utf8))
        output.finish()
        #expect(output.bytes == Array("hello worl".utf8))
        #expect(output.droppedBytes == 8)
        #expect(output.text == "hello worl\n[forge: output truncated: kept the first 10 bytes, dropped 8 more]\n")
    }

    @Test func neverEndsOnHalfACharacter() {
        var output = CappedOutput(limit: 4)
        output.append(Array("abcé!".utf8))  // é is two bytes: the cap falls inside it
        #expect(output.text.hasPrefix("abc\n[forge: output truncated"))
    }

    @Test func consumesTheExpectedPrefixAcrossChunks() {
        var output = CappedOutput(limit: 100, expectedPrefix: Array("<start>".utf8))
        output.append(Array("<sta".utf8))
        output.append(Array("rt>body".utf8))
        output.finish()
        #expect(output.prefixSeen)
        #expect(output.text == "body")
    }

    @Test func keepsOutputThatDoesNotStartWithThePrefix() {
        var output = CappedOutput(limit: 100, expectedPrefix: Array("<start>".utf8))
        output.append(Array("<stbwrap: error".utf8))
        output.finish()
        #expect(!output.prefixSeen)
        #expect(output.text == "<stbwrap: error")

        var partial = CappedOutput(limit: 100, expectedPrefix: Array("<start>".utf8))
        partial.append(Array("<sta".utf8))
        partial.finish()
        #expect(!partial.prefixSeen)
        #expect(partial.text == "<sta")
    }
}
