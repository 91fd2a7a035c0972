package curl

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
)

// FuzzParseCurl checks that Parse never panics on any text, and the
// round trip both ways: a command Export writes parses back to the
// request it was written from, and a request Parse read, written out
// again, parses back to itself.
func FuzzParseCurl(f *testing.F) {
	for _, s := range []string{
		`curl https://h/x`,
		"curl -sSL -X POST 'https://h/a?b=1' \\\n -H 'A: it'\\''s' -d '{\"a\":1}' | jq .",
		`curl "https://h/q?access_token=$(keyhole --config '/a b' token q)" -G --data-urlencode 'q=a b'`,
		`curl $'https://h/\x41' -H $'X: \u00e9\t\'' --json '[1]' -u me:pw -b a=1 -A x -e y -r 0-1`,
		"curl `keyhole token x` -H \"Authorization: Bearer `keyhole token x`\" 2>&1 > out",
		`curl "https://h/$(date "+%s)")" -d "$HOME ${X:-y}" -H 'X-E;' -H 'Y:'`,
		`curl -XPUT -HA:b -dc=d --url https://h --next`,
		`curl 'unterminated`,
	} {
		f.Add(s, "POST", "/items?page=2", "X-Nasty", `it's "$HOME" $(id) \`, "a=1&b='2'", false)
	}
	f.Add("curl h", "", "/q?access_token=old&x=[1]", "Authorization", "Basic x", "@file", true)
	f.Add("curl h", "HEAD", "https://other.example/x?", "Content-Type", "", "-d", false)
	f.Add("curl h", "get", "/a/../b/./c#frag", "X", "  padded\t", "line1\nline2\x00", true)
	f.Fuzz(func(t *testing.T, cmd, method, target, name, value, body string, inQuery bool) {
		p := &config.Provider{Name: "odd name's", BaseURL: "https://api.example/v1"}
		if inQuery {
			p = &config.Provider{Name: "q", BaseURL: "https://api.example/v1", Inject: &config.Inject{Query: "access_token"}}
		}
		r, info, err := Parse(cmd)
		if err == nil {
			if info == nil {
				t.Fatal("Parse returned no info and no error")
			}
			roundTrip(t, p, r)
		}
		roundTrip(t, p, exchange.Request{Method: method, Target: target, Header: []exchange.Field{{Name: name, Value: value}}, Body: body})
	})
}

// roundTrip writes r as a command, reads it back, and checks the
// request read is the one written: the token's header and parameter gone
// (the command fetches them from keyhole), the Content-Type the command
// spells out added.
func roundTrip(t *testing.T, p *config.Provider, r exchange.Request) {
	t.Helper()
	c, err := Export(p, r, Options{Reveal: true, ConfigPath: "/cfg/it's.toml"})
	if err != nil {
		return // not a request keyhole could send either
	}
	got, info, err := Parse(c.Command)
	if err != nil {
		t.Fatalf("the command does not parse back: %v\nrequest: %#v\ncommand:\n%s", err, r, c.Command)
	}
	in := providers.Injection{}
	if !c.Withheld {
		in = injection(p, nil)
		if info.Provider != p.Name || info.ConfigPath != "/cfg/it's.toml" {
			t.Fatalf("token command read as %q, %q\ncommand:\n%s", info.Provider, info.ConfigPath, c.Command)
		}
	}
	method, _ := checkMethod(r.Method)
	want := exchange.Request{Method: method, Body: r.Body}
	explicitType := false
	for _, h := range r.Header {
		if in.Header != "" && strings.EqualFold(h.Name, in.Header) {
			continue
		}
		explicitType = explicitType || strings.EqualFold(h.Name, "Content-Type")
		want.Header = append(want.Header, exchange.Field{Name: h.Name, Value: trimHTTPBlanks(h.Value)})
	}
	if r.Body != "" && !explicitType {
		want.Header = append(want.Header, exchange.Field{Name: "Content-Type", Value: exchange.SniffContentType(r.Body)})
	}
	u, _ := exchange.ResolveURL(p.BaseURL, r.Target)
	u.Fragment, u.RawFragment = "", ""
	if in.Query != "" {
		u.RawQuery = dropQueryParam(u.RawQuery, in.Query)
	}
	wantURL, gotURL := normalURL(u.String()), normalURL(got.Target)
	got.Target = ""
	if !reflect.DeepEqual(got, want) || gotURL != wantURL {
		t.Fatalf("round trip:\n got %#v %s\nwant %#v %s\ncommand:\n%s", got, gotURL, want, wantURL, c.Command)
	}
}

// normalURL is a URL as it goes out: no trailing empty "?".
func normalURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "unparsable " + s
	}
	u.ForceQuery = false
	return u.String()
}
