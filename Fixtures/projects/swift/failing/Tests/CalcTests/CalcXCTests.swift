import XCTest
@testable import Calc

final class CalcXCTests: XCTestCase {
    func testAddNegative() {
        XCTAssertEqual(add(-2, -3), -5)
    }

    func testAddOverflowsNothing() {
        XCTAssertEqual(add(2, 2), 5, "two plus two")
    }
}
