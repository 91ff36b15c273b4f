import ArgumentParser

public struct ForgeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "forge")
    public init() {}
}

public enum ForgeEntry {
    public static func main() async {
        await ForgeCommand.main()
    }
}
