package exchange

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseCurl(t *testing.T) {
	form := Field{"Content-Type", "application/x-www-form-urlencoded"}
	for _, c := range []struct {
		name, cmd string
		want      Request
		provider  string
		config    string
		ignored   []string
		unknown   []string
		notes     []string // substrings, each in some note
	}{
		{name: "plain GET", cmd: `curl https://h/x`, want: Request{Method: "GET", Target: "https://h/x"}},
		{name: "browser copy", cmd: "curl 'https://h/api/items?page=2' \\\n  -H 'accept: application/json' \\\n  -H 'authorization: Bearer abc' \\\n  --compressed",
			want:    Request{Method: "GET", Target: "https://h/api/items?page=2", Header: []Field{{"accept", "application/json"}, {"authorization", "Bearer abc"}}},
			ignored: []string{"--compressed"}},
		{name: "POST -d with quotes of every kind",
			cmd:  `curl -X POST https://h/x -H "X-A: say \"hi\" \$HOME \\ \` + "`" + `" -H 'X-B: it'\''s' -d '{"a": "it'"'"'s"}'`,
			want: Request{Method: "POST", Target: "https://h/x", Header: []Field{{"X-A", `say "hi" $HOME \ ` + "`"}, {"X-B", "it's"}, form}, Body: `{"a": "it's"}`}},
		{name: "ANSI-C quoting", cmd: `curl $'https://h/x' -H $'X-T: a\tb\x41\u00e9\'\\\101\cA' --data-raw $'line1\nline2'`,
			want: Request{Method: "POST", Target: "https://h/x", Header: []Field{{"X-T", "a\tbAé'\\A\x01"}, form}, Body: "line1\nline2"}},
		{name: "ANSI-C stops at NUL", cmd: `curl https://h -d $'a\0b'`, want: Request{Method: "POST", Target: "https://h", Header: []Field{form}, Body: "a"}},
		{name: "continuations, CRLF and trailing blanks", cmd: "curl \\\r\n  https://h/x \\  \n  -H 'A: 1' \\\n\t-H B:2",
			want: Request{Method: "GET", Target: "https://h/x", Header: []Field{{"A", "1"}, {"B", "2"}}}, notes: []string{"line continuation"}},
		{name: "data joined with &, json without", cmd: `curl https://h -d a=1 --data-raw @b --data-binary c=3 --data-urlencode 'q=a b~*é' --data-urlencode 'x y' --data-urlencode '=z&'`,
			want: Request{Method: "POST", Target: "https://h", Header: []Field{form}, Body: "a=1&@b&c=3&q=a+b~%2A%C3%A9&x+y&z%26"}},
		{name: "--json", cmd: `curl --json '{"a":1}' --json '[2]' https://h/j`,
			want: Request{Method: "POST", Target: "https://h/j", Header: []Field{{"Content-Type", "application/json"}, {"Accept", "application/json"}}, Body: `{"a":1}[2]`}},
		{name: "--json with -H overrides", cmd: `curl --json 1 -H 'Accept: text/plain' https://h/j`,
			want: Request{Method: "POST", Target: "https://h/j", Header: []Field{{"Content-Type", "application/json"}, {"Accept", "text/plain"}}, Body: "1"}},
		{name: "-G puts data in the query", cmd: `curl -G https://h/s?x=1#frag -d q=1 --data-urlencode 'w=a b' --url-query 'p=1 2' --url-query +raw=%20`,
			want: Request{Method: "GET", Target: "https://h/s?x=1&q=1&w=a+b&p=1+2&raw=%20#frag"}},
		{name: "clustered and glued short options", cmd: `curl -sSLkXPUT -HAccept:x -dx=1 -uuser:pw https://h`,
			want:    Request{Method: "PUT", Target: "https://h", Header: []Field{{"Accept", "x"}, {"Authorization", "Basic dXNlcjpwdw=="}, form}, Body: "x=1"},
			ignored: []string{"-s", "-S", "-L", "-k"}, notes: []string{"-k ignored", "-L ignored"}},
		{name: "auth, agent, referer, cookies, range", cmd: `curl -u me -A 'agent/1' -e 'https://r/;auto' -b 'a=1' -b 'b=2' -r 0-99 --oauth2-bearer t https://h`,
			want:  Request{Method: "GET", Target: "https://h", Header: []Field{{"Authorization", "Bearer t"}, {"User-Agent", "agent/1"}, {"Referer", "https://r/"}, {"Cookie", "a=1; b=2"}, {"Range", "bytes=0-99"}}},
			notes: []string{"empty password"}},
		{name: "-H wins over options and removes headers", cmd: `curl -A a -H 'User-Agent: b' -u x:y -H 'Authorization:' -H 'X-Empty;' -d v=1 -H 'Content-Type: text/plain' https://h`,
			want: Request{Method: "POST", Target: "https://h", Header: []Field{{"User-Agent", "b"}, {"X-Empty", ""}, {"Content-Type", "text/plain"}}, Body: "v=1"}},
		{name: "HEAD and -X", cmd: `curl -I https://h`, want: Request{Method: "HEAD", Target: "https://h"}},
		{name: "-X wins", cmd: `curl -I -X get --url https://h -d x`, want: Request{Method: "GET", Target: "https://h", Header: []Field{form}, Body: "x"}},
		{name: "keyhole token in the Authorization header", cmd: `curl https://h/x -H "Authorization: Bearer $(keyhole --config '/a b/c.toml' token 'odd name'\''s' --force)"`,
			want: Request{Method: "GET", Target: "https://h/x"}, provider: "odd name's", config: "/a b/c.toml", notes: []string{"dropped the Authorization header"}},
		{name: "keyhole token in a raw header, backquotes", cmd: "curl https://h -H \"X-Api-Token: `keyhole token raw`\" -H 'X-Other: $(keyhole token raw)'",
			want: Request{Method: "GET", Target: "https://h", Header: []Field{{"X-Other", "$(keyhole token raw)"}}}, provider: "raw"},
		{name: "keyhole token in the query", cmd: `curl 'https://h/q?x=1&access_token='"$(keyhole token q)"'&y=2'`,
			want: Request{Method: "GET", Target: "https://h/q?x=1&y=2"}, provider: "q", notes: []string{"access_token query parameter"}},
		{name: "keyhole token alone in the query", cmd: `curl "https://h/q?access_token=$(keyhole token q)"`,
			want: Request{Method: "GET", Target: "https://h/q"}, provider: "q"},
		{name: "other substitutions and variables stay", cmd: `curl "https://h/$(date)?u=$USER" -H "Authorization: Bearer ${TOKEN}"`,
			want:  Request{Method: "GET", Target: "https://h/$(date)?u=$USER", Header: []Field{{"Authorization", "Bearer ${TOKEN}"}}},
			notes: []string{"kept $(date)", "kept $USER", "kept ${TOKEN}"}},
		{name: "pipes, redirections, comments", cmd: "$ curl -s https://h/x 2>&1 > out.json # fetch\n| jq .",
			want: Request{Method: "GET", Target: "https://h/x"}, ignored: []string{"2>&1", "> out.json", "-s"}},
		{name: "pipe ends the command", cmd: `curl https://h/x|jq '.a'`, want: Request{Method: "GET", Target: "https://h/x"}, notes: []string{"|jq"}},
		{name: "path and schemeless host", cmd: `curl /api/me`, want: Request{Method: "GET", Target: "/api/me"}},
		{name: "schemeless host", cmd: `curl example.com/x`, want: Request{Method: "GET", Target: "http://example.com/x"}, notes: []string{"no scheme"}},
		{name: "unknown options", cmd: `curl --frobnicate -Z9 https://h --no-buffer`, want: Request{Method: "GET", Target: "https://h"},
			unknown: []string{"--frobnicate", "-9"}, ignored: []string{"-Z", "--no-buffer"}},
		{name: "ignored options keep their values out", cmd: `curl --proxy-user u:hunter2 -o out https://h`, want: Request{Method: "GET", Target: "https://h"}, ignored: []string{"--proxy-user", "-o"}},
		{name: "masked values pasted back", cmd: `curl https://h -H 'Cookie: ••••'`, want: Request{Method: "GET", Target: "https://h", Header: []Field{{"Cookie", "••••"}}}, notes: []string{"masked values"}},
		{name: "globs", cmd: `curl 'https://h/x?a[0]=1'`, want: Request{Method: "GET", Target: "https://h/x?a[0]=1"}, notes: []string{"-g"}},
		{name: "empty single quotes are a word", cmd: `curl https://h -d ''`, want: Request{Method: "POST", Target: "https://h", Header: []Field{form}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, info, err := ParseCurl(c.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("ParseCurl:\n got %#v\nwant %#v", got, c.want)
			}
			if info.Provider != c.provider || info.ConfigPath != c.config {
				t.Errorf("provider, config = %q, %q; want %q, %q", info.Provider, info.ConfigPath, c.provider, c.config)
			}
			for _, want := range c.ignored {
				if !curlListHas(info.Ignored, want) {
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

func curlListHas(list []string, s string) bool {
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
		_, _, err := ParseCurl(cmd)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCurl(%q) = %v, want an error with %q", cmd, err, want)
		}
	}
	if _, _, err := ParseCurl("wget x"); !errors.Is(err, ErrNotCurl) {
		t.Errorf("wget: %v is not ErrNotCurl", err)
	}
	if _, _, err := ParseCurl("curl https://h -d @x"); errors.Is(err, ErrNotCurl) {
		t.Errorf("a bad curl command is ErrNotCurl: %v", err)
	}
}

func TestRelativeTarget(t *testing.T) {
	for _, c := range []struct{ base, full, want string }{
		{"https://h/api/v1", "https://h/api/v1/items?page=2", "/items?page=2"},
		{"https://h/api/v1/", "https://h/api/v1/items", "/items"},
		{"https://h", "https://h/x", "/x"},
		{"https://h", "https://h:443/x", "/x"},
		{"https://h/", "https://h/", "/"},
		{"https://h/api/v1/", "https://h/api/v1/", "/"},
		{"https://h/api?api-version=1", "https://h/api/x?api-version=1&page=2", "/x?page=2"},
		{"https://h/api?api-version=1", "https://h/api/x?api-version=1", "/x"},
		{"https://h/files", "https://h/files/a%2Fb", "/a%2Fb"},
		// Stays whole: not under base_url, or would not resolve back.
		{"https://h/api?api-version=1", "https://h/api/x?page=2", "https://h/api/x?page=2"},
		{"https://h/api/v1", "https://h/api/v1", "https://h/api/v1"},
		{"https://h/api", "https://h/apix/y", "https://h/apix/y"},
		{"https://h/api", "http://h/api/x", "http://h/api/x"},
		{"https://h/api", "https://other/api/x", "https://other/api/x"},
		{"https://h/api", "https://u:p@h/api/x", "https://u:p@h/api/x"},
		{"", "https://h/x", "https://h/x"},
		{"https://h/api", "/already/a/path", "/already/a/path"},
	} {
		got := RelativeTarget(c.base, c.full)
		if got != c.want {
			t.Errorf("RelativeTarget(%q, %q) = %q, want %q", c.base, c.full, got, c.want)
		}
		if got != c.full {
			u, err := ResolveURL(c.base, got)
			if err != nil || u.String() != strings.Replace(c.full, ":443", "", 1) {
				t.Errorf("RelativeTarget(%q, %q) = %q resolves to %v, %v", c.base, c.full, got, u, err)
			}
		}
	}
}
