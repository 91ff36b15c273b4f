/// How a stage's model calls sample: temperature and seed.
struct Sampling {
    var temperature: Double = 0
    /// Passed to providers that honour it, so reruns of the same run are comparable.
    var seed: Int? = 7
}
