package httptoken

import "testing"

func TestValid(t *testing.T) {
	for _, s := range []string{"GET", "X-Api-Key", "!#$%&'*+-.^_`|~09azAZ"} {
		if !Valid(s) {
			t.Errorf("Valid(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "two words", "X-Key:", "line\nbreak", "tab\there", "quote\"", "(paren)", "ünï", "\x7f"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true, want false", s)
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
