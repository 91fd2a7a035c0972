package curl

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange"
	"github.com/keyhole-sh/keyhole/exchange/exchangetest"
	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

func TestCurlCommand(t *testing.T) {
	rawPrefix := ""
	api := &config.Provider{Name: "api", BaseURL: "https://api.example/v1"}
	q := &config.Provider{Name: "q", BaseURL: "https://api.example/v1", Inject: &config.Inject{Query: "access_token"}}
	raw := &config.Provider{Name: "raw", BaseURL: "https://api.example", Inject: &config.Inject{Header: "X-Api-Token", Prefix: &rawPrefix}}
	for _, c := range []struct {
		name    string
		p       *config.Provider
		r       exchange.Request
		opts    Options
		want    string
		masked  bool
		foreign bool
	}{
		{name: "GET", p: api, r: exchange.Request{Target: "/items?page=2", Header: []exchange.Field{{Name: "Accept", Value: "application/json"}}},
			want: "curl 'https://api.example/v1/items?page=2' \\\n  -H 'Accept: application/json' \\\n  -H \"Authorization: Bearer $(keyhole token api)\""},
		{name: "config path and token type", p: api, r: exchange.Request{Method: "delete", Target: "/items/1"},
			opts: Options{ConfigPath: "/home/me/my keys.toml", Token: &providers.Token{Access: secret.New("t0ken-value"), Type: "MAC"}},
			want: "curl -X DELETE https://api.example/v1/items/1 \\\n  -H \"Authorization: MAC $(keyhole --config '/home/me/my keys.toml' token api)\""},
		{name: "a token that carries its scheme", p: api, r: exchange.Request{Target: "/x"}, opts: Options{Token: &providers.Token{Access: secret.New("Bearer abc.def")}},
			want: "curl https://api.example/v1/x \\\n  -H \"Authorization: $(keyhole token api)\""},
		{name: "query injection", p: q, r: exchange.Request{Method: "POST", Target: "/q?x=1&access_token=old", Body: "a=b"},
			want: "curl \"https://api.example/v1/q?x=1&access_token=$(keyhole token q)\" \\\n  -H 'Content-Type: application/x-www-form-urlencoded' \\\n  -d a=b"},
		{name: "raw header", p: raw, r: exchange.Request{Target: "/r", Header: []exchange.Field{{Name: "X-Api-Token", Value: "typed"}}},
			want: "curl https://api.example/r \\\n  -H \"X-Api-Token: $(keyhole token raw)\""},
		{name: "empty header and a body starting with @", p: api, r: exchange.Request{Method: "PUT", Target: "/e", Header: []exchange.Field{{Name: "X-Empty", Value: "  "}, {Name: "Content-Type", Value: "text/plain"}}, Body: "@x"},
			want: "curl -X PUT https://api.example/v1/e \\\n  -H 'X-Empty;' \\\n  -H 'Content-Type: text/plain' \\\n  -H \"Authorization: Bearer $(keyhole token api)\" \\\n  --data-raw @x"},
		{name: "body file", p: api, r: exchange.Request{Method: "POST", Target: "/f", Body: `{"a":1}`}, opts: Options{BodyFile: "/tmp/it's.json"},
			want: "curl https://api.example/v1/f \\\n  -H 'Content-Type: application/json' \\\n  -H \"Authorization: Bearer $(keyhole token api)\" \\\n  --data-binary '@/tmp/it'\\''s.json'"},
		{name: "HEAD, brackets, dot segments", p: api, r: exchange.Request{Method: "HEAD", Target: "/a/../b?x[0]=1"},
			want: "curl --head -g --path-as-is 'https://api.example/v1/a/../b?x[0]=1' \\\n  -H \"Authorization: Bearer $(keyhole token api)\""},
		{name: "foreign origin", p: api, r: exchange.Request{Target: "https://other.example/x", Header: []exchange.Field{{Name: "Authorization", Value: "Basic dXNlcjpwYXNz"}}}, foreign: true, masked: true,
			want: "curl https://other.example/x \\\n  -H 'Authorization: Basic ••••'"},
		{name: "foreign origin, forced", p: api, r: exchange.Request{Target: "https://other.example/x"}, opts: Options{ForceToken: true},
			want: "curl https://other.example/x \\\n  -H \"Authorization: Bearer $(keyhole token api)\""},
		{name: "secrets masked", p: api, masked: true,
			r:    exchange.Request{Method: "POST", Target: "https://u:url-pass@api.example/v1/x?client_secret=cs&keep=1", Header: []exchange.Field{{Name: "Cookie", Value: "sid=1"}, {Name: "X-Note", Value: "held t0ken-value, conf-secret"}}, Body: "user=me&password=hunter2"},
			opts: Options{Token: exchangetest.Bearer("t0ken-value"), Redact: func(s string) string { return strings.ReplaceAll(s, "conf-secret", secret.Mask) }},
			want: "curl 'https://u:••••@api.example/v1/x?client_secret=••••&keep=1' \\\n  -H 'Cookie: ••••' \\\n  -H 'X-Note: held ••••, ••••' \\\n  -H 'Content-Type: application/x-www-form-urlencoded' \\\n  -H \"Authorization: Bearer $(keyhole token api)\" \\\n  -d 'user=me&password=••••'"},
		{name: "secrets revealed", p: api,
			r:    exchange.Request{Method: "POST", Target: "/x?client_secret=cs", Header: []exchange.Field{{Name: "Cookie", Value: "sid=1"}}, Body: "password=hunter2"},
			opts: Options{Reveal: true, Token: exchangetest.Bearer("t0ken-value")},
			want: "curl 'https://api.example/v1/x?client_secret=cs' \\\n  -H 'Cookie: sid=1' \\\n  -H 'Content-Type: application/x-www-form-urlencoded' \\\n  -H \"Authorization: Bearer $(keyhole token api)\" \\\n  -d password=hunter2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Export(c.p, c.r, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Command != c.want {
				t.Errorf("command:\n%s\nwant:\n%s", got.Command, c.want)
			}
			if got.Masked != c.masked || got.Withheld != c.foreign {
				t.Errorf("Masked, Withheld = %v, %v; want %v, %v", got.Masked, got.Withheld, c.masked, c.foreign)
			}
			if strings.Contains(got.Command, "t0ken-value") {
				t.Errorf("the token is in the command:\n%s", got.Command)
			}
		})
	}
}

func TestCurlCommandRefuses(t *testing.T) {
	p := &config.Provider{Name: "api", BaseURL: "https://api.example"}
	for _, r := range []exchange.Request{
		{Method: "GET X", Target: "/x"},
		{Target: "ftp://h/x"},
		{Target: "/x", Header: []exchange.Field{{Name: "Bad Name", Value: "v"}}},
		{Target: "/x", Header: []exchange.Field{{Name: "X", Value: "a\r\nInjected: 1"}}},
		{Target: "https://h:bad/x?token=t0ken-value"},
	} {
		if c, err := Export(p, r, Options{}); err == nil {
			t.Errorf("%+v: no error, command:\n%s", r, c.Command)
		} else if strings.Contains(err.Error(), "t0ken-value") {
			t.Errorf("the error holds the token: %v", err)
		}
	}
}
