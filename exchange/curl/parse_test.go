package curl

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/exchange"
)

func TestParseCurl(t *testing.T) {
	form := exchange.Field{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}
	for _, c := range []struct {
		name, cmd string
		want      exchange.Request
		provider  string
		config    string
		ignored   []string
		unknown   []string
		notes     []string // substrings, each in some note
	}{
		{name: "plain GET", cmd: `curl https://h/x`, want: exchange.Request{Method: "GET", Target: "https://h/x"}},
		{name: "browser copy", cmd: "curl 'https://h/api/items?page=2' \\\n  -H 'accept: application/json' \\\n  -H 'authorization: Bearer abc' \\\n  --compressed",
			want:    exchange.Request{Method: "GET", Target: "https://h/api/items?page=2", Header: []exchange.Field{{Name: "accept", Value: "application/json"}, {Name: "authorization", Value: "Bearer abc"}}},
			ignored: []string{"--compressed"}},
		{name: "POST -d with quotes of every kind",
			cmd:  `curl -X POST https://h/x -H "X-A: say \"hi\" \$HOME \\ \` + "`" + `" -H 'X-B: it'\''s' -d '{"a": "it'"'"'s"}'`,
			want: exchange.Request{Method: "POST", Target: "https://h/x", Header: []exchange.Field{{Name: "X-A", Value: `say "hi" $HOME \ ` + "`"}, {Name: "X-B", Value: "it's"}, form}, Body: `{"a": "it's"}`}},
		{name: "ANSI-C quoting", cmd: `curl $'https://h/x' -H $'X-T: a\tb\x41\u00e9\'\\\101\cA' --data-raw $'line1\nline2'`,
			want: exchange.Request{Method: "POST", Target: "https://h/x", Header: []exchange.Field{{Name: "X-T", Value: "a\tbAé'\\A\x01"}, form}, Body: "line1\nline2"}},
		{name: "ANSI-C stops at NUL", cmd: `curl https://h -d $'a\0b'`, want: exchange.Request{Method: "POST", Target: "https://h", Header: []exchange.Field{form}, Body: "a"}},
		{name: "continuations, CRLF and trailing blanks", cmd: "curl \\\r\n  https://h/x \\  \n  -H 'A: 1' \\\n\t-H B:2",
			want: exchange.Request{Method: "GET", Target: "https://h/x", Header: []exchange.Field{{Name: "A", Value: "1"}, {Name: "B", Value: "2"}}}, notes: []string{"line continuation"}},
		{name: "data joined with &, json without", cmd: `curl https://h -d a=1 --data-raw @b --data-binary c=3 --data-urlencode 'q=a b~*é' --data-urlencode 'x y' --data-urlencode '=z&'`,
			want: exchange.Request{Method: "POST", Target: "https://h", Header: []exchange.Field{form}, Body: "a=1&@b&c=3&q=a+b~%2A%C3%A9&x+y&z%26"}},
		{name: "--json", cmd: `curl --json '{"a":1}' --json '[2]' https://h/j`,
			want: exchange.Request{Method: "POST", Target: "https://h/j", Header: []exchange.Field{{Name: "Content-Type", Value: "application/json"}, {Name: "Accept", Value: "application/json"}}, Body: `{"a":1}[2]`}},
		{name: "--json with -H overrides", cmd: `curl --json 1 -H 'Accept: text/plain' https://h/j`,
			want: exchange.Request{Method: "POST", Target: "https://h/j", Header: []exchange.Field{{Name: "Content-Type", Value: "application/json"}, {Name: "Accept", Value: "text/plain"}}, Body: "1"}},
		{name: "-G puts data in the query", cmd: `curl -G https://h/s?x=1#frag -d q=1 --data-urlencode 'w=a b' --url-query 'p=1 2' --url-query +raw=%20`,
			want: exchange.Request{Method: "GET", Target: "https://h/s?x=1&q=1&w=a+b&p=1+2&raw=%20#frag"}},
		{name: "clustered and glued short options", cmd: `curl -sSLkXPUT -HAccept:x -dx=1 -uuser:pw https://h`,
			want:    exchange.Request{Method: "PUT", Target: "https://h", Header: []exchange.Field{{Name: "Accept", Value: "x"}, {Name: "Authorization", Value: "Basic dXNlcjpwdw=="}, form}, Body: "x=1"},
			ignored: []string{"-s", "-S", "-L", "-k"}, notes: []string{"-k ignored", "-L ignored"}},
		{name: "auth, agent, referer, cookies, range", cmd: `curl -u me -A 'agent/1' -e 'https://r/;auto' -b 'a=1' -b 'b=2' -r 0-99 --oauth2-bearer t https://h`,
			want:  exchange.Request{Method: "GET", Target: "https://h", Header: []exchange.Field{{Name: "Authorization", Value: "Bearer t"}, {Name: "User-Agent", Value: "agent/1"}, {Name: "Referer", Value: "https://r/"}, {Name: "Cookie", Value: "a=1; b=2"}, {Name: "Range", Value: "bytes=0-99"}}},
			notes: []string{"empty password"}},
		{name: "-H wins over options and removes headers", cmd: `curl -A a -H 'User-Agent: b' -u x:y -H 'Authorization:' -H 'X-Empty;' -d v=1 -H 'Content-Type: text/plain' https://h`,
			want: exchange.Request{Method: "POST", Target: "https://h", Header: []exchange.Field{{Name: "User-Agent", Value: "b"}, {Name: "X-Empty", Value: ""}, {Name: "Content-Type", Value: "text/plain"}}, Body: "v=1"}},
		{name: "HEAD and -X", cmd: `curl -I https://h`, want: exchange.Request{Method: "HEAD", Target: "https://h"}},
		{name: "-X wins", cmd: `curl -I -X get --url https://h -d x`, want: exchange.Request{Method: "GET", Target: "https://h", Header: []exchange.Field{form}, Body: "x"}},
		{name: "keyhole token in the Authorization header", cmd: `curl https://h/x -H "Authorization: Bearer $(keyhole --config '/a b/c.toml' token 'odd name'\''s' --force)"`,
			want: exchange.Request{Method: "GET", Target: "https://h/x"}, provider: "odd name's", config: "/a b/c.toml", notes: []string{"dropped the Authorization header"}},
		{name: "keyhole token in a raw header, backquotes", cmd: "curl https://h -H \"X-Api-Token: `keyhole token raw`\" -H 'X-Other: $(keyhole token raw)'",
			want: exchange.Request{Method: "GET", Target: "https://h", Header: []exchange.Field{{Name: "X-Other", Value: "$(keyhole token raw)"}}}, provider: "raw"},
		{name: "keyhole token in the query", cmd: `curl 'https://h/q?x=1&access_token='"$(keyhole token q)"'&y=2'`,
			want: exchange.Request{Method: "GET", Target: "https://h/q?x=1&y=2"}, provider: "q", notes: []string{"access_token query parameter"}},
		{name: "keyhole token alone in the query", cmd: `curl "https://h/q?access_token=$(keyhole token q)"`,
			want: exchange.Request{Method: "GET", Target: "https://h/q"}, provider: "q"},
		{name: "other substitutions and variables stay", cmd: `curl "https://h/$(date)?u=$USER" -H "Authorization: Bearer ${TOKEN}"`,
			want:  exchange.Request{Method: "GET", Target: "https://h/$(date)?u=$USER", Header: []exchange.Field{{Name: "Authorization", Value: "Bearer ${TOKEN}"}}},
			notes: []string{"kept $(date)", "kept $USER", "kept ${TOKEN}"}},
		{name: "pipes, redirections, comments", cmd: "$ curl -s https://h/x 2>&1 > out.json # fetch\n| jq .",
			want: exchange.Request{Method: "GET", Target: "https://h/x"}, ignored: []string{"2>&1", "> out.json", "-s"}},
		{name: "pipe ends the command", cmd: `curl https://h/x|jq '.a'`, want: exchange.Request{Method: "GET", Target: "https://h/x"}, notes: []string{"|jq"}},
		{name: "path and schemeless host", cmd: `curl /api/me`, want: exchange.Request{Method: "GET", Target: "/api/me"}},
		{name: "schemeless host", cmd: `curl example.com/x`, want: exchange.Request{Method: "GET", Target: "http://example.com/x"}, notes: []string{"no scheme"}},
		{name: "unknown options", cmd: `curl --frobnicate -Z9 https://h --no-buffer`, want: exchange.Request{Method: "GET", Target: "https://h"},
			unknown: []string{"--frobnicate", "-9"}, ignored: []string{"-Z", "--no-buffer"}},
		{name: "ignored options keep their values out", cmd: `curl --proxy-user u:hunter2 -o out https://h`, want: exchange.Request{Method: "GET", Target: "https://h"}, ignored: []string{"--proxy-user", "-o"}},
		{name: "masked values pasted back", cmd: `curl https://h -H 'Cookie: ••••'`, want: exchange.Request{Method: "GET", Target: "https://h", Header: []exchange.Field{{Name: "Cookie", Value: "••••"}}}, notes: []string{"masked values"}},
		{name: "globs", cmd: `curl 'https://h/x?a[0]=1'`, want: exchange.Request{Method: "GET", Target: "https://h/x?a[0]=1"}, notes: []string{"-g"}},
		{name: "empty single quotes are a word", cmd: `curl https://h -d ''`, want: exchange.Request{Method: "POST", Target: "https://h", Header: []exchange.Field{form}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, info, err := Parse(c.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Parse:\n got %#v\nwant %#v", got, c.want)
			}
			if info.Provider != c.provider || info.ConfigPath != c.config {
				t.Errorf("provider, config = %q, %q; want %q, %q", info.Provider, info.ConfigPath, c.provider, c.config)
			}
			for _, want := range c.ignored {
				if !listHas(info.Ignored, want) {
					t.Errorf("Ignored = %q, want %q in it", info.Ignored, want)
				}
			}
			if !reflect.DeepEqual(info.Unknown, c.unknown) {
				t.Errorf("Unknown = %q, want %q", info.Unknown, c.unknown)
			}
			for _, want := range c.notes {
				if !strings.Contains(strings.Join(info.Notes, "\n"), want) {
					t.Errorf("Notes = %q, want one with %q", info.Notes, want)
				}
			}
			if strings.Contains(strings.Join(info.Ignored, " "), "hunter2") {
				t.Errorf("Ignored shows a value: %q", info.Ignored)
			}
		})
	}
}

func listHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestParseCurlErrors(t *testing.T) {
	for cmd, want := range map[string]string{
		"":                                    "empty",
		"   \n# only a comment\n":             "empty",
		"wget https://h":                      `"wget"`,
		"$(curl) https://h":                   "paste a command",
		"curl":                                "no URL",
		"curl https://a https://b":            "2 URLs",
		"curl 'https://h":                     "unterminated single quote",
		`curl "https://h`:                     "unterminated double quote",
		"curl $'https://h":                    "unterminated $'",
		"curl https://h -H \"$(keyhole token": "unterminated $(",
		"curl https://h -H `x":                "unterminated backquote",
		"curl https://h -d @body.json":        "does not read files",
		"curl https://h --data-binary @-":     "does not read files",
		"curl https://h --json @j":            "does not read files",
		"curl https://h --data-urlencode n@f": "does not read files",
		"curl https://h -H @headers.txt":      "does not read files",
		"curl https://h -T up.bin":            "does not read files",
		"curl -K cfg https://h":               "does not read files",
		"curl https://h -F a=b":               "multipart",
		"curl https://h -H":                   "needs a value",
		"curl https://h -H 'no colon'":        "Name: value",
		"curl https://h -H 'Bad Name: x'":     "not a header name",
		"curl https://h -H $'A: 1\\r\\nB: 2'": "one line",
		"curl -X 'GET /x' https://h":          "not an HTTP method",
		"curl ftp://h/x":                      "http and https",
		"curl https://h --next https://i":     "another request",
	} {
		_, _, err := Parse(cmd)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", cmd, err, want)
		}
	}
	if _, _, err := Parse("wget x"); !errors.Is(err, ErrNotCurl) {
		t.Errorf("wget: %v is not ErrNotCurl", err)
	}
	if _, _, err := Parse("curl https://h -d @x"); errors.Is(err, ErrNotCurl) {
		t.Errorf("a bad curl command is ErrNotCurl: %v", err)
	}
}
