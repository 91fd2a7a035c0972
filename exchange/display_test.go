package exchange

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

const mask = secret.Mask

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSentLinesHeaderToken(t *testing.T) {
	const tok = "eyJhbGciOi.payload.sig"
	s := Sent{
		Method: "GET",
		URL:    mustURL(t, "https://h/api/items?page=2"),
		Header: http.Header{
			"Authorization": {"Bearer " + tok},
			"Accept":        {"application/json"},
			"X-Echo":        {"token is " + tok},
		},
		Injection: providers.Injection{Header: "Authorization", Prefix: "Bearer "},
		Token:     secret.New(tok),
	}
	masked := s.Lines(false)
	want := []string{
		"GET https://h/api/items?page=2",
		"Accept: application/json",
		"Authorization: Bearer " + mask,
		"X-Echo: token is " + mask,
	}
	if !slices.Equal(masked, want) {
		t.Errorf("Lines(false) =\n%s\nwant\n%s", strings.Join(masked, "\n"), strings.Join(want, "\n"))
	}
	revealed := s.Lines(true)
	want = []string{
		"GET https://h/api/items?page=2",
		"Accept: application/json",
		"Authorization: Bearer " + tok,
		"X-Echo: token is " + tok,
	}
	if !slices.Equal(revealed, want) {
		t.Errorf("Lines(true) = %q, want %q", revealed, want)
	}
	if (Sent{}).Lines(false) != nil {
		t.Error("Lines of an unsent request is not empty")
	}
}

func TestSentLinesTokenCarryingItsScheme(t *testing.T) {
	// maptable issues "Bearer eyJ...": the scheme stays readable, since a
	// wrong or doubled scheme is what people come to see.
	const tok = "Bearer eyJ.x.y"
	s := Sent{
		Method:    "GET",
		URL:       mustURL(t, "https://h/x"),
		Header:    http.Header{"Authorization": {tok}},
		Injection: providers.Injection{Header: "Authorization"},
		Token:     secret.New(tok),
	}
	if got := s.Lines(false)[1]; got != "Authorization: Bearer "+mask {
		t.Errorf("masked = %q, want Authorization: Bearer %s", got, mask)
	}
	if strings.Contains(strings.Join(s.Lines(false), "\n"), "eyJ") {
		t.Error("token shown")
	}
}

func TestSentLinesQueryToken(t *testing.T) {
	const tok = "tok-123456"
	s := Sent{
		Method:    "POST",
		URL:       mustURL(t, "https://h/x?z=9&key="+tok+"&filter=a;b&client_secret=cs-999&page=2"),
		Header:    http.Header{"Content-Type": {"application/json"}},
		Injection: providers.Injection{Query: "key"},
		Token:     secret.New(tok),
	}
	got := s.Lines(false)
	if want := "POST https://h/x?z=9&key=" + mask + "&filter=a;b&client_secret=" + mask + "&page=2"; got[0] != want {
		t.Errorf("request line = %q, want %q", got[0], want)
	}
	if strings.Contains(strings.Join(got, "\n"), tok) || strings.Contains(got[0], "cs-999") {
		t.Errorf("secret shown: %q", got)
	}
	if got := s.Lines(true)[0]; got != "POST https://h/x?z=9&key="+tok+"&filter=a;b&client_secret=cs-999&page=2" {
		t.Errorf("revealed = %q", got)
	}
	if got := s.DisplayURL(false); got != "https://h/x?z=9&key="+mask+"&filter=a;b&client_secret="+mask+"&page=2" {
		t.Errorf("DisplayURL(false) = %q", got)
	}
}

func TestDisplayURLUserinfo(t *testing.T) {
	s := Sent{URL: mustURL(t, "https://user:pa55word@h/x?access_token=abc")}
	got := s.DisplayURL(false)
	if strings.Contains(got, "pa55word") || strings.Contains(got, "abc") {
		t.Errorf("DisplayURL(false) = %q", got)
	}
	if !strings.Contains(got, "user") {
		t.Errorf("DisplayURL(false) = %q: the user name is not a secret", got)
	}
	if s.DisplayURL(true) != "https://user:pa55word@h/x?access_token=abc" {
		t.Errorf("DisplayURL(true) = %q", s.DisplayURL(true))
	}
	if (Sent{}).DisplayURL(false) != "" {
		t.Error("DisplayURL without a URL")
	}
}

func TestHeaderLines(t *testing.T) {
	h := http.Header{
		"Cookie":              {"session=abc123; theme=dark"},
		"Set-Cookie":          {"session=abc123; Path=/; HttpOnly", "theme=dark"},
		"Proxy-Authorization": {"Basic dXNlcjpwYXNz"},
		"X-Api-Key":           {"k-777"},
		"Content-Type":        {"application/json"},
		"Authorization":       {"abcdef-raw-credential"},
	}
	got := HeaderLines(h, providers.Injection{}, secret.String{}, false)
	want := []string{
		"Authorization: " + mask,
		"Content-Type: application/json",
		"Cookie: " + mask,
		"Proxy-Authorization: Basic " + mask,
		"Set-Cookie: " + mask,
		"Set-Cookie: " + mask,
		"X-Api-Key: " + mask,
	}
	if !slices.Equal(got, want) {
		t.Errorf("HeaderLines(false) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	all := HeaderLines(h, providers.Injection{}, secret.String{}, true)
	if !slices.Contains(all, "Cookie: session=abc123; theme=dark") || !slices.Contains(all, "Set-Cookie: session=abc123; Path=/; HttpOnly") {
		t.Errorf("HeaderLines(true) = %q", all)
	}
	if len(HeaderLines(nil, providers.Injection{}, secret.String{}, false)) != 0 {
		t.Error("HeaderLines(nil) is not empty")
	}
}
