import ForgeCore
import Foundation

/// forge's own data folders, `Templates/` and `Sandboxes/`, found next to the binary.
struct ForgeResources {
    let templates: URL
    let sandboxes: URL

    init(_ paths: ForgePaths) throws {
        guard let templates = paths.templates, let sandboxes = paths.sandboxes else {
            throw ForgeError(.config, "cannot find forge's Templates/ and Sandboxes/ folders next to the forge binary",
                             hint: "set FORGE_RESOURCES to the folder holding them (the forge source checkout, or <prefix>/share/forge)")
        }
        self.templates = templates
        self.sandboxes = sandboxes
    }
}
