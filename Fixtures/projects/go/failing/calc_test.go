package calc

import "testing"

func TestAdd(t *testing.T) {
	if got := Add(2, 3); got != 5 {
		t.Errorf("Add(2, 3) = %d, want 5", got)
	}
}

func TestMeanRounds(t *testing.T) {
	if got, _ := Mean([]float64{1, 2}); got != 2 {
		t.Errorf("Mean(1, 2) = %v, want 2", got)
	}
}
