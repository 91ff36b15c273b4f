import Testing
@testable import Calc

@Test func adds() {
    #expect(add(2, 3) == 5)
}

@Suite struct MeanTests {
    @Test func meanRounds() {
        #expect(mean([1, 2]) == 2, "mean of 1 and 2")
    }
}
