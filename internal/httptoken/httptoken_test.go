package httptoken

import "testing"

func TestValid(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"GET", true},
		{"X-Api-Key", true},
		{"!#$%&'*+-.^_`|~09azAZ", true},
		{"", false},
		{"two words", false},
		{"X-Key:", false},
		{"line\nbreak", false},
		{"tab\there", false},
		{"quote\"", false},
		{"(paren)", false},
		{"ünï", false},
		{"\x7f", false},
	} {
		if got := Valid(c.s); got != c.want {
			t.Errorf("Valid(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// TestCharIsTheRFCSet: the tchars are exactly the RFC's: ALPHA, DIGIT and
// its fifteen marks; no other byte.
func TestCharIsTheRFCSet(t *testing.T) {
	n := 0
	for c := 0; c < 256; c++ {
		if Char(byte(c)) {
			n++
		}
	}
	if n != 26+26+10+15 {
		t.Errorf("%d bytes are tchars, want 77", n)
	}
}
