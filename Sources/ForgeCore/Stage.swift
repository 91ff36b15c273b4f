/// The pipeline's stages, in the words of the commit contract (`Forge-Stage:`) and the store.
public enum Stage: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case pm
    case architect
    case developer
    case tests
    case verify
    case analyst
    case fix

    public var description: String { rawValue }

    /// A name for people: progress lines and error messages.
    public var title: String {
        switch self {
        case .pm: "product manager"
        case .architect: "architect"
        case .developer: "developer"
        case .tests: "test writer"
        case .verify: "verify"
        case .analyst: "analyst"
        case .fix: "developer (fix)"
        }
    }
}
