import Testing
@testable import Calc

@Test func adds() {
    #expect(add(2, 3) == 5)
}

@Suite struct MeanTests {
    @Test func meanOfThree() {
        #expect(mean([1, 2, 3]) == 2)
    }

    @Test func meanOfNothing() {
        #expect(mean([]) == nil)
    }
}
