package vars

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// vars is a Resolver over one layer of values.
func withVars(values map[string]Value) Resolver {
	return Resolver{Vars: Layers{{Name: "test", Vars: values}}.Lookup}
}

func expand(t *testing.T, r Resolver, text string) Result {
	t.Helper()
	res, err := r.Expand(text)
	if err != nil {
		t.Fatalf("Expand(%q): %v", text, err)
	}
	return res
}

// expandErr expands text, which must fail with an *Error that says want,
// and returns the error for the checks a test adds.
func expandErr(t *testing.T, r Resolver, text, want string) error {
	t.Helper()
	res, err := r.Expand(text)
	if err == nil {
		t.Fatalf("Expand(%q) = %q, want an error", text, res.Reveal())
	}
	var named *Error
	if !errors.As(err, &named) {
		t.Fatalf("Expand(%q): %T %v, want an *Error", text, err, err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("Expand(%q): %q, want it to say %q", text, err, want)
	}
	return err
}

func TestExpandVariables(t *testing.T) {
	r := withVars(map[string]Value{
		"host":  Template("https://api.example.com"),
		"base":  Template("{{host}}/v1"),
		"url":   Template("{{ base }}/users"),
		"empty": Template(""),
		"a.b-c": Template("dotted"),
		"ünï":   Template("unicode"),
	})
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"no braces at all", "no braces at all"},
		{"{{host}}", "https://api.example.com"},
		{"{{ host }}/x", "https://api.example.com/x"},
		{"GET {{url}}?q=1", "GET https://api.example.com/v1/users?q=1"},
		{"[{{empty}}]", "[]"},
		{"{{a.b-c}} {{ünï}}", "dotted unicode"},
		{`{"a":{"b":1}}`, `{"a":{"b":1}}`},
		{"{{ not closed", "{{ not closed"},
		{"{{ spans\nlines }}", "{{ spans\nlines }}"},
		{"{{host}}{{host}}", "https://api.example.comhttps://api.example.com"},
	} {
		if got := expand(t, r, tc.in).Reveal(); got != tc.want {
			t.Errorf("Expand(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExpandErrors(t *testing.T) {
	r := withVars(map[string]Value{
		"url":  Template("{{host}}/v1"),
		"host": Template("{{missing}}"),
	})
	for _, tc := range []struct{ in, want string }{
		{"{{nope}}", "{{nope}}: not set"},
		{"x {{url}} y", "{{url}}: {{host}}: {{missing}}: not set"},
		{"{{}}", "{{}}: an empty {{}} names no variable"},
		{"{{ }}", "{{}}: an empty"},
		{"{{two words}}", "{{two words}}: not a variable name"},
		{`{{"json"}}`, `{{"json"}}: not a variable name`},
		{"{{x.response.body}}", "needs a path"},
		{"{{$datetime 'open}}", "quote is not closed"},
	} {
		expandErr(t, r, tc.in, tc.want)
	}
	if _, err := (Resolver{}).Expand("{{a}}"); !errors.Is(err, ErrNotSet) {
		t.Errorf("no Vars: %v, want ErrNotSet", err)
	}
}

func TestExpandCycles(t *testing.T) {
	r := withVars(map[string]Value{
		"self": Template("x{{self}}"),
		"a":    Template("{{b}}"),
		"b":    Template("{{c}}"),
		"c":    Template("{{a}}"),
	})
	if err := expandErr(t, r, "{{self}}", "self → self"); !errors.Is(err, ErrCycle) {
		t.Errorf("self: %v is not ErrCycle", err)
	}
	if err := expandErr(t, r, "{{a}}", "a → b → c → a"); !errors.Is(err, ErrCycle) {
		t.Errorf("a: %v is not ErrCycle", err)
	}

	// A chain deeper than the limit, with no cycle.
	deep := map[string]Value{"v40": Template("end")}
	for i := range 40 {
		deep[fmt.Sprint("v", i)] = Template(fmt.Sprintf("{{v%d}}", i+1))
	}
	expandErr(t, withVars(deep), "{{v0}}", "more than 32 deep")
	// Within the limit it resolves.
	if got := expand(t, withVars(deep), "{{v10}}").Reveal(); got != "end" {
		t.Errorf("v10 = %q", got)
	}

	// Each variable doubling the next: expanded once each, and stopped at
	// the size limit rather than growing to gigabytes.
	double := map[string]Value{"d30": Template("0123456789abcdef")}
	for i := range 30 {
		double[fmt.Sprint("d", i)] = Template(fmt.Sprintf("{{d%d}}{{d%d}}", i+1, i+1))
	}
	expandErr(t, withVars(double), "{{d0}}", "grows beyond")
	if got := expand(t, withVars(double), "{{d26}}").Reveal(); len(got) != 16*16 {
		t.Errorf("d26 is %d bytes", len(got))
	}
}

func TestLiteralIsNotExpanded(t *testing.T) {
	r := withVars(map[string]Value{
		"captured": Literal("{{$processEnv HOME}} {{other}}"),
	})
	r.Getenv = func(name string) (string, bool) {
		t.Errorf("a literal value read the environment variable %s", name)
		return "", false
	}
	if got := expand(t, r, "[{{captured}}]").Reveal(); got != "[{{$processEnv HOME}} {{other}}]" {
		t.Errorf("got %q", got)
	}
}

func TestLayers(t *testing.T) {
	ls := Layers{
		{Name: "provider", Vars: map[string]Value{"a": Template("provider"), "b": Template("provider")}},
		{Name: "http-client.env.json", Vars: map[string]Value{"b": Template("env"), "c": Template("env")}},
		{Name: "captures", Vars: map[string]Value{"c": Literal("captured")}},
	}
	for name, want := range map[string]string{"a": "provider", "b": "env", "c": "captured"} {
		v, ok := ls.Lookup(name)
		if !ok || v.Reveal() != want {
			t.Errorf("Lookup(%s) = %q %v, want %q", name, v.Reveal(), ok, want)
		}
	}
	if src := ls.Source("b"); src != "http-client.env.json" {
		t.Errorf("Source(b) = %q", src)
	}
	if _, ok := ls.Lookup("z"); ok || ls.Source("z") != "" {
		t.Error("z found")
	}
	// A file variable defined after it is used still resolves: lookups do
	// not depend on order.
	file := Layers{{Vars: map[string]Value{"url": Template("{{host}}/x"), "host": Template("h")}}}
	if got := expand(t, Resolver{Vars: file.Lookup}, "{{url}}").Reveal(); got != "h/x" {
		t.Errorf("got %q", got)
	}
}

func TestSecretsMarked(t *testing.T) {
	const key, pw = "sk-live-123456", "hunter2-pw"
	r := withVars(map[string]Value{
		"key":    Template(key).AsSecret(),
		"auth":   Template("Bearer {{key}}"),
		"pw":     Template(pw).AsSecret(),
		"both":   Template("{{key}}{{pw}}"),
		"wholly": Template("user-{{name}}").AsSecret(),
		"name":   Template("bob"),
		"empty":  Template("").AsSecret(),
	})
	res := expand(t, r, "Authorization: {{auth}} x={{pw}}&y={{key}}")
	want := "Authorization: Bearer " + key + " x=" + pw + "&y=" + key
	if res.Reveal() != want {
		t.Fatalf("Reveal = %q", res.Reveal())
	}
	if m := res.Masked(); m != "Authorization: Bearer ••••"+" x=••••&y=••••" {
		t.Errorf("Masked = %q", m)
	}
	if !res.HasSecret() || len(res.Spans()) != 3 {
		t.Errorf("spans %v", res.Spans())
	}
	var got []string
	for _, s := range res.Secrets() {
		got = append(got, s.Reveal())
	}
	if strings.Join(got, ",") != key+","+pw {
		t.Errorf("Secrets = %v", got)
	}

	// Two secrets side by side are one span; a secret template is secret
	// whole, the plain variable inside it too.
	if m := expand(t, r, "<{{both}}>").Masked(); m != "<••••>" {
		t.Errorf("both: %q", m)
	}
	if m := expand(t, r, "{{wholly}} {{name}}").Masked(); m != "•••• bob" {
		t.Errorf("wholly: %q", m)
	}
	if res := expand(t, r, "[{{empty}}]"); res.HasSecret() || res.Masked() != "[]" {
		t.Errorf("empty secret: %q %v", res.Masked(), res.Spans())
	}

	// However a Result or a Value is printed, no secret shows.
	type holder struct {
		res Result
		v   Value
	}
	v, _ := r.Vars("key")
	for _, out := range []string{
		fmt.Sprint(res), fmt.Sprintf("%v %+v %#v %s", res, res, res, res),
		fmt.Sprintf("%v %+v %#v", holder{res, v}, holder{res, v}, holder{res, v}),
		fmt.Sprint(v), res.String(),
	} {
		if strings.Contains(out, key) || strings.Contains(out, pw) {
			t.Errorf("printed a secret: %s", out)
		}
	}
	if s := fmt.Sprint(Template("plain")); s != "plain" {
		t.Errorf("a plain Value prints %q", s)
	}
}

func TestTokens(t *testing.T) {
	var asked []string
	r := Resolver{Token: func(id string, idToken bool) (secret.String, error) {
		asked = append(asked, fmt.Sprintf("%s %v", id, idToken))
		switch id {
		case "tapkey":
			if idToken {
				return secret.New("id.token.jwt"), nil
			}
			return secret.New("access-token-xyz"), nil
		case "empty":
			return secret.String{}, nil
		}
		return secret.String{}, fmt.Errorf("no provider %s", id)
	}}
	res := expand(t, r, `Bearer {{$auth.token("tapkey")}} / {{ $auth.idToken( 'tapkey' ) }}`)
	if res.Reveal() != "Bearer access-token-xyz / id.token.jwt" || res.Masked() != "Bearer •••• / ••••" {
		t.Errorf("got %q / %q", res.Reveal(), res.Masked())
	}
	if strings.Join(asked, ",") != "tapkey false,tapkey true" {
		t.Errorf("asked %v", asked)
	}
	for in, want := range map[string]string{
		`{{$auth.token("nope")}}`:  `{{$auth.token("nope")}}: no provider nope`,
		`{{$auth.token("empty")}}`: "empty token",
		`{{$auth.token(nope)}}`:    "must be quoted",
		`{{$auth.token("")}}`:      "must be quoted",
		`{{$auth.secret("x")}}`:    `write $auth.token("id")`,
		`{{$auth.token("x"}}`:      `write $auth.token("id")`,
	} {
		expandErr(t, r, in, want)
	}
	expandErr(t, Resolver{}, `{{$auth.token("x")}}`, `no provider "x"`)
}

func TestScan(t *testing.T) {
	text := `{{a}} {{$datetime "DD MMM" -1 d}} {{$auth.idToken("p")}} {{login.response.headers.X-Y}}`
	refs, err := Scan(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 4 {
		t.Fatalf("refs %+v", refs)
	}
	if r := refs[0]; r.Kind != Variable || r.Name != "a" || text[r.Start:r.End] != "{{a}}" {
		t.Errorf("0: %+v", r)
	}
	if r := refs[1]; r.Kind != Dynamic || r.Name != "$datetime" || strings.Join(r.Args, "|") != "DD MMM|-1|d" {
		t.Errorf("1: %+v", r)
	}
	if r := refs[2]; r.Kind != Token || r.Name != "p" || !r.IDToken {
		t.Errorf("2: %+v", r)
	}
	if r := refs[3]; r.Kind != Reference || r.Name != "login" || r.Part != "response" || r.Field != "headers" || r.Path != "X-Y" {
		t.Errorf("3: %+v", r)
	}
}
