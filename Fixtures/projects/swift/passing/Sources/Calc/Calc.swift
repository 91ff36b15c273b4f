public func add(_ a: Int, _ b: Int) -> Int { a + b }

public func mean(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
}
