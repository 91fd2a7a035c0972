package browser_test

import (
	"errors"
	"testing"

	"github.com/keyhole-sh/keyhole/internal/browser"
)

// TestCheck: only an absolute http(s) URL with a host, and
// nothing in it that would split it or pass for an option, goes to a
// browser helper.
func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://idp.example/authorize?client_id=x&state=y", true},
		{"http://127.0.0.1:8080/device", true},
		{"HTTP://EXAMPLE.COM/authorize", true},
		{"HtTpS://idp.example", true},
		{"javascript:alert(1)", false},
		{"JAVASCRIPT:alert(1)", false},
		{"file:///etc/passwd?x", false},
		{"data:text/html,<script>", false},
		{"--help", false},
		{"-a https://idp.example", false},
		{"//idp.example/authorize", false},
		{"/authorize", false},
		{"", false},
		{"https:///authorize", false},
		{"https:idp.example", false},
		{"https://idp.example/a b", false},
		{"https://idp.example/a\nb", false},
		{"https://idp.example/\x1b]52;c;eA==\x07", false},
		{"https://idp.example/\x7f", false},
	} {
		err := browser.Check(tc.url)
		if tc.ok != (err == nil) {
			t.Errorf("Check(%q) = %v, want ok %v", tc.url, err, tc.ok)
		}
		if err != nil && !errors.Is(err, browser.ErrNotWebURL) {
			t.Errorf("Check(%q) = %v, not ErrNotWebURL", tc.url, err)
		}
	}
}
