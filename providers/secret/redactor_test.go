package secret_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"sync"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// formSecret has every character that encodings treat differently: '/'
// (%2F, \/), '+', ' ', '&', '<' (\u003c), a quote and a non-ASCII rune,
// and a length whose base64 needs padding.
const formSecret = `s3/cr+t &<"é`

// TestRedactorForms checks each encoding the secret travels in, as the
// text around it would carry it.
func TestRedactorForms(t *testing.T) {
	var r secret.Redactor
	r.Add(secret.New(formSecret))
	r.AddBasic(secret.New("app-client"), secret.New(formSecret))
	b64 := func(enc *base64.Encoding, s string) string { return enc.EncodeToString([]byte(s)) }
	cases := []struct {
		name, text, leak string
	}{
		{"plain", "secret is " + formSecret + ".", formSecret},
		{"%2F upper hex", "?x=s3%2Fcr%2Bt+%26%3C%22%C3%A9&y=1", "s3%2Fcr"},
		{"%2f lower hex", "?x=s3%2fcr%2bt+%26%3c%22%c3%a9&y=1", "s3%2fcr"},
		{"path escape", "/p/s3%2Fcr+t%20&%3C%22%C3%A9/x", "s3%2Fcr"},
		{"RFC 3986, lower hex", "x=s3%2fcr%2bt%20%26%3c%22%c3%a9", "s3%2fcr"},
		{`JSON \/`, `{"v":"s3\/cr+t \u0026\u003c\"é"}`, `s3\/cr`},
		{"JSON escaped", `{"v":"s3/cr+t \u0026\u003c\"é"}`, `s3/cr`},
		{"JSON without HTML escapes", `{"v":"s3/cr+t &<\"é"}`, `s3/cr`},
		{"JSON \\/ without HTML escapes", `{"v":"s3\/cr+t &<\"é"}`, `s3\/cr`},
		{"JSON ASCII-only (Python)", `{"v": "s3/cr+t &<\"\u00e9"}`, `s3/cr+t &<\"\u00e9`},
		{"JSON ASCII-only, \\/ (PHP)", `{"v":"s3\/cr+t &<\"\u00e9"}`, `s3\/cr+t &<\"\u00e9`},
		{"std base64 padded", "b=" + b64(base64.StdEncoding, formSecret) + ";", b64(base64.RawStdEncoding, formSecret)},
		{"std base64 unpadded", "b=" + b64(base64.RawStdEncoding, formSecret) + ";", b64(base64.RawStdEncoding, formSecret)},
		{"url base64 padded", "b=" + b64(base64.URLEncoding, formSecret) + ";", b64(base64.RawURLEncoding, formSecret)},
		{"url base64 unpadded", "b=" + b64(base64.RawURLEncoding, formSecret) + ";", b64(base64.RawURLEncoding, formSecret)},
		{"Basic", "Authorization: Basic " + b64(base64.StdEncoding, "app-client:"+formSecret), b64(base64.RawStdEncoding, "app-client:"+formSecret)},
		{"Basic, form-encoded pair", "Authorization: Basic " + b64(base64.StdEncoding, "app-client:s3%2Fcr%2Bt+%26%3C%22%C3%A9"), b64(base64.RawStdEncoding, "app-client:s3%2Fcr%2Bt+%26%3C%22%C3%A9")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(c.text, c.leak) {
				t.Fatalf("bad case: %q does not hold %q", c.text, c.leak)
			}
			got := r.Redact(c.text)
			if strings.Contains(got, c.leak) {
				t.Errorf("Redact(%q) = %q: still holds %q", c.text, got, c.leak)
			}
			if !strings.Contains(got, secret.Mask) {
				t.Errorf("Redact(%q) = %q: no mask", c.text, got)
			}
		})
	}
}

// TestShortSecretsAreNotMasked keeps the documented limit: a value under
// four bytes would turn every common letter pair into a mask.
func TestShortSecretsAreNotMasked(t *testing.T) {
	var r secret.Redactor
	r.Add(secret.New("abc"))
	if got := r.Redact("abc in cabcab"); got != "abc in cabcab" {
		t.Errorf("a 3-byte secret was masked: %q", got)
	}
	// Behind a credential name it is masked all the same.
	if got := r.Redact(`password=abc {"password": "abc"}`); strings.Contains(got, "abc") {
		t.Errorf("a short secret behind a credential name shows: %q", got)
	}
}

