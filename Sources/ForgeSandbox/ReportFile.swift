import Foundation

/// The test report inside a workspace, handled so code in the workspace cannot turn forge's own
/// file operations against the host.
///
/// The workspace holds model-written files, and a symlink there points wherever its author liked:
/// forge never follows one. Before a run, any stale report (a committed fake "all passed" file, or
/// a symlink in its path) is removed — the link itself, never its target; after the run the report
/// is read only when every component of its path is a real directory and the file a regular file.
struct ReportFile {
    /// Reports larger than this are not read (a real JUnit report of thousands of tests is far smaller).
    static let sizeLimit = 32 << 20

    enum ReadResult: Equatable {
        case missing
        case refused(String)
        case data(Data)
    }

    var workspace: URL
    var relativePath: String

    private var components: [String] { relativePath.split(separator: "/").map(String.init) }

    /// Removes what sits at the report's path, and any symlink or file standing where one of its
    /// directories should be.
    func clear() throws {
        var url = workspace
        for (index, component) in components.enumerated() {
            url.appendPathComponent(component)
            guard let type = Self.type(of: url) else { return }
            if index == components.count - 1 || type != .typeDirectory {
                try FileManager.default.removeItem(atPath: url.path)  // removes a link, not its target
                return
            }
        }
    }

    /// Creates the report's directories (after ``clear()``, none of them is a symlink), so a test
    /// command can write the report without making them itself.
    func prepareDirectories() throws {
        var url = workspace
        for component in components.dropLast() {
            url.appendPathComponent(component)
            switch Self.type(of: url) {
            case .typeDirectory?: continue
            case nil: try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            default:
                try FileManager.default.removeItem(atPath: url.path)
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            }
        }
    }

    /// Reads the report if it is a regular file reached through real directories.
    func read() -> ReadResult {
        var url = workspace
        for (index, component) in components.enumerated() {
            url.appendPathComponent(component)
            guard let type = Self.type(of: url) else { return .missing }
            let last = index == components.count - 1
            if type == .typeSymbolicLink { return .refused("\(relativePath) is a symlink; forge does not follow it") }
            if !last && type != .typeDirectory { return .refused("\(relativePath): a component is not a directory") }
            if last && type != .typeRegular { return .refused("\(relativePath) is not a regular file") }
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return .missing }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: Self.sizeLimit + 1)) ?? Data()
        if data.count > Self.sizeLimit { return .refused("\(relativePath) is larger than \(Self.sizeLimit >> 20) MB") }
        return .data(data)
    }

    /// The file type without following a symlink, or nil when nothing is there.
    private static func type(of url: URL) -> FileAttributeType? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        return attributes[.type] as? FileAttributeType
    }
}
