package attack

import "testing"

func TestUnsafe(t *testing.T) {
	for _, tc := range []struct {
		text, keep string
		at         int
	}{
		{"plain ␛ text\n", "\n", -1},
		{Payload, "\n\t\r", 0},
		{"a\tb", "\n", 1},
		{"a\tb", "\n\t", -1},
		{"a\r\nb", "\n\r", -1},
		{"a\rb", "\n\r", 1},
		{"ok \u009b", "", 3},
		{"ok \u202e", "", 3},
		{"ok \xff", "", 3},
	} {
		if at, _ := Unsafe(tc.text, tc.keep); at != tc.at {
			t.Errorf("Unsafe(%q, %q) = %d, want %d", tc.text, tc.keep, at, tc.at)
		}
	}
}
