import ForgeCore
import ForgePrompts
import Foundation
import Testing

@Suite struct TemplateLibraryTests {
    @Test func loadsRolesAndVariantsSorted() throws {
        let folder = try TemplateFolder()
        defer { folder.remove() }
        try folder.write(templateText(role: "pm", variant: "terse"), role: "pm", variant: "terse")
        try folder.write(templateText(role: "pm", variant: "default"), role: "pm", variant: "default")
        try folder.write(templateText(role: "architect", variant: "default", schema: "design"), role: "architect", variant: "default")
        try folder.write("Notes for people; not a template.", at: "README.md")
        try folder.write("not a template either", at: "pm/NOTES.txt")

        let library = try TemplateLibrary(builtIn: folder.url)
        #expect(library.roles() == ["architect", "pm"])
        #expect(library.variants(for: "pm").map(\.variant) == ["default", "terse"])
        #expect(library.variants(for: "nobody").isEmpty)
        let architect = try library.template(role: "architect", variant: "default")
        #expect(architect.schema == "design")
        #expect(architect.source.lastPathComponent == "default.mustache")
    }

    @Test func overridesReplaceAndAdd() throws {
        let builtIn = try TemplateFolder()
        let repo = try TemplateFolder()
        defer { builtIn.remove(); repo.remove() }
        try builtIn.write(templateText(role: "pm", variant: "default"), role: "pm", variant: "default")
        try builtIn.write(templateText(role: "pm", variant: "terse"), role: "pm", variant: "terse")
        try repo.write(templateText(role: "pm", variant: "default", description: "The repo's own PM."), role: "pm", variant: "default")
        try repo.write(templateText(role: "pm", variant: "careful"), role: "pm", variant: "careful")
        try repo.write(templateText(role: "reviewer", variant: "default", schema: nil), role: "reviewer", variant: "default")

        let plain = try TemplateLibrary(builtIn: builtIn.url)
        let library = try TemplateLibrary(builtIn: builtIn.url, overrides: repo.url)
        #expect(library.roles() == ["pm", "reviewer"])
        #expect(library.variants(for: "pm").map(\.variant) == ["careful", "default", "terse"])

        let replaced = try library.template(role: "pm", variant: "default")
        #expect(replaced.description == "The repo's own PM.")
        #expect(replaced.source.path.hasPrefix(repo.url.path))
        #expect(replaced.hash8 != (try plain.template(role: "pm", variant: "default")).hash8)
        #expect(try library.template(role: "pm", variant: "terse").source.path.hasPrefix(builtIn.url.path))
    }

    @Test func absentOverridesFolderAddsNothing() throws {
        let folder = try TemplateFolder()
        defer { folder.remove() }
        try folder.write(templateText(role: "pm", variant: "default"), role: "pm", variant: "default")
        let library = try TemplateLibrary(builtIn: folder.url, overrides: folder.url.appendingPathComponent(".forge/templates"))
        #expect(library.roles() == ["pm"])
    }

    @Test func missingTemplateListsWhatExists() throws {
        let folder = try TemplateFolder()
        defer { folder.remove() }
        try folder.write(templateText(role: "pm", variant: "default"), role: "pm", variant: "default")
        try folder.write(templateText(role: "pm", variant: "terse"), role: "pm", variant: "terse")
        let library = try TemplateLibrary(builtIn: folder.url)

        let noVariant = try #require(throws: ForgeError.self) { try library.template(role: "pm", variant: "fancy") }
        #expect(noVariant.code == .config)
        #expect(noVariant.message == "no prompt template pm/fancy; pm has: default, terse")
        #expect(noVariant.hint?.contains(".forge/templates/pm/fancy.mustache") == true)

        let noRole = try #require(throws: ForgeError.self) { try library.template(role: "qa", variant: "default") }
        #expect(noRole.message == "no prompt templates for role 'qa'; roles with templates: pm")
    }

    @Test func mustacheSyntaxErrorFailsLoadingNamingTheFile() throws {
        let folder = try TemplateFolder()
        defer { folder.remove() }
        try folder.write(templateText(role: "pm", variant: "default"), role: "pm", variant: "default")
        let bad = try folder.write(templateText(role: "pm", variant: "broken", body: "[system]\n{{#a}}x{{/b}}\n[user]\nu\n"),
                                   role: "pm", variant: "broken")
        let error = try #require(throws: ForgeError.self) { try TemplateLibrary(builtIn: folder.url) }
        #expect(error.code == .config)
        #expect(error.message.hasPrefix("\(bad.path): line 8: "))
    }

    @Test func badBodyOrFrontMatterFailsLoadingNamingTheFile() throws {
        for (name, text) in [
            ("no-user", templateText(role: "pm", variant: "no-user", body: "[system]\ns\n")),
            ("preamble", templateText(role: "pm", variant: "preamble", body: "stray text\n[system]\ns\n[user]\nu\n")),
            ("no-front", "[system]\ns\n[user]\nu\n"),
        ] {
            let folder = try TemplateFolder()
            defer { folder.remove() }
            let file = try folder.write(text, role: "pm", variant: name)
            let error = try #require(throws: ForgeError.self) { try TemplateLibrary(builtIn: folder.url) }
            #expect(error.code == .config)
            #expect(error.message.hasPrefix("\(file.path): "), "\(name): \(error.message)")
        }
    }

    @Test func frontMatterMustMatchThePath() throws {
        let folder = try TemplateFolder()
        defer { folder.remove() }
        let file = try folder.write(templateText(role: "pm", variant: "default"), role: "architect", variant: "default")
        let error = try #require(throws: ForgeError.self) { try TemplateLibrary(builtIn: folder.url) }
        #expect(error.message == "\(file.path): the front matter says pm/default but the file is architect/default.mustache")
    }

    @Test func misplacedTemplateFilesAreErrors() throws {
        let top = try TemplateFolder()
        defer { top.remove() }
        let stray = try top.write(templateText(role: "pm", variant: "default"), at: "pm.mustache")
        let topError = try #require(throws: ForgeError.self) { try TemplateLibrary(builtIn: top.url) }
        #expect(topError.message.hasPrefix("\(stray.path): a template must be at <role>/<variant>.mustache"))

        let deep = try TemplateFolder()
        defer { deep.remove() }
        try deep.write(templateText(role: "pm", variant: "default"), role: "pm", variant: "default")
        let nested = try deep.write(templateText(role: "pm", variant: "x"), at: "pm/old/x.mustache")
        let deepError = try #require(throws: ForgeError.self) { try TemplateLibrary(builtIn: deep.url) }
        #expect(deepError.message.hasPrefix("\(nested.path): "))
    }

    @Test func missingBuiltInFolderIsAnError() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/Templates")
        let error = try #require(throws: ForgeError.self) { try TemplateLibrary(builtIn: missing) }
        #expect(error.code == .config)
        #expect(error.message.hasPrefix(missing.path))
        #expect(error.hint?.contains("FORGE_RESOURCES") == true)
    }
}
