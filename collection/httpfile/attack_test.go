package httpfile

import "testing"

// TestIndentedHeaderWithSpaceBeforeColon: a header written `Name : value`
// is a header wherever it stands (header reads it so), also indented
// right after the request line: read as a continuation of the URL, its
// value — a credential, as often as not — would go in the URL, which
// servers log.
func TestIndentedHeaderWithSpaceBeforeColon(t *testing.T) {
	for _, src := range []string{
		"GET https://api.test/x\n  X-Api-Key : {{key}}\n",
		"GET https://api.test/x\n\tAuthorization\t: Bearer {{$auth.token(\"api\")}}\n",
	} {
		r := parseOne(t, src)
		if r.URL != "https://api.test/x" || len(r.Headers) != 1 {
			t.Errorf("%q: URL %q, headers %+v; want the URL alone and one header", src, r.URL, r.Headers)
		}
	}
}
