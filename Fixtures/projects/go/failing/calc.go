package calc

import "errors"

func Add(a, b int) int { return a + b }

func Mean(values []float64) (float64, error) {
	if len(values) == 0 {
		return 0, errors.New("mean of nothing")
	}
	sum := 0.0
	for _, v := range values {
		sum += v
	}
	return sum / float64(len(values)), nil
}
