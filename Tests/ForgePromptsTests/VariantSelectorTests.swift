import ForgeCore
import ForgePrompts
import Foundation
import Testing

@Suite struct VariantSelectorTests {
    func variant(_ name: String) -> PromptTemplate {
        PromptTemplate(role: "pm", variant: name, description: name, body: "[system]\n[user]\n",
                       source: URL(fileURLWithPath: "/t/pm/\(name).mustache"), hash8: "00000000")
    }

    @Test func picksDefaultWhenPresent() {
        let selector = DefaultVariantSelector()
        let chosen = selector.select(role: "pm", from: [variant("careful"), variant("default"), variant("terse")])
        #expect(chosen.variant == "default")
    }

    @Test func picksTheFirstWithoutDefault() {
        let chosen = DefaultVariantSelector().select(role: "pm", from: [variant("careful"), variant("terse")])
        #expect(chosen.variant == "careful")
    }

    @Test func librarySelectsThroughTheSelectorAndRejectsUnknownRoles() throws {
        let library = TemplateLibrary(templates: [variant("terse"), variant("careful")])
        #expect(try library.select(role: "pm", using: DefaultVariantSelector()).variant == "careful")
        let error = try #require(throws: ForgeError.self) { try library.select(role: "qa", using: DefaultVariantSelector()) }
        #expect(error.code == .config)
    }
}
