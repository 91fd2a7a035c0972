package secret_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

func TestMaskCredential(t *testing.T) {
	for in, want := range map[string]string{
		"Bearer eyJhbGciOi":       "Bearer ••••",
		"Basic dXNlcjpwYXNz":      "Basic ••••",
		"access_token abc":        "access_token ••••",
		"eyJhbGciOi":              "••••",
		"Bearer":                  "••••",
		"a.b.c xyz":               "••••", // "a.b.c" is no scheme
		"Averyveryverylongword x": "••••",
	} {
		if got := secret.MaskCredential(in); got != want {
			t.Errorf("MaskCredential(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskCookies(t *testing.T) {
	if got := secret.MaskCookies("sid=abc; theme=dark", false); got != "sid=••••; theme=••••" {
		t.Errorf("Cookie: %q", got)
	}
	if got := secret.MaskCookies("sid=abc; Path=/; HttpOnly", true); got != "sid=••••; Path=/; HttpOnly" {
		t.Errorf("Set-Cookie: %q", got)
	}
}

func TestMaskQuery(t *testing.T) {
	got, changed := secret.MaskQuery("b=2&client_secret=s%3B&a=1;x&api_key=&key=k", "key")
	if want := "b=2&client_secret=••••&a=1;x&api_key=••••&key=••••"; got != want || !changed {
		t.Errorf("MaskQuery = %q, %v; want %q", got, changed, want)
	}
	if got, changed := secret.MaskQuery("page=2&sort=name", ""); changed || got != "page=2&sort=name" {
		t.Errorf("nothing to mask: %q, %v", got, changed)
	}
}

// A URL is masked one way wherever it is shown: the password as ••••,
// not %E2%80%A2, and the query in place.
func TestMaskURL(t *testing.T) {
	u, _ := url.Parse("https://user:pw@h/p?z=1&access_token=t&a=2")
	if got, want := secret.MaskURL(u, ""), "https://user:••••@h/p?z=1&access_token=••••&a=2"; got != want {
		t.Errorf("MaskURL = %q, want %q", got, want)
	}
	if got, want := secret.RedactURL("https://user:pw@h/p?z=1&access_token=t&a=2"), "https://user:••••@h/p?z=1&access_token=••••&a=2"; got != want {
		t.Errorf("RedactURL = %q, want %q", got, want)
	}
}

func TestFoundValues(t *testing.T) {
	parts := secret.CredentialParts("Basic YXBwOnMzY3I=")
	for _, want := range []string{"Basic YXBwOnMzY3I=", "YXBwOnMzY3I=", "app:s3cr", "s3cr"} {
		if !slices.Contains(parts, want) {
			t.Errorf("CredentialParts lacks %q: %q", want, parts)
		}
	}
	if got := secret.ParamValues("a=1&password=p%2Fq&k=v", "k"); !slices.Equal(got, []string{"p%2Fq", "p/q", "v", "v"}) {
		t.Errorf("ParamValues = %q", got)
	}
	got := secret.JSONValues([]byte(`{"a":{"clientSecret":"cs","n":1},"list":[{"access_token":"at"}],"code":"40001"}`))
	slices.Sort(got)
	if !slices.Equal(got, []string{"at", "cs"}) {
		t.Errorf("JSONValues = %q", got)
	}
	var r secret.Redactor
	r.AddFound(`p"w0rd`)
	if echoed := `{"body":"{\"note\":\"p\\\"w0rd\"}"}`; strings.Contains(r.Redact(echoed), `w0rd`) {
		t.Errorf("a secret escaped twice shows: %s", r.Redact(echoed))
	}
}
