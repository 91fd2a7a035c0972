package doctor_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/doctor"
)

type wwwParams = map[string]string

func TestParseWWWAuthenticate(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   []doctor.Challenge
	}{
		{"empty", "", nil},
		{"only separators", " , ,\t", nil},
		{"bare scheme", "Bearer", []doctor.Challenge{{Scheme: "Bearer"}}},
		{"realm", `Bearer realm="api"`, []doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"realm": "api"}}}},
		{"RFC 6750 §3 example", `Bearer realm="example", error="invalid_token", error_description="The access token expired"`,
			[]doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"realm": "example", "error": "invalid_token", "error_description": "The access token expired"}}}},
		{"two challenges", `Bearer realm="x", error="invalid_token", Basic realm="y"`,
			[]doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"realm": "x", "error": "invalid_token"}}, {Scheme: "Basic", Params: wwwParams{"realm": "y"}}}},
		{"insufficient scope", `Bearer error="insufficient_scope", scope="api:read api:write"`,
			[]doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"error": "insufficient_scope", "scope": "api:read api:write"}}}},
		{"names and schemes in any case", `BEARER Realm="x", ERROR=invalid_token`,
			[]doctor.Challenge{{Scheme: "BEARER", Params: wwwParams{"realm": "x", "error": "invalid_token"}}}},
		{"token values", `Bearer realm=api, error=invalid_token`, []doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"realm": "api", "error": "invalid_token"}}}},
		{"spaces around =", `Bearer realm = "x" , error= "e"`, []doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"realm": "x", "error": "e"}}}},
		{"backslash escapes and a comma in quotes", `Bearer error_description="say \"no\", \\ twice"`,
			[]doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"error_description": `say "no", \ twice`}}}},
		{"token68", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", []doctor.Challenge{{Scheme: "Basic", Token68: "YWxhZGRpbjpvcGVuc2VzYW1l"}}},
		{"token68 with padding, then a challenge", "Negotiate abc+/==, Bearer realm=\"r\"",
			[]doctor.Challenge{{Scheme: "Negotiate", Token68: "abc+/=="}, {Scheme: "Bearer", Params: wwwParams{"realm": "r"}}}},
		{"bare schemes in a list", "Negotiate, NTLM, Bearer", []doctor.Challenge{{Scheme: "Negotiate"}, {Scheme: "NTLM"}, {Scheme: "Bearer"}}},
		{"first of a repeated param wins", `Bearer error="a", error="b"`, []doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"error": "a"}}}},
		{"params with no scheme are dropped", `realm="x", Bearer`, []doctor.Challenge{{Scheme: "Bearer"}}},
		{"a param after a token68 belongs to nothing", `Basic abc=, realm="x"`, []doctor.Challenge{{Scheme: "Basic", Token68: "abc="}}},
		{"unterminated quote runs to the end", `Bearer realm="x, error=y`, []doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"realm": "x, error=y"}}}},
		{"empty quoted value", `Bearer realm=""`, []doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"realm": ""}}}},
		{"missing comma between params", `Bearer realm="x" error="y"`, []doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"realm": "x", "error": "y"}}}},
		{"junk bytes are skipped", "\x00Bearer @@ realm=\"x\"\xff", []doctor.Challenge{{Scheme: "Bearer", Params: wwwParams{"realm": "x"}}}},
		{"junk only", `"=@;`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := doctor.ParseWWWAuthenticate(tt.header)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseWWWAuthenticate(%q)\n got %#v\nwant %#v", tt.header, got, tt.want)
			}
		})
	}
}

func TestChallengeHelpers(t *testing.T) {
	h := http.Header{}
	h.Add("WWW-Authenticate", `Basic realm="files"`)
	h.Add("www-authenticate", `Bearer realm="api", error="insufficient_scope", error_description="needs write", scope="api:read  api:write"`)
	cs := doctor.Challenges(h)
	if len(cs) != 2 || !cs[0].Is("basic") || !cs[1].Is("BEARER") {
		t.Fatalf("Challenges = %#v, want Basic then Bearer", cs)
	}
	b := cs[1]
	if b.Realm() != "api" || b.ErrorCode() != "insufficient_scope" || b.ErrorDescription() != "needs write" {
		t.Errorf("realm %q, error %q, description %q", b.Realm(), b.ErrorCode(), b.ErrorDescription())
	}
	if got := b.Scopes(); !reflect.DeepEqual(got, []string{"api:read", "api:write"}) {
		t.Errorf("Scopes = %q", got)
	}
	if b.Param("SCOPE") == "" || cs[0].ErrorCode() != "" {
		t.Error("Param must ignore case and give \"\" when absent")
	}
	if doctor.Challenges(nil) != nil {
		t.Error("Challenges(nil) must be nil")
	}
}

func TestFormatWWWAuthenticate(t *testing.T) {
	cs := []doctor.Challenge{
		{Scheme: "Bearer", Params: wwwParams{"realm": "a\"b\\c", "error": "invalid_token"}},
		{Scheme: "Basic", Token68: "dXNlcg=="},
		{Scheme: "Negotiate"},
	}
	const want = `Bearer error="invalid_token", realm="a\"b\\c", Basic dXNlcg==, Negotiate`
	if got := doctor.FormatWWWAuthenticate(cs); got != want {
		t.Fatalf("Format = %s\nwant     %s", got, want)
	}
	if back := doctor.ParseWWWAuthenticate(want); !reflect.DeepEqual(back, cs) {
		t.Errorf("round trip: %#v", back)
	}
}

// FuzzParseWWWAuthenticate: whatever a server sends, the parser returns
// (no panic, no endless loop), every challenge has a scheme, token68 and
// params never mix, and the canonical form is a fixed point: parsing
// Format(Parse(h)) gives Parse(h) back.
func FuzzParseWWWAuthenticate(f *testing.F) {
	for _, seed := range []string{
		"",
		"Bearer",
		`Bearer realm="example"`,
		`Bearer realm="example", error="invalid_token", error_description="The access token expired"`,
		`Bearer error="insufficient_scope", scope="api:write"`,
		`Bearer realm="x", error="invalid_token", Basic realm="y"`,
		"Basic YWxhZGRpbjpvcGVuc2VzYW1l",
		"Negotiate abc==, NTLM",
		`DPoP algs="ES256 PS256", error="use_dpop_nonce"`,
		`Bearer error_description="a \"quoted\" \\ value, with comma"`,
		`Bearer realm="unterminated`,
		`=, ,="", Bearer =x`,
		"Bearer realm=\"x\"\r\n\tfoo=bar",
		"\x00\xff\"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := doctor.ParseWWWAuthenticate(header)
		for _, c := range got {
			if c.Scheme == "" {
				t.Fatalf("challenge with no scheme from %q", header)
			}
			if c.Token68 != "" && len(c.Params) > 0 {
				t.Fatalf("token68 and params together from %q: %#v", header, c)
			}
			if c.Params != nil && len(c.Params) == 0 {
				t.Fatalf("empty non-nil params from %q", header)
			}
		}
		canon := doctor.FormatWWWAuthenticate(got)
		again := doctor.ParseWWWAuthenticate(canon)
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("not stable:\n header %q\n parsed %#v\n canon  %q\n again  %#v", header, got, canon, again)
		}
	})
}
