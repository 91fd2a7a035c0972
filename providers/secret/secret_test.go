package secret_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

const plain = "s3cr3t-VALUE-do-not-print"

type holder struct {
	name  string
	token secret.String
	inner struct{ pw secret.String }
	list  []secret.String
	ptr   *secret.String
}

type exported struct {
	Name  string
	Token secret.String
	Ptr   *secret.String
}

func TestFmtNeverPrintsValue(t *testing.T) {
	s := secret.New(plain)
	h := holder{name: "x", token: s, list: []secret.String{s}, ptr: &s}
	h.inner.pw = s
	e := exported{Name: "x", Token: s, Ptr: &s}
	values := map[string]any{"bare": s, "pointer": &s, "unexported": h, "unexported-ptr": &h, "exported": e, "slice": []secret.String{s}, "map": map[string]secret.String{"k": s}}
	verbs := []string{"%s", "%v", "%+v", "%#v", "%q", "%x", "%X", "%d", "%T"}
	for name, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, plain) || strings.Contains(out, fmt.Sprintf("%x", plain)) {
				t.Errorf("%s with %s leaked: %s", name, verb, out)
			}
		}
		if out := fmt.Sprint(v); strings.Contains(out, plain) {
			t.Errorf("%s via Sprint leaked: %s", name, out)
		}
	}
	if got := fmt.Sprintf("%v", s); got != secret.Mask {
		t.Errorf("%%v = %q, want the mask", got)
	}
}

func TestJSONNeverPrintsValue(t *testing.T) {
	s := secret.New(plain)
	for name, v := range map[string]any{"bare": s, "exported": exported{Token: s, Ptr: &s}, "unexported": holder{token: s}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bytes.Contains(b, []byte(plain)) {
			t.Errorf("%s leaked in JSON: %s", name, b)
		}
	}
	b, _ := json.Marshal(exported{Token: s})
	if !bytes.Contains(b, []byte(secret.Mask)) {
		t.Errorf("JSON does not show the mask: %s", b)
	}
}

func TestSlogNeverPrintsValue(t *testing.T) {
	s := secret.New(plain)
	for _, mk := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		log := slog.New(mk(&buf))
		log.Info("token", "t", s, "ptr", &s, "holder", holder{token: s}, "exported", exported{Token: s}, slog.Any("any", s))
		if strings.Contains(buf.String(), plain) {
			t.Errorf("slog leaked: %s", buf.String())
		}
		if !strings.Contains(buf.String(), secret.Mask) {
			t.Errorf("slog does not show the mask: %s", buf.String())
		}
	}
}

func TestRevealAndShow(t *testing.T) {
	s := secret.New(plain)
	if s.Reveal() != plain || s.Show(true) != plain || s.Show(false) != secret.Mask {
		t.Fatal("Reveal/Show do not round-trip")
	}
	var zero secret.String
	if !zero.IsZero() || zero.Masked() != "" || zero.Reveal() != "" {
		t.Fatal("zero secret is not empty")
	}
	if !secret.New("").IsZero() {
		t.Fatal("New(\"\") is not zero")
	}
}

func TestRedactor(t *testing.T) {
	var r secret.Redactor
	r.Add(secret.New("p@ss w/rd+\"x\""), secret.New("ab")) // short value ignored
	r.AddBasic(secret.New("client"), secret.New("p@ss w/rd+\"x\""))
	cases := []string{
		`Post "https://h/token?client_secret=p%40ss+w%2Frd%2B%22x%22": dial tcp: refused`,
		`{"password":"p@ss w/rd+\"x\""}`,
		"Authorization: Basic Y2xpZW50OnBAc3Mgdy9yZCsieCI=",
		"/path/p@ss%20w%2Frd+%22x%22",
	}
	for _, c := range cases {
		got := r.Redact(c)
		for _, bad := range []string{"p@ss", "p%40ss", "Y2xpZW50OnBAc3Mgdy9yZCsieCI"} {
			if strings.Contains(got, bad) {
				t.Errorf("Redact(%q) = %q still holds %q", c, got, bad)
			}
		}
	}
	if got := r.Redact("about 'ab' and cab"); got != "about 'ab' and cab" {
		t.Errorf("short secret redacted: %q", got)
	}
}

func TestRedactParams(t *testing.T) {
	var r *secret.Redactor
	in := `GET "https://api/x?page=2&access_token=abc.def&client_secret=zz#frag" failed; grant_type=client_credentials&code=42`
	got := r.Redact(in)
	want := `GET "https://api/x?page=2&access_token=••••&client_secret=••••#frag" failed; grant_type=client_credentials&code=••••`
	if got != want {
		t.Errorf("Redact = %q\nwant     %q", got, want)
	}
}

func TestRedactURL(t *testing.T) {
	got := secret.RedactURL("https://user:pw@h/p?client_id=a&client_secret=b&x=1")
	if strings.Contains(got, "pw") || strings.Contains(got, "=b") || !strings.Contains(got, "client_id=a") || !strings.Contains(got, "x=1") {
		t.Errorf("RedactURL = %q", got)
	}
	if got := secret.RedactURL("https://h/p?x=1"); got != "https://h/p?x=1" {
		t.Errorf("unchanged URL rewritten: %q", got)
	}
}

func TestSensitiveHeader(t *testing.T) {
	for _, h := range []string{"Authorization", "authorization", "Cookie", "Set-Cookie", "Proxy-Authorization"} {
		if !secret.SensitiveHeader(h) {
			t.Errorf("%s not sensitive", h)
		}
	}
	if secret.SensitiveHeader("Accept") {
		t.Error("Accept is sensitive")
	}
}
