import ForgeCore
import Foundation
import Testing
@testable import ForgeLLM

@Suite struct FingerprintTests {
    let request = ChatRequest(
        purpose: "pm",
        messages: [ChatMessage(.system, "You are a PM."), ChatMessage(.user, "Write a PRD for a todo app.")],
        temperature: 0, maxTokens: 512, seed: 7,
        jsonSchema: ["type": "object", "properties": ["title": ["type": "string"]], "required": ["title"]])

    @Test func isAKnownHashOfTheCanonicalJSON() {
        // Pinned so a change to the canonical form (which would orphan every cassette) is noticed.
        let expectedText = #"{"json_schema":{"properties":{"title":{"type":"string"}},"required":["title"],"type":"object"},"max_tokens":512,"messages":[{"content":"You are a PM.","role":"system"},{"content":"Write a PRD for a todo app.","role":"user"}],"seed":7,"temperature":0}"#
        #expect(request.canonicalValue.canonicalText == expectedText)
        #expect(request.fingerprint == SHA256.hex(expectedText))
        #expect(request.fingerprint.count == 64)
    }

    @Test func ignoresPurpose() {
        var other = request
        other.purpose = "fix-2"
        #expect(other.fingerprint == request.fingerprint)
    }

    @Test func isStableAcrossSchemaKeyOrder() throws {
        let reordered = try JSONValue(parsing: #"{"required":["title"],"type":"object","properties":{"title":{"type":"string"}}}"#)
        var other = request
        other.jsonSchema = reordered
        #expect(other.fingerprint == request.fingerprint)
        // And across an encode/decode round trip, as through a cassette file.
        let decoded = try JSONDecoder().decode(ChatRequest.self, from: JSONEncoder().encode(request))
        #expect(decoded.fingerprint == request.fingerprint)
    }

    @Test func changesWithEverythingTheModelSees() {
        var changes: [ChatRequest] = []
        var content = request
        content.messages[1].content += " With due dates."
        changes.append(content)
        var role = request
        role.messages[0].role = .user
        changes.append(role)
        var temperature = request
        temperature.temperature = 0.2
        changes.append(temperature)
        var maxTokens = request
        maxTokens.maxTokens = nil
        changes.append(maxTokens)
        var seed = request
        seed.seed = 8
        changes.append(seed)
        var schema = request
        schema.jsonSchema = nil
        changes.append(schema)
        let fingerprints = Set(changes.map(\.fingerprint) + [request.fingerprint])
        #expect(fingerprints.count == changes.count + 1)
    }
}
