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

func TestJSONAndBasicForms(t *testing.T) {
	if got := JSONForms(`a<"b`); len(got) != 2 || got[0] != `a\u003c\"b` || got[1] != `a\\u003c\\\"b` {
		t.Errorf("JSONForms = %q", got)
	}
	// "id:s p" and "id:s+p" in base64.
	if got := BasicForms("id", "s p"); len(got) != 2 || got[0] != "aWQ6cyBw" || got[1] != "aWQ6cytw" {
		t.Errorf("BasicForms = %q", got)
	}
}
