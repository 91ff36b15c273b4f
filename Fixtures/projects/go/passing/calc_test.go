package calc

import "testing"

func TestAdd(t *testing.T) {
	if got := Add(2, 3); got != 5 {
		t.Errorf("Add(2, 3) = %d, want 5", got)
	}
}

func TestMean(t *testing.T) {
	t.Run("three", func(t *testing.T) {
		if got, _ := Mean([]float64{1, 2, 3}); got != 2 {
			t.Errorf("Mean = %v, want 2", got)
		}
	})
	t.Run("nothing", func(t *testing.T) {
		if _, err := Mean(nil); err == nil {
			t.Error("Mean(nil) returned no error")
		}
	})
}
