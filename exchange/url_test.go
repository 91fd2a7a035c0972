package exchange

import (
	"strings"
	"testing"
)

func TestRelativeTarget(t *testing.T) {
	for _, c := range []struct{ base, full, want string }{
		{"https://h/api/v1", "https://h/api/v1/items?page=2", "/items?page=2"},
		{"https://h/api/v1/", "https://h/api/v1/items", "/items"},
		{"https://h", "https://h/x", "/x"},
		{"https://h", "https://h:443/x", "/x"},
		{"https://h/", "https://h/", "/"},
		{"https://h/api/v1/", "https://h/api/v1/", "/"},
		{"https://h/api?api-version=1", "https://h/api/x?api-version=1&page=2", "/x?page=2"},
		{"https://h/api?api-version=1", "https://h/api/x?api-version=1", "/x"},
		{"https://h/files", "https://h/files/a%2Fb", "/a%2Fb"},
		// Stays whole: not under base_url, or would not resolve back.
		{"https://h/api?api-version=1", "https://h/api/x?page=2", "https://h/api/x?page=2"},
		{"https://h/api/v1", "https://h/api/v1", "https://h/api/v1"},
		{"https://h/api", "https://h/apix/y", "https://h/apix/y"},
		{"https://h/api", "http://h/api/x", "http://h/api/x"},
		{"https://h/api", "https://other/api/x", "https://other/api/x"},
		{"https://h/api", "https://u:p@h/api/x", "https://u:p@h/api/x"},
		{"", "https://h/x", "https://h/x"},
		{"https://h/api", "/already/a/path", "/already/a/path"},
	} {
		got := RelativeTarget(c.base, c.full)
		if got != c.want {
			t.Errorf("RelativeTarget(%q, %q) = %q, want %q", c.base, c.full, got, c.want)
		}
		if got != c.full {
			u, err := ResolveURL(c.base, got)
			if err != nil || u.String() != strings.Replace(c.full, ":443", "", 1) {
				t.Errorf("RelativeTarget(%q, %q) = %q resolves to %v, %v", c.base, c.full, got, u, err)
			}
		}
	}
}

func TestResolveURL(t *testing.T) {
	tests := []struct {
		base, target, want string
	}{
		{"https://h/api/v1", "/Owners", "https://h/api/v1/Owners"},
		{"https://h/api/v1", "Owners", "https://h/api/v1/Owners"},
		{"https://h/api/v1/", "/Owners", "https://h/api/v1/Owners"},
		{"https://h/api/v1/", "Owners/", "https://h/api/v1/Owners/"},
		{"https://h", "/Owners", "https://h/Owners"},
		{"https://h/", "/", "https://h/"},
		{"https://h/api", "  /x  ", "https://h/api/x"},
		{"https://h/api/v1", "/items?page=2", "https://h/api/v1/items?page=2"},
		{"https://h/api?api-version=1", "/items", "https://h/api/items?api-version=1"},
		{"https://h/api?api-version=1", "/items?page=2", "https://h/api/items?api-version=1&page=2"},
		{"https://h/api", "/items#frag", "https://h/api/items"},
		{"https://h/api", "/a b", "https://h/api/a%20b"},
		// Escapes in the path are kept: %2F is not a path separator.
		{"https://h/api", "/files/a%2Fb", "https://h/api/files/a%2Fb"},
		{"https://h/my%20api", "/x", "https://h/my%20api/x"},
		// A full URL stands as it is, base ignored.
		{"https://h/api/v1", "https://other.example/x?y=1", "https://other.example/x?y=1"},
		{"https://h/api/v1", "HTTP://h/x", "http://h/x"},
		{"", "https://h/x", "https://h/x"},
		// A path whose query holds a URL is still a path.
		{"https://h/api", "/redirect?to=https://elsewhere/x", "https://h/api/redirect?to=https://elsewhere/x"},
		{"https://h/api", "/proxy/http://x", "https://h/api/proxy/http://x"},
	}
	for _, tt := range tests {
		u, err := ResolveURL(tt.base, tt.target)
		if err != nil {
			t.Errorf("ResolveURL(%q, %q) = %v", tt.base, tt.target, err)
			continue
		}
		if u.String() != tt.want {
			t.Errorf("ResolveURL(%q, %q) = %s, want %s", tt.base, tt.target, u, tt.want)
		}
	}
}

func TestResolveURLErrors(t *testing.T) {
	if _, err := ResolveURL("", "/x"); err == nil || !strings.Contains(err.Error(), "base_url") {
		t.Errorf("path without base_url: %v", err)
	}
	if _, err := ResolveURL("https://h/%zz", "/x"); err == nil || !strings.Contains(err.Error(), "base_url") {
		t.Errorf("bad base_url: %v", err)
	}
	if _, err := ResolveURL("https://h", "/x%zz"); err == nil {
		t.Error("bad path escape accepted")
	}
	// A path starting with // names a host: joined, the host was dropped
	// without a word and /x went out, not the //evil.test/x shown.
	for _, target := range []string{"//evil.test/x", "///x", " //evil.test"} {
		if u, err := ResolveURL("https://h/api", target); err == nil || !strings.Contains(err.Error(), "names a host") {
			t.Errorf("ResolveURL(%q) = %v, %v; want it refused", target, u, err)
		}
	}
	// A full URL that does not parse: the error must not echo a token in
	// it, nor a password in its userinfo, whole or a piece of it (a '/'
	// in the password makes Go quote what comes before as the port).
	const tok = "tok-9f8e7d6c5b"
	for _, target := range []string{
		"https://h/x?access_token=" + tok + "\x7f",
		"https://h:bad/x?token=" + tok,
		"https://me:" + tok[:7] + "/" + tok[7:] + "@h/x",
		"https://me:" + tok + "@h/x%zz\x7f",
	} {
		_, err := ResolveURL("https://h", target)
		if err == nil {
			t.Errorf("ResolveURL(%q) accepted", target)
			continue
		}
		if strings.Contains(err.Error(), tok[:7]) || strings.Contains(err.Error(), tok[7:]) {
			t.Errorf("ResolveURL error leaks the token: %v", err)
		}
	}
}
