import ForgeCore
import ForgePrompts
import Foundation
import Testing

@Suite struct PromptTemplateTests {
    let source = URL(fileURLWithPath: "/templates/pm/default.mustache")

    @Test func parsesFrontMatterAndBody() throws {
        let text = """
            ---
            role: pm
            variant: default
            schema: prd
            # a comment line, and a blank one

            description: "One sentence: with a colon."
            ---
            {{! the body }}
            [system]
            You are a product manager.
            [user]
            Spec: {{spec}}
            """
        let template = try PromptTemplate(text: text, source: source)
        #expect(template.role == "pm")
        #expect(template.variant == "default")
        #expect(template.schema == "prd")
        #expect(template.description == "One sentence: with a colon.")
        #expect(template.body == "{{! the body }}\n[system]\nYou are a product manager.\n[user]\nSpec: {{spec}}")
        #expect(template.bodyLine == 9)
        #expect(template.source == source)
    }

    @Test func schemaIsOptional() throws {
        let template = try PromptTemplate(text: templateText(role: "analyst", variant: "terse", schema: nil), source: source)
        #expect(template.schema == nil)
    }

    @Test(arguments: ["role", "variant", "description"])
    func missingRequiredFieldNamesFileAndField(field: String) throws {
        let text = templateText(role: "pm", variant: "default")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("\(field):") }
            .joined(separator: "\n")
        let error = try #require(throws: ForgeError.self) { try PromptTemplate(text: text, source: source) }
        #expect(error.code == .config)
        #expect(error.message == "\(source.path): the front matter has no \(field):")
    }

    @Test func noFrontMatterIsAnErrorNamingTheFile() throws {
        let error = try #require(throws: ForgeError.self) {
            try PromptTemplate(text: "[system]\nYou are.\n[user]\n{{spec}}\n", source: source)
        }
        #expect(error.code == .config)
        #expect(error.message.hasPrefix("\(source.path): "))
        #expect(error.message.contains("no front matter"))
    }

    @Test func unclosedFrontMatterIsAnError() throws {
        let error = try #require(throws: ForgeError.self) {
            try PromptTemplate(text: "---\nrole: pm\nvariant: default\ndescription: x\n[system]\n", source: source)
        }
        #expect(error.message == "\(source.path): the front matter is not closed by a --- line")
    }

    @Test func unknownKeysAndBadNamesAreErrors() throws {
        let typo = templateText(role: "pm", variant: "default").replacingOccurrences(of: "schema:", with: "shema:")
        let typoError = try #require(throws: ForgeError.self) { try PromptTemplate(text: typo, source: source) }
        #expect(typoError.message.contains("unknown key 'shema'"))

        let badName = templateText(role: "pm", variant: "my variant")
        let nameError = try #require(throws: ForgeError.self) { try PromptTemplate(text: badName, source: source) }
        #expect(nameError.message.contains("variant 'my variant'"))

        let twice = templateText(role: "pm", variant: "default").replacingOccurrences(of: "schema: prd", with: "role: pm")
        let twiceError = try #require(throws: ForgeError.self) { try PromptTemplate(text: twice, source: source) }
        #expect(twiceError.message.contains("'role' is given twice"))
    }

    @Test func hash8IsThePrefixOfTheFileSHA256AndStable() throws {
        let folder = try TemplateFolder()
        defer { folder.remove() }
        let text = templateText(role: "pm", variant: "default")
        let file = try folder.write(text, role: "pm", variant: "default")
        let first = try PromptTemplate(contentsOf: file)
        let again = try PromptTemplate(contentsOf: file)
        #expect(first.hash8 == String(SHA256.hex(text).prefix(8)))
        #expect(first.hash8.count == 8)
        #expect(first.hash8.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(again.hash8 == first.hash8)
        #expect(first.identifier == "pm/default@\(first.hash8)")
        #expect(try PromptTemplate(text: text, source: file).hash8 == first.hash8)

        // Any change to the file, even in the front matter's description, is a new version.
        try folder.write(templateText(role: "pm", variant: "default", description: "A test variant!"), role: "pm", variant: "default")
        let changed = try PromptTemplate(contentsOf: file)
        #expect(changed.hash8 != first.hash8)
        #expect(changed.identifier != first.identifier)
    }

    @Test func unreadableFileIsAConfigError() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/pm/default.mustache")
        let error = try #require(throws: ForgeError.self) { try PromptTemplate(contentsOf: missing) }
        #expect(error.code == .config)
        #expect(error.message.hasPrefix(missing.path))
    }
}