func TestMaskJSON(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"compact", `{"access_token":"t0k","token_type":"Bearer","expires_in":3600}`, `{"access_token":"••••","token_type":"Bearer","expires_in":3600}`},
		{"spaces and camel case", `{ "refreshToken" : "r1", "clientSecret":"c"}`, `{ "refreshToken" : "••••", "clientSecret":"••••"}`},
		{"nested, pretty", "{\n  \"detail\": {\n    \"token\": \"abc\",\n    \"id_token\": \"x.y.z\"\n  }\n}", "{\n  \"detail\": {\n    \"token\": \"••••\",\n    \"id_token\": \"••••\"\n  }\n}"},
		{"suffix names", `{"appSecret":"a","db_password":"b","client-secret":"c"}`, `{"appSecret":"••••","db_password":"••••","client-secret":"••••"}`},
		{"status code kept", `{"code":"40001","message":"bad appSecret"}`, `{"code":"40001","message":"bad appSecret"}`},
		{"value that looks like a key", `{"note":"password","x":"password:"}`, `{"note":"password","x":"password:"}`},
		{"escaped quote in a value", `{"note":"say \"hi\", password","password":"p\"q"}`, `{"note":"say \"hi\", password","password":"••••"}`},
		{"Authorization keeps its scheme", `{"headers":{"Authorization":["Bearer abc"],"X-Api-Key":["k1","k2"]}}`, `{"headers":{"Authorization":["Bearer ••••"],"X-Api-Key":["••••","••••"]}}`},
		{"JSON inside a string", `{"data":"{\"client_secret\":\"cs\",\"a\":1}"}`, `{"data":"{\"client_secret\":\"••••\",\"a\":1}"}`},
		{"pretty JSON inside a string", `{"data":"{\n  \"password\": \"pw\"\n}"}`, `{"data":"{\n  \"password\": \"••••\"\n}"}`},
		{"cut off inside the value", `{"access_token":"eyJhbGciOi`, `{"access_token":"••••`},
		{"inside an error message", `token endpoint answered 500: {"access_token": "leaked"} <html>`, `token endpoint answered 500: {"access_token": "••••"} <html>`},
		{"non-string values left", `{"password":null,"token":{"a":"b"},"secret":12}`, `{"password":null,"token":{"a":"b"},"secret":12}`},
		{"empty value left", `{"password":""}`, `{"password":""}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, changed := secret.MaskJSON(c.in)
			if got != c.want {
				t.Errorf("MaskJSON(%s)\n got %s\nwant %s", c.in, got, c.want)
			}
			if changed != (c.in != c.want) {
				t.Errorf("changed = %v", changed)
			}
		})
	}
}

func TestRedactParamsInJSON(t *testing.T) {
	var r *secret.Redactor
	in := `{"next":"https://api/x?page=2\u0026access_token=abc\/def\u0026x=1","cb":"https://c/?code=xyz"}`
	want := `{"next":"https://api/x?page=2\u0026access_token=••••\u0026x=1","cb":"https://c/?code=••••"}`
	if got := r.Redact(in); got != want {
		t.Errorf("Redact\n got %s\nwant %s", got, want)
	}
}

// TestRedactBytesKeepsACleanBody: a body with nothing to mask comes back
// as it is, not copied, and the input is never written to.
func TestRedactBytesKeepsACleanBody(t *testing.T) {
	var r secret.Redactor
	r.Add(secret.New("the-secret-value"))
	clean := []byte(`{"items":[{"id":1,"name":"a=b"}],"code":"x"}`)
	out, changed := r.RedactBytes(clean)
	if changed || &out[0] != &clean[0] {
		t.Errorf("a clean body was copied or changed: %s", out)
	}
	dirty := []byte(`{"echo":"the-secret-value","password":"p"}`)
	keep := bytes.Clone(dirty)
	out, changed = r.RedactBytes(dirty)
	if !changed || string(out) != `{"echo":"••••","password":"••••"}` {
		t.Errorf("RedactBytes = %s, %v", out, changed)
	}
	if !bytes.Equal(dirty, keep) {
		t.Error("RedactBytes wrote to its input")
	}
}

func TestMerge(t *testing.T) {
	var a, b secret.Redactor
	a.Add(secret.New("first-secret"))
	b.Add(secret.New("second-secret"))
	m := a.Merge(&b, nil)
	if got := m.Redact("first-secret second-secret"); got != "•••• ••••" {
		t.Errorf("merged Redact = %q", got)
	}
	if got := a.Redact("second-secret"); got != "second-secret" {
		t.Errorf("Merge changed its receiver: %q", got)
	}
}

func TestSensitiveField(t *testing.T) {
	for _, n := range []string{"access_token", "accessToken", "Access-Token", "client_secret", "appSecret", "password", "userPassword", "X-Api-Key", "Authorization", "refresh_token", "id_token", "code_verifier"} {
		if !secret.SensitiveField(n) {
			t.Errorf("%s is not sensitive", n)
		}
	}
	for _, n := range []string{"code", "token_type", "expires_in", "appId", "message", "name", "scope", "nextPageToken2x"} {
		if secret.SensitiveField(n) {
			t.Errorf("%s is sensitive", n)
		}
	}
}

func FuzzRedactor(f *testing.F) {
	f.Add(`{"access_token":"abc","x":"s3/cr"}`, "s3/cr+t")
	f.Add(`a=1&password=\/x\u0026`, "pass")
	f.Add(`{"data":"{\"token\":\"`, "token")
	f.Fuzz(func(t *testing.T, text, sec string) {
		var r secret.Redactor
		r.Add(secret.New(sec))
		out := r.Redact(text)
		if len(sec) >= 8 && !strings.Contains(secret.Mask, sec) && strings.Contains(out, sec) && !strings.Contains(text, secret.Mask) {
			t.Errorf("Redact(%q) with secret %q = %q", text, sec, out)
		}
	})
}

// TestRedactorAddAfterUse checks that a secret added after a Redact is
// masked by the next one: the index built for the first is not reused.
func TestRedactorAddAfterUse(t *testing.T) {
	var r secret.Redactor
	r.Add(secret.New("first-secret"))
	if got := r.Redact("a first-secret b"); got != "a "+secret.Mask+" b" {
		t.Fatalf("first: %q", got)
	}
	r.Add(secret.New("second-secret"))
	r.AddBasic(secret.New("user"), secret.New("pass-word"))
	basic := base64.StdEncoding.EncodeToString([]byte("user:pass-word"))
	got := r.Redact("first-secret second-secret " + basic)
	if strings.Contains(got, "first-secret") || strings.Contains(got, "second-secret") || strings.Contains(got, basic) {
		t.Fatalf("after more Adds: %q", got)
	}
}

// TestRedactorSharedReadOnly has many goroutines make the first Redact of
// a Redactor at once (go test -race): it is built, then shared read-only.
func TestRedactorSharedReadOnly(t *testing.T) {
	r := &secret.Redactor{}
	r.Add(secret.New("shared-secret"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := r.Redact("x shared-secret y"); got != "x "+secret.Mask+" y" {
				t.Errorf("got %q", got)
			}
		})
	}
	wg.Wait()
}

// TestRedactParamsMaskedAlready: a value masked already keeps what
// follows it ("api_key=••••: EOF" is not "api_key=•••• EOF"), but a
// value that only starts with the mask — a known secret that began a
// longer one — is masked whole, as before.
func TestRedactParamsMaskedAlready(t *testing.T) {
	var r secret.Redactor
	r.Add(secret.New("the-known-secret"))
	for in, want := range map[string]string{
		"GET /x?api_key=••••: EOF":                      "GET /x?api_key=••••: EOF",
		"GET /x?api_key=••••&page=2":                    "GET /x?api_key=••••&page=2",
		"GET /x?api_key=••••":                           "GET /x?api_key=••••",
		"GET /x?api_key=••••tail-of-it&page=2":          "GET /x?api_key=••••&page=2",
		"GET /x?client_secret=the-known-secretMORE2345": "GET /x?client_secret=••••",
		"GET /x?access_token=••••.eyJzdWIiOiJ4In0.sig":  "GET /x?access_token=••••",
	} {
		if got := r.Redact(in); got != want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
