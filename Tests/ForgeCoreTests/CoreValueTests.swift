import ForgeCore
import Foundation
import Testing

@Suite struct CoreValueTests {
    @Test func runIDsSortByTimeAndNameTheirBranch() {
        let early = RunID.generate(at: Date(timeIntervalSince1970: 1_700_000_000))
        let late = RunID.generate(at: Date(timeIntervalSince1970: 1_700_000_100))
        #expect(early < late)
        #expect(early.rawValue.hasPrefix("20231114-"))
        #expect(early.branchName == "forge/\(early.rawValue)")
    }

    @Test func jsonCanonicalTextIsStable() throws {
        let a = try JSONValue(parsing: #"{"b": [1, 2.5, "x"], "a": {"z": null, "y": true}}"#)
        let b = try JSONValue(parsing: #"{"a": {"y": true, "z": null}, "b": [1, 2.5, "x"]}"#)
        #expect(a == b)
        #expect(a.canonicalText == b.canonicalText)
        #expect(a.canonicalText == #"{"a":{"y":true,"z":null},"b":[1,2.5,"x"]}"#)
    }

    @Test func exitStatusesFollowTheContract() {
        #expect(ForgeError.Code.usage.exitStatus.rawValue == 2)
        #expect(ForgeError.Code.providerUnreachable.exitStatus.rawValue == 3)
        #expect(ForgeError.Code.sandboxUnavailable.exitStatus.rawValue == 4)
        #expect(ForgeError.Code.interrupted.exitStatus.rawValue == 5)
    }

    @Test func pathsFollowXDG() {
        let env = ["HOME": "/home/u", "XDG_DATA_HOME": "/data", "FORGE_RESOURCES": "/res"]
        let paths = ForgePaths.resolve(environment: env, executable: nil)
        #expect(paths.dataHome.path == "/data/forge")
        #expect(paths.configHome.path == "/home/u/.config/forge")
        #expect(paths.resources?.path == "/res")
        #expect(paths.database(override: nil, environment: env).path == "/data/forge/forge.sqlite")
        #expect(paths.database(override: nil, environment: ["FORGE_DB": "/x.db"]).path == "/x.db")
        #expect(paths.database(override: "/y.db", environment: ["FORGE_DB": "/x.db"]).path == "/y.db")
    }
}
