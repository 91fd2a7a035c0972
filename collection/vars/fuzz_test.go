package vars

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// FuzzExpand throws any text at Expand with every kind of source set up:
// it must not panic or hang, a text without "{{" comes back as it is, and
// a success's secret spans are in bounds and ordered, with no secret value
// left in the masked text.
func FuzzExpand(f *testing.F) {
	for _, seed := range []string{
		"", "plain", "{{a}}", "{{ a }}{{b}}", "{{loop}}", "{{sec}}-{{sec}}", "{{",
		"{{}}", "}}{{", "{{a}", "{{$uuid}}", `{{$datetime "YYYY [at] HH:mm" -1 M}}`,
		"{{$randomInt 1 9}}", "{{$timestamp 3 ms}}", "{{$processEnv %name}}",
		`{{$auth.token("p")}}`, `{{$auth.idToken('p')}}`, "{{x.response.body.$.a[0]['b']}}",
		"{{x.response.headers.Set-Cookie}}", "{{x.request.body.*}}", "{{$localDatetime rfc1123}}",
	} {
		f.Add(seed)
	}
	const pw = "s3cret-value"
	vars := Layers{{Vars: map[string]Value{
		"a":    Template("A{{b}}"),
		"b":    Template("B"),
		"loop": Template("{{loop}}"),
		"sec":  Template(pw).AsSecret(),
		"name": Template("HOME"),
		"lit":  Literal("{{a}}"),
	}}}
	f.Fuzz(func(t *testing.T, text string) {
		r := Resolver{
			Vars:  vars.Lookup,
			Token: func(string, bool) (secret.String, error) { return secret.New(pw), nil },
			Exchange: func(string) (Exchange, bool) {
				return Exchange{Response: Message{Body: []byte(`{"a":[{"b":1}]}`)}}, true
			},
			Getenv:   func(string) (string, bool) { return pw, true },
			Now:      func() time.Time { return time.Unix(1e9, 0) },
			Location: time.UTC,
			Rand:     bytes.NewReader(bytes.Repeat([]byte{7}, 4096)),
		}
		res, err := r.Expand(text)
		if err != nil {
			if strings.Contains(err.Error(), pw) {
				t.Fatalf("an error shows the secret: %v", err)
			}
			return
		}
		out := res.Reveal()
		if !strings.Contains(text, "{{") && out != text {
			t.Fatalf("%q changed to %q", text, out)
		}
		last := 0
		for _, s := range res.Spans() {
			if s.Start < last || s.End <= s.Start || s.End > len(out) {
				t.Fatalf("bad spans %v in %d bytes", res.Spans(), len(out))
			}
			last = s.End + 1
		}
		if !strings.Contains(text, pw) && strings.Contains(res.Masked(), pw) {
			t.Fatalf("masked %q shows the secret", res.Masked())
		}
	})
}
