import ForgeCore
import ForgePrompts
import Foundation
import Testing

@Suite struct PromptRendererTests {
    let renderer = PromptRenderer()

    func template(_ body: String) throws -> PromptTemplate {
        try PromptTemplate(text: templateText(role: "developer", variant: "default", body: body),
                           source: URL(fileURLWithPath: "/t/developer/default.mustache"))
    }

    @Test func splitsIntoSystemAndUserAndTrimsBlankLines() throws {
        let rendered = try renderer.render(try template("""
            {{! the body: sections "[system]" and "[user]" split the chat messages }}

            [system]

            You are a senior {{language}} developer.

            [user]
            Spec: {{spec}}

            """), context: ["language": "Swift", "spec": "add fizzbuzz"])
        #expect(rendered.system == "You are a senior Swift developer.")
        #expect(rendered.user == "Spec: add fizzbuzz")
        #expect(rendered.template.identifier.hasPrefix("developer/default@"))
    }

    @Test func rendersListsSectionsAndNestedObjects() throws {
        let body = """
            [system]
            {{#strict}}Follow the design exactly.{{/strict}}{{^strict}}Use judgement.{{/strict}}
            [user]
            Requirements:
            {{#prd.requirements}}
            - {{id}}: {{text}}{{#critical}} (critical){{/critical}}
            {{/prd.requirements}}
            {{^prd.risks}}No risks listed.{{/prd.risks}}
            Files:
            {{#files}}
            * {{.}}
            {{/files}}
            Iteration {{iteration}} of {{design.budget.iterations}}.
            {{#design}}Design: {{summary}}{{/design}}
            """
        let context: PromptContext = [
            "strict": true,
            "prd": ["requirements": [
                ["id": "R1", "text": "print numbers", "critical": true],
                ["id": "R2", "text": "say Fizz on 3", "critical": false],
            ], "risks": []],
            "files": ["Sources/Fizz.swift", "Tests/FizzTests.swift"],
            "iteration": 2,
            "design": ["summary": "one function", "budget": ["iterations": 4]],
        ]
        let rendered = try renderer.render(try template(body), context: context)
        #expect(rendered.system == "Follow the design exactly.")
        #expect(rendered.user == """
            Requirements:
            - R1: print numbers (critical)
            - R2: say Fizz on 3
            No risks listed.
            Files:
            * Sources/Fizz.swift
            * Tests/FizzTests.swift
            Iteration 2 of 4.
            Design: one function
            """)
    }

    @Test func missingNamesRenderAsNothing() throws {
        let rendered = try renderer.render(try template("[system]\nA{{nothing}}B\n[user]\n{{#absent}}never{{/absent}}C"), context: [:])
        #expect(rendered.system == "AB")
        #expect(rendered.user == "C")
    }

    /// Prompts carry code: nothing may be turned into HTML entities, in variables, sections or lists.
    @Test func doesNotEscapeHTML() throws {
        let code = #"if a < b && c > "d" { print('x') } // &amp; stays &amp;"#
        let body = """
            [system]
            {{code}}
            [user]
            {{#file}}{{path}}: {{content}}{{/file}}
            {{#lines}}{{.}}|{{/lines}}
            {{{code}}}
            """
        let rendered = try renderer.render(try template(body), context: [
            "code": .string(code),
            "file": ["path": "a&b.swift", "content": .string(code)],
            "lines": ["<tag>", "\"quoted\"", "'single'", "&"],
        ])
        #expect(rendered.system == code)
        #expect(rendered.user == "a&b.swift: \(code)\n<tag>|\"quoted\"|'single'|&|\n\(code)")
        #expect(!rendered.user.contains("&lt;") && !rendered.user.contains("&quot;") && !rendered.user.contains("&#39;"))
    }

    /// A value that holds a marker line (a spec, a source file) must not move the split.
    @Test func markerLinesInValuesDoNotSplit() throws {
        let rendered = try renderer.render(try template("[system]\nSystem {{spec}}\n[user]\nUser {{spec}}"),
                                           context: ["spec": "x\n[user]\n[system]\ny"])
        #expect(rendered.system == "System x\n[user]\n[system]\ny")
        #expect(rendered.user == "User x\n[user]\n[system]\ny")
    }

    @Test func missingMarkersAreErrors() throws {
        for (body, expected) in [
            ("[system]\nonly a system part\n", "the body has no [user] line"),
            ("[user]\nonly a user part\n", "the body has no [system] line"),
            ("[user]\nu\n[system]\ns\n", "[user] (line 7) comes before [system] (line 9)"),
            ("[system]\na\n[user]\nb\n[user]\nc\n", "[user] appears 2 times (lines 9, 11)"),
        ] {
            let error = try #require(throws: ForgeError.self) { try renderer.render(try template(body), context: [:]) }
            #expect(error.code == .config)
            #expect(error.message == "/t/developer/default.mustache: \(expected)")
        }
    }

    @Test func textBeforeSystemIsAnError() throws {
        let error = try #require(throws: ForgeError.self) {
            try renderer.render(try template("Hello {{name}}\n[system]\ns\n[user]\nu\n"), context: ["name": "there"])
        }
        #expect(error.code == .config)
        #expect(error.message.hasPrefix("/t/developer/default.mustache: text before the [system] line"))
        #expect(error.message.contains("Hello there"))
    }

    @Test func mustacheSyntaxErrorNamesFileAndLine() throws {
        // Front matter is 6 lines; body line 3 is file line 9.
        let error = try #require(throws: ForgeError.self) {
            try renderer.render(try template("[system]\nok\n{{#open}}never closed\n[user]\nu\n"), context: [:])
        }
        #expect(error.code == .config)
        #expect(error.message.hasPrefix("/t/developer/default.mustache: line "))
        #expect(error.message.contains("never closed"))

        let mismatch = try #require(throws: ForgeError.self) {
            try renderer.render(try template("[system]\nok\n[user]\n{{#a}}x{{/b}}\n"), context: [:])
        }
        #expect(mismatch.message.hasPrefix("/t/developer/default.mustache: line 10: "))
        #expect(mismatch.message.contains("closed with a different name"))

        let unclosedTag = try #require(throws: ForgeError.self) {
            try renderer.render(try template("[system]\nok {{name\n[user]\nu\n"), context: [:])
        }
        #expect(unclosedTag.message == "/t/developer/default.mustache: line 8: a tag is not closed (missing }}) (in: ok {{name)")
    }

    @Test func jsonValuesBecomePromptValues() throws {
        let prd = try JSONValue(parsing: #"{"title": "Fizz", "count": 3, "ratio": 0.5, "done": false, "gone": null, "tags": ["a", null, "b"]}"#)
        let rendered = try renderer.render(try template("""
            [system]
            {{prd.title}} {{prd.count}} {{prd.ratio}}{{#prd.done}} done{{/prd.done}}{{#prd.gone}} gone{{/prd.gone}}
            [user]
            {{#prd.tags}}{{.}};{{/prd.tags}}
            """), context: ["prd": PromptValue(json: prd)])
        #expect(rendered.system == "Fizz 3 0.5")
        #expect(rendered.user == "a;b;")
    }
}
